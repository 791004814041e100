package com.pettysync.agent.uplink;

import java.util.List;

/**
 * One MQTT 5 connection to the broker: the network edge of the uplink, so the uplink's rules are tested with a
 * fake and the real client ({@link PahoBrokerSession}) is tested against a real broker.
 *
 * <p>A session is used for one connection only: {@link Uplink} makes a new one for every attempt and
 * {@link #close() closes} it when the connection ends, so nothing (threads, sockets, timers) outlives a
 * connection. Outcomes of asynchronous calls arrive on the {@link Listener}, from any thread.
 */
public interface BrokerSession extends AutoCloseable {

    /** Connects, blocking until CONNACK or failure. */
    void connect(Listener listener) throws BrokerException;

    /**
     * Sends a QoS 1 publish and returns without waiting; the PUBACK (or the failure) arrives on
     * {@link Listener#published} / {@link Listener#publishFailed} with the same {@code token}.
     */
    void publish(long token, String topic, byte[] payload) throws BrokerException;

    /** Subscribes with QoS 1 to {@code topicFilters}; messages arrive on {@link Listener#message}. */
    void subscribe(List<String> topicFilters) throws BrokerException;

    /**
     * Whether the client still holds its connection (asked when a publish fails: a failure on a dead connection
     * means reconnect, a failure on a live one means back off and resend). Default: unknown, so {@code true}.
     */
    default boolean isConnected() {
        return true;
    }

    /** Disconnects politely (bounded in time) and releases everything; idempotent; never throws. */
    @Override
    void close();

    /** What the broker tells us. Implementations must be quick and must not block. */
    interface Listener {
        /** The broker answered publish {@code token} with PUBACK {@code reasonCode} (≥ 0x80 is a rejection). */
        void published(long token, int reasonCode, String reason);

        /** Publish {@code token} got no PUBACK (the connection broke, a client-side limit, ...). */
        void publishFailed(long token, Throwable cause);

        /** A message on a subscribed topic. */
        void message(String topic, byte[] payload);

        /** The connection is gone (by the broker, the network or keep-alive). */
        void connectionLost(Throwable cause);

        /** Ignores everything: for a session that only connects (connection probes and benches). */
        Listener NONE = new Listener() {
            @Override
            public void published(long token, int reasonCode, String reason) {
            }

            @Override
            public void publishFailed(long token, Throwable cause) {
            }

            @Override
            public void message(String topic, byte[] payload) {
            }

            @Override
            public void connectionLost(Throwable cause) {
            }
        };
    }
}
