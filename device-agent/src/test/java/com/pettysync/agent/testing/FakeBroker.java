package com.pettysync.agent.testing;

import com.pettysync.agent.uplink.BrokerException;
import com.pettysync.agent.uplink.BrokerSession;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** A broker in memory: records publishes, lets the test answer them, refuse connects and cut connections. */
public final class FakeBroker implements Supplier<BrokerSession> {
    public record Publish(long token, String topic, byte[] payload) {
    }

    public final List<Session> sessions = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Answer every publish with PUBACK 0 at once (for tests that run the agent on its own threads). */
    public volatile boolean autoAck;
    public int refuseNextConnects;
    public int connectAttempts;

    @Override
    public BrokerSession get() {
        Session s = new Session();
        sessions.add(s);
        return s;
    }

    public Session current() {
        return sessions.get(sessions.size() - 1);
    }

    /** Every publish of every session, in order. */
    public List<Publish> allPublishes() {
        return List.copyOf(sessions).stream().flatMap(s -> List.copyOf(s.publishes).stream()).toList();
    }

    public final class Session implements BrokerSession {
        public final List<Publish> publishes = java.util.Collections.synchronizedList(new ArrayList<>());
        public final List<String> subscriptions = new ArrayList<>();
        public BrokerSession.Listener listener;
        public boolean closed;
        public boolean connected;

        @Override
        public void connect(Listener l) throws BrokerException {
            connectAttempts++;
            if (refuseNextConnects > 0) {
                refuseNextConnects--;
                throw new BrokerException("connection refused (fake)");
            }
            listener = l;
            connected = true;
        }

        @Override
        public void publish(long token, String topic, byte[] payload) throws BrokerException {
            if (!connected || closed) {
                throw new BrokerException("not connected (fake)");
            }
            publishes.add(new Publish(token, topic, payload));
            if (autoAck) {
                listener.published(token, 0, null);
            }
        }

        @Override
        public void subscribe(List<String> topicFilters) {
            subscriptions.addAll(topicFilters);
        }

        @Override
        public void close() {
            closed = true;
            connected = false;
        }

        public void ack(long token) {
            listener.published(token, 0, null);
        }

        public void ackAll() {
            for (Publish p : List.copyOf(publishes)) {
                ack(p.token());
            }
        }

        public void reject(long token, int reasonCode) {
            listener.published(token, reasonCode, "fake reason");
        }

        public void cut() {
            connected = false;
            listener.connectionLost(new java.io.EOFException("broker went away (fake)"));
        }
    }
}
