package com.pettysync.agent.uplink;

import java.time.Instant;

/**
 * The uplink's counters behind {@link Uplink.Status}, shared by its lanes: each lane adds what it did, and
 * {@link Uplink} snapshots them after every tick. No behaviour of its own.
 *
 * <p>Confined to the uplink's thread (written from {@link Uplink#tick()} only; other threads read the snapshot).
 */
final class UplinkCounters {
    /** Outbox frames published (every attempt). */
    long published;
    /** Outbox frames accepted by a PUBACK &lt; 0x80. */
    long acknowledged;
    /** Frames and voice parts dropped: over the payload limit, or a DROP rejection. */
    long rejectedDropped;
    /** Frames and voice parts rejected and kept (PAUSE, BACK_OFF). */
    long rejectedKept;
    long connects;
    long connectFailures;
    Instant lastPuback;
    String lastError;
    long publishesSent;
    long bytesSent;
    long messagesReceived;
    long bytesReceived;

    /** A PUBLISH went out: its topic and payload count as radio output. */
    void sent(String topic, int payloadBytes) {
        publishesSent++;
        bytesSent += topic.length() + payloadBytes;
    }

    /** A message arrived: its topic and payload count as radio input. */
    void received(String topic, int payloadBytes) {
        messagesReceived++;
        bytesReceived += topic.length() + payloadBytes;
    }
}
