package com.pettysync.simulator.fleet;

import com.pettysync.agent.uplink.BrokerException;
import com.pettysync.agent.uplink.BrokerSession;
import com.pettysync.contract.cost.CostModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link BrokerSession} handed to the agent's {@code Uplink} <em>already connected</em> (or already failed): the
 * fleet connects asynchronously, so the shared scheduler never blocks on a CONNACK, and the uplink's
 * {@code connect} returns at once. Counts publishes and PUBACKs and measures PUBACK latency on the way.
 *
 * <p>Events that arrive before the uplink attaches its listener (a connection lost right after CONNACK) are kept
 * and make {@link #connect} fail, so the uplink's back-off applies as for a refused connect.
 */
final class CollarSession implements BrokerSession {
    private final BrokerSession inner;
    private final Throwable failure;
    private final FleetMetrics metrics;
    private final Map<Long, Long> sentAt = new ConcurrentHashMap<>();
    private volatile Listener uplink;
    private volatile Throwable lostEarly;
    private volatile boolean closed;

    private CollarSession(BrokerSession inner, Throwable failure, FleetMetrics metrics) {
        this.inner = inner;
        this.failure = failure;
        this.metrics = metrics;
    }

    static CollarSession failed(Throwable cause, FleetMetrics metrics) {
        return new CollarSession(null, cause, metrics);
    }

    static CollarSession pending(BrokerSession inner, FleetMetrics metrics) {
        return new CollarSession(inner, null, metrics);
    }

    /** The listener the inner session reports to while connecting and after. */
    final Listener relay = new Listener() {
        @Override
        public void published(long token, int reasonCode, String reason) {
            Long t0 = sentAt.remove(token);
            if (t0 != null) {
                metrics.recordPuback((System.nanoTime() - t0) / 1000);
            }
            if (reasonCode < 0x80) {
                metrics.acknowledged.increment();
            } else {
                metrics.rejected.increment();
            }
            Listener l = uplink;
            if (l != null) {
                l.published(token, reasonCode, reason);
            }
        }

        @Override
        public void publishFailed(long token, Throwable cause) {
            sentAt.remove(token);
            metrics.publishFailed.increment();
            Listener l = uplink;
            if (l != null) {
                l.publishFailed(token, cause);
                if (cause instanceof com.hivemq.client.mqtt.exceptions.MqttClientStateException && !closed) {
                    // the client is not connected, whatever the uplink believes: a lost connection, so that the
                    // uplink reconnects instead of retrying publishes on a dead session forever
                    connectionLost(cause);
                }
            }
        }

        @Override
        public void message(String topic, byte[] payload) {
            Listener l = uplink;
            if (l != null) {
                l.message(topic, payload);
            }
        }

        @Override
        public void connectionLost(Throwable cause) {
            metrics.connectionsLost.increment();
            Listener l = uplink;
            if (l != null) {
                l.connectionLost(cause);
            } else {
                lostEarly = cause == null ? new IOException("connection lost") : cause;
            }
        }
    };

    BrokerSession inner() {
        return inner;
    }

    @Override
    public void connect(Listener listener) throws BrokerException {
        if (failure != null) {
            throw new BrokerException("connect failed: " + failure, failure);
        }
        if (lostEarly != null) {
            throw new BrokerException("connection lost right after CONNACK: " + lostEarly, lostEarly);
        }
        uplink = listener;
    }

    @Override
    public void publish(long token, String topic, byte[] payload) throws BrokerException {
        if (inner == null || closed) {
            throw new BrokerException("not connected");
        }
        metrics.published.increment();
        metrics.publishedBytes.add(payload.length);
        metrics.messageUnits.add(CostModel.messageUnits(payload.length,
                topic.getBytes(StandardCharsets.UTF_8).length));
        sentAt.put(token, System.nanoTime());
        inner.publish(token, topic, payload);
    }

    @Override
    public void subscribe(List<String> topicFilters) throws BrokerException {
        if (inner == null) {
            throw new BrokerException("not connected");
        }
        inner.subscribe(topicFilters);
    }

    /** The network goes away under the collar (offline fault): close, and tell the uplink its connection is lost. */
    void cut(String why) {
        Listener l = uplink;
        close();
        if (l != null) {
            l.connectionLost(new IOException(why));
        }
    }

    @Override
    public boolean isConnected() {
        return inner != null && inner.isConnected();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            uplink = null;
            if (inner != null) {
                inner.close();
            }
        }
    }
}
