package com.pettysync.simulator.cloud.ingest;

/** The data streams the ingest sink accepts (wire contract §2–§5, §9). */
public enum Stream {
    TELEMETRY, EVENTS, VOICE, RAW
}
