package com.pettysync.agent.uplink;

import java.util.concurrent.ConcurrentLinkedQueue;
import org.tinylog.Logger;

/**
 * The uplink's control publishes: QoS 1 messages that are not outbox frames (the shadow's get and updates, the raw
 * capture's report), sent before every other lane while connected, through the one token bucket.
 *
 * <h2>Guarantee</h2>
 * None beyond the session: the queue is dropped when the connection ends (the shadow is fetched and reported again
 * on the next connect), and a rejection is only logged.
 *
 * <p>{@link #add} from any thread; everything else on the uplink's thread ({@link Uplink#tick()}).
 */
final class ControlLane {
    private record Control(String topic, byte[] payload) {
    }

    private final ConcurrentLinkedQueue<Control> queue = new ConcurrentLinkedQueue<>(); // from any thread
    private long tokens = -1; // control publishes use negative tokens

    /** Queues a publish (any thread); the payload is not copied. */
    void add(String topic, byte[] payload) {
        queue.add(new Control(topic, payload));
    }

    /** The connection ended: what is queued is dropped. */
    void clear() {
        queue.clear();
    }

    boolean owns(long token) {
        return token < 0;
    }

    /**
     * Publishes what is queued while the bucket has tokens; returns the exception of a publish that threw (the
     * session is lost: the caller ends it), else null.
     */
    BrokerException send(BrokerSession session, TokenBucket bucket, UplinkCounters counters) {
        while (!queue.isEmpty() && bucket.take()) {
            Control c = queue.poll();
            try {
                session.publish(tokens--, c.topic(), c.payload());
                counters.sent(c.topic(), c.payload().length);
            } catch (BrokerException e) {
                return e;
            }
        }
        return null;
    }

    /** The broker's PUBACK for a control publish: a rejection is logged, nothing is retried. */
    void acked(int reasonCode, String reason) {
        if (reasonCode >= 0x80) {
            Logger.warn("control publish rejected: 0x{} {}", Integer.toHexString(reasonCode), reason);
        }
    }
}
