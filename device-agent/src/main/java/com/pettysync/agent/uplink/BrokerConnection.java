package com.pettysync.agent.uplink;

import com.pettysync.drivers.retry.Backoff;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.tinylog.Logger;

/**
 * The uplink's connection: one {@link BrokerSession} at a time, its attempts and reconnect back-off, the rule that
 * declares a silent session dead, and the hand-off of its callbacks to the uplink's thread.
 *
 * <h2>Failure model</h2>
 * A new session per attempt (Paho's automatic reconnect stays off). After a failed attempt or a lost connection
 * the next attempt waits a full-jitter delay ({@link Backoff}: uniform in [0, min(max, min·2<sup>n-1</sup>)] for the
 * n-th failure in a row); the count starts over only after a connection stayed up for {@code stableAfter}. A session
 * that fails publishes without reporting its loss (a client that silently lost its socket) is dead — and goes
 * through the same back-off — when a publish throws (the uplink calls {@link #lost}), when the client says it is not
 * connected or a failure's cause says "not connected" or "connection lost" (as Paho and the HiveMQ client word it),
 * or after {@value Uplink#DEAD_AFTER_PUBLISH_FAILURES} failed publishes with no PUBACK in between
 * ({@link #deadAfter}).
 *
 * <h2>Threads</h2>
 * The broker client calls the listener on its own threads; each callback is queued with the session it came from
 * and the uplink woken. Everything else is confined to the uplink's thread ({@link Uplink#tick()}), which drains the
 * queue ({@link #poll}) and ignores what an earlier session reported ({@link #isCurrent}).
 */
final class BrokerConnection {
    /** A broker callback, queued for the uplink's thread. */
    sealed interface Event {
    }

    record Acked(long token, int reasonCode, String reason) implements Event {
    }

    record Failed(BrokerSession session, long token, Throwable cause) implements Event {
    }

    record Message(String topic, byte[] payload) implements Event {
    }

    record Lost(BrokerSession session, Throwable cause) implements Event {
    }

    private final Supplier<BrokerSession> sessions;
    private final Backoff backoff;
    private final Duration stableAfter;
    private final UplinkCounters counters;
    private final Runnable wake;
    private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
    private BrokerSession session;
    private Instant connectedAt;
    private Instant nextAttempt;
    private int failures;
    private int publishFailures;

    /** @param wake tells the uplink's loop that a callback is queued (any thread) */
    BrokerConnection(Supplier<BrokerSession> sessions, Backoff backoff, Duration stableAfter, UplinkCounters counters,
            Runnable wake, Instant now) {
        this.sessions = sessions;
        this.backoff = backoff;
        this.stableAfter = stableAfter;
        this.counters = counters;
        this.wake = wake;
        this.nextAttempt = now;
    }

    /** The session while connected, else null. */
    BrokerSession session() {
        return session;
    }

    /** When the next attempt may start (meaningful while not connected). */
    Instant nextAttempt() {
        return nextAttempt;
    }

    /** Whether an attempt is due: not connected and the back-off has passed. */
    boolean due(Instant now) {
        return session == null && !now.isBefore(nextAttempt);
    }

    /** Whether a callback from {@code s} is about the session now up (not an earlier one). */
    boolean isCurrent(BrokerSession s) {
        return s == session;
    }

    /** The next queued callback, or null. */
    Event poll() {
        return events.poll();
    }

    /**
     * Attempts a new session; once it is up, {@code onUp} runs (reset the lanes, subscribe). A failure of either
     * closes the session and schedules the next attempt after the back-off.
     *
     * @param onUp gets the failures in a row before this attempt
     */
    void connect(Instant now, IntConsumer onUp) {
        BrokerSession s = sessions.get();
        try {
            s.connect(new Listener(s));
            session = s;
            connectedAt = now;
            counters.connects++;
            publishFailures = 0;
            counters.lastError = null;
            onUp.accept(failures);
        } catch (BrokerException | RuntimeException e) {
            s.close();
            if (session == s) {
                session = null;
            }
            counters.connectFailures++;
            failures++;
            counters.lastError = Uplink.oneLine(e);
            nextAttempt = now.plus(jitter(failures));
            Logger.warn("connect failed ({}); next attempt in {} ms", counters.lastError,
                    Duration.between(now, nextAttempt).toMillis());
        }
    }

    /** The session is gone (or declared dead): closes it and schedules the next attempt after the back-off. */
    void lost(Instant now, Throwable cause) {
        close();
        if (connectedAt != null && Duration.between(connectedAt, now).compareTo(stableAfter) >= 0) {
            failures = 0;
        }
        failures++;
        counters.lastError = cause == null ? "connection lost" : Uplink.oneLine(cause);
        nextAttempt = now.plus(jitter(failures));
        Logger.warn("connection lost ({}); reconnecting in {} ms", counters.lastError,
                Duration.between(now, nextAttempt).toMillis());
    }

    /** Closes the session, if any, without scheduling anything. */
    void close() {
        if (session != null) {
            session.close();
            session = null;
        }
    }

    /** The broker answered a publish (any reason code): the session is alive. */
    void answered() {
        publishFailures = 0;
    }

    /**
     * A publish on the current session failed without PUBACK: the reason to treat the session as lost, or null
     * while it still counts as alive.
     */
    BrokerException deadAfter(Failed f) {
        publishFailures++;
        if (!f.session().isConnected() || notConnected(f.cause())
                || publishFailures >= Uplink.DEAD_AFTER_PUBLISH_FAILURES) {
            return new BrokerException("publish failed " + publishFailures + " time(s) in a row: "
                    + Uplink.oneLine(rootOf(f.cause())), f.cause());
        }
        return null;
    }

    /** Full jitter: uniform in [0, min(max, min·2^(n-1))] ({@link Backoff}). */
    Duration jitter(int n) {
        return backoff.delay(n);
    }

    /**
     * Whether a publish failure's cause chain says the client has no connection (besides
     * {@link BrokerSession#isConnected()}: the failure may arrive before the client has noticed).
     */
    static boolean notConnected(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (m.contains("not connected") || m.contains("connection lost")) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootOf(Throwable e) {
        Throwable t = e;
        while (t != null && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** Queues one session's callbacks for the uplink's thread. */
    private final class Listener implements BrokerSession.Listener {
        private final BrokerSession owner;

        Listener(BrokerSession owner) {
            this.owner = owner;
        }

        @Override
        public void published(long token, int reasonCode, String reason) {
            events.add(new Acked(token, reasonCode, reason));
            wake.run();
        }

        @Override
        public void publishFailed(long token, Throwable cause) {
            events.add(new Failed(owner, token, cause));
            wake.run();
        }

        @Override
        public void message(String topic, byte[] payload) {
            events.add(new Message(topic, payload));
            wake.run();
        }

        @Override
        public void connectionLost(Throwable cause) {
            events.add(new Lost(owner, cause));
            wake.run();
        }
    }
}
