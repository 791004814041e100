package com.pettysync.simulator.cloud.ingest;

import java.util.Objects;

/** One payload as it reached the cloud: what {@code thing} published on {@code stream}, not yet validated. */
public record Arrival(String thing, Stream stream, byte[] payload) {
    public Arrival {
        Objects.requireNonNull(thing, "thing");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(payload, "payload");
    }
}
