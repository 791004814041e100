package com.pettysync.simulator.cloud.archive;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/**
 * The archive's key layout (contract §10; cloud-contract README "Archive layout"): one folder per collar per UTC day.
 *
 * <pre>
 * {thing}/{YYYYMMDD}/telemetry.jsonl.gz   decoded telemetry JSON (§3.1), one frame a line, seq order, no duplicates
 * {thing}/{YYYYMMDD}/events.jsonl.gz      decoded event JSON (§4), one a line, eseq order, no duplicates
 * {thing}/{YYYYMMDD}/voice/{clip_id}.wav  joined clip, PCM s16le mono (16 kHz)
 * {thing}/{YYYYMMDD}/voice/{clip_id}.json its sidecar (thing, time, on-device class and confidence, window mood)
 * {thing}/{YYYYMMDD}/raw/{capture_id}.jsonl.gz  raw-capture chunks (§9) whose first sample is in the day, decoded
 *                                         JSON, one a line, chunk order, no duplicates
 * {thing}/{YYYYMMDD}/manifest.json        written last: every object's SHA-256 and size, the delivery tally
 * </pre>
 */
public final class ArchiveLayout {
    public static final String TELEMETRY = "telemetry.jsonl.gz";
    public static final String EVENTS = "events.jsonl.gz";
    public static final String MANIFEST = "manifest.json";
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    private ArchiveLayout() {}

    /** {@code {thing}/{YYYYMMDD}/} */
    public static String folder(String thing, LocalDate day) {
        return thing + "/" + DAY.format(day) + "/";
    }

    public static String telemetry(String thing, LocalDate day) {
        return folder(thing, day) + TELEMETRY;
    }

    public static String events(String thing, LocalDate day) {
        return folder(thing, day) + EVENTS;
    }

    public static String manifest(String thing, LocalDate day) {
        return folder(thing, day) + MANIFEST;
    }

    public static String clipWav(String thing, LocalDate day, long clipId) {
        return folder(thing, day) + "voice/" + clipId + ".wav";
    }

    public static String clipSidecar(String thing, LocalDate day, long clipId) {
        return folder(thing, day) + "voice/" + clipId + ".json";
    }

    /** The day of a {@code YYYYMMDD} folder name. */
    public static LocalDate parseDay(String yyyymmdd) {
        return LocalDate.parse(yyyymmdd, DAY);
    }
}
