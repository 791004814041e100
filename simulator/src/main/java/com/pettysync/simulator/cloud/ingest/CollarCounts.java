package com.pettysync.simulator.cloud.ingest;

/**
 * What the sink has seen from one collar.
 *
 * @param thing             the collar's thing name
 * @param telemetryStored   distinct telemetry frames stored
 * @param eventsStored      distinct event frames stored
 * @param voicePartsStored  distinct voice clip parts stored
 * @param duplicates        valid payloads dropped because their key was already stored (all streams)
 * @param invalid           payloads that broke the contract (all streams)
 * @param missingTelemetry  gaps in {@code seq}: frames between the lowest and highest stored seq that never arrived
 * @param missingEvents     gaps in {@code eseq}, likewise
 */
public record CollarCounts(String thing, long telemetryStored, long eventsStored, long voicePartsStored,
        long duplicates, long invalid, long missingTelemetry, long missingEvents) {

    /** Frames stored over all streams. */
    public long stored() {
        return telemetryStored + eventsStored + voicePartsStored;
    }
}
