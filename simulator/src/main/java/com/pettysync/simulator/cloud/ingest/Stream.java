package com.pettysync.simulator.cloud.ingest;

/** The three data streams the ingest sink accepts (wire contract §2–§5). */
public enum Stream {
    TELEMETRY, EVENTS, VOICE
}
