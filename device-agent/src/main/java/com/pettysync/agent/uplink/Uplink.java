package com.pettysync.agent.uplink;

import com.pettysync.agent.outbox.Outbox;
import com.pettysync.agent.outbox.OutboxEntry;
import com.pettysync.drivers.retry.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.tinylog.Logger;

/**
 * Moves frames from the {@link Outbox} to the broker, and keeps the connection up: the connection's lifecycle and
 * the drain that feeds every lane through one rate limit.
 *
 * <h2>Guarantee</h2>
 * A frame is removed from the outbox only when the broker answered its publish with a PUBACK whose reason code is
 * below 0x80, or when {@link PubackReason}'s table says the broker will never accept it ({@link FrameLanes}). Anything
 * else (no PUBACK, connection lost, quota) leaves it in the outbox, and it is published again after the next
 * connect or the lane's pause: at least once. The uplink never publishes faster than {@code publishesPerSecond}
 * ({@link TokenBucket}: evenly paced, so no calendar second sees more than the rate), never has more than
 * {@code maxInFlight} publishes without PUBACK, and never retries in a tight loop: every retry waits for a back-off.
 *
 * <h2>Failure model</h2>
 * A lost connection — reported, or a session declared dead because its publishes fail ({@link BrokerConnection}:
 * a publish that throws, a client that says it is not connected, {@value #DEAD_AFTER_PUBLISH_FAILURES} failures in
 * a row) — forgets every lane's publishes in flight (they stay in their stores) and the queued control publishes;
 * the next session comes after a full-jitter reconnect back-off (reset only after a connection stayed up for
 * {@link Settings#stableAfter}), so a fleet that loses its broker at once spreads its reconnects out. A rejection,
 * or a failed publish on a live session, pauses only its own lane ({@link LanePause}). Failures reported by an
 * earlier session are ignored.
 *
 * <h2>How it is driven</h2>
 * Single-threaded, no lock: one loop ({@link UplinkLoop}) calls {@link #tick()} (which does everything due at the
 * clock's now and returns when it next wants to run) and sleeps until then or until {@link #wake} is called. Broker
 * callbacks arrive on other threads; they are queued and handled by the next tick. The lane classes are confined
 * to that thread. Tests drive {@code tick()} with a manual clock.
 *
 * <h2>Drain order (lanes, highest first)</h2>
 * {@link ControlLane} ({@link #publishControl}: shadow get/update), then {@link FrameLanes}: <b>events</b> (contract
 * §4, "sent at once": an event appended while the uplink paces a backlog wakes it and takes the next token, at most
 * one token interval — 100 ms at 10/s — after it was committed), then <b>telemetry</b> (backlog and live
 * alternating, each frame held until its publish time with {@link #setTelemetryRelease}), then {@link VoiceLane}
 * clip parts ({@link #setVoice}), only when no frame is waiting, then {@link RawLane} chunks ({@link #setRaw}), only
 * when no frame and no voice part is waiting or in flight. Voice and raw have one publish in flight at most, so
 * neither delays a frame by more than one PUBACK; each lane pauses on its own rejections only. Every lane goes
 * through the same token bucket, so the sum stays within {@code publishesPerSecond}.
 */
public final class Uplink {
    /** AWS IoT Core's payload limit. */
    public static final int MAX_PAYLOAD_BYTES = 128 * 1024;
    /** Consecutive failed publishes (no PUBACK in between) after which the session counts as lost. */
    public static final int DEAD_AFTER_PUBLISH_FAILURES = 3;

    /**
     * @param maxInFlight          publishes without PUBACK at once (1 … 100)
     * @param publishesPerSecond   publish rate limit (1 … 100)
     * @param backoffMin           reconnect back-off base
     * @param backoffMax           reconnect back-off cap
     * @param stableAfter          a connection this old resets the back-off
     * @param notAuthorizedPause   pause after a PUBACK 0x87
     */
    public record Settings(int maxInFlight, int publishesPerSecond, Duration backoffMin, Duration backoffMax,
            Duration stableAfter, Duration notAuthorizedPause) {
        public Settings {
            if (maxInFlight < 1 || maxInFlight > 100) {
                throw new IllegalArgumentException("maxInFlight must be 1..100");
            }
            if (publishesPerSecond < 1 || publishesPerSecond > 100) {
                throw new IllegalArgumentException("publishesPerSecond must be 1..100");
            }
        }

        public static Settings of(int maxInFlight, int publishesPerSecond, Duration backoffMin, Duration backoffMax) {
            return new Settings(maxInFlight, publishesPerSecond, backoffMin, backoffMax, Duration.ofSeconds(30),
                    Duration.ofMinutes(5));
        }
    }

    /** Hooks for the shadow and other subscribers. Called on the uplink's thread. */
    public interface Hooks {
        /** Connected: subscribe and send what has to go first (the shadow get). */
        default void connected(Uplink uplink) {
        }

        default void message(String topic, byte[] payload) {
        }
    }

    /**
     * A snapshot for the status file. {@code bytesSent} / {@code bytesReceived} count MQTT PUBLISH topic + payload
     * bytes of every lane (frames, voice, shadow) and of the messages received (the energy account's radio input);
     * {@code publishesSent} / {@code messagesReceived} count those packets.
     */
    public record Status(boolean connected, int inFlight, long published, long acknowledged, long rejectedDropped,
            long rejectedKept, long connects, long connectFailures, Instant lastPuback, Instant nextAttempt,
            String lastError, long voicePartsPublished, long voicePartsAcknowledged, long publishesSent,
            long bytesSent, long messagesReceived, long bytesReceived) {
    }

    /** The raw capture's state for the shadow's reported section (polled on the uplink's thread). */
    public interface RawReport {
        /**
         * A shadow update to publish now, or null: called every tick while connected; {@code newConnection} is
         * true on the first call after a connect (report again, the cloud may have missed the last one).
         */
        byte[] poll(boolean newConnection);
    }

    private final Outbox outbox;
    private final Function<OutboxEntry, String> topicOf;
    private final Settings settings;
    private final Clock clock;
    private final Backoff backoff;
    private final Hooks hooks;
    private volatile Runnable waker = () -> { };
    private final ControlLane control = new ControlLane();
    private final UplinkCounters counters = new UplinkCounters();
    private final TokenBucket bucket;
    private final FrameLanes frames;
    private VoiceLane voice;
    private RawLane raw;
    private RawReport rawReport;
    private String rawReportTopic;
    private long rawReportedConnects = -1;

    private final BrokerConnection connection;
    private boolean stopped;
    private volatile Status snapshot;

    public Uplink(Outbox outbox, Supplier<BrokerSession> sessions, Function<OutboxEntry, String> topicOf,
            Settings settings, Clock clock, RandomGenerator random, Hooks hooks) {
        this.outbox = Objects.requireNonNull(outbox);
        this.topicOf = Objects.requireNonNull(topicOf);
        this.settings = Objects.requireNonNull(settings);
        this.clock = Objects.requireNonNull(clock);
        this.backoff = Backoff.fullJitter(settings.backoffMin(), settings.backoffMax(), random);
        this.hooks = hooks == null ? new Hooks() { } : hooks;
        this.connection = new BrokerConnection(Objects.requireNonNull(sessions), backoff, settings.stableAfter(),
                counters, this::wake, clock.instant());
        this.bucket = new TokenBucket(settings.publishesPerSecond(), clock.instant());
        this.frames = new FrameLanes(outbox, settings.maxInFlight(), lanePause("publishing"), counters);
        this.snapshot = snapshotNow();
    }

    /** A lane's own pause, on the uplink's one back-off. */
    private LanePause lanePause(String lane) {
        return new LanePause(lane, backoff, settings.backoffMin(), settings.notAuthorizedPause());
    }

    /**
     * Publishes voice clip parts from {@code parts} on {@code topic} ({@link VoiceLane}); call before the loop
     * runs.
     */
    public void setVoice(VoiceParts parts, String topic) {
        this.voice = new VoiceLane(Objects.requireNonNull(parts), Objects.requireNonNull(topic), lanePause("voice"),
                counters);
    }

    /**
     * Publishes raw-capture chunks from {@code chunks} on {@code topic} ({@link RawLane}) and {@code report}'s
     * shadow updates on {@code reportTopic}; call before the loop runs.
     */
    public void setRaw(RawChunks chunks, String topic, RawReport report, String reportTopic) {
        this.raw = new RawLane(Objects.requireNonNull(chunks), Objects.requireNonNull(topic), lanePause("raw lane"));
        this.rawReport = Objects.requireNonNull(report);
        this.rawReportTopic = Objects.requireNonNull(reportTopic);
    }

    /**
     * Holds each telemetry frame until its publish time (contract §8's publish offset, see {@link TelemetryRelease});
     * without it frames are offered as soon as they are committed. Call before the loop runs.
     */
    public void setTelemetryRelease(TelemetryRelease release) {
        frames.setRelease(Objects.requireNonNull(release));
    }

    /** Called (from any thread) when the uplink has work: a frame was appended, a broker callback arrived. */
    public void setWaker(Runnable waker) {
        this.waker = Objects.requireNonNull(waker);
    }

    /** Tells the driving loop that there is work now. */
    public void wake() {
        waker.run();
    }

    /** Whether a connection is up. */
    public boolean connected() {
        return connection.session() != null;
    }

    /**
     * Queues a QoS 1 publish that is not an outbox frame (shadow get/update). Sent before outbox frames while
     * connected, subject to the rate limit; dropped when the connection ends (the shadow is fetched again on
     * connect). Any thread; from outside a hook, {@link #wake} the loop after.
     */
    public void publishControl(String topic, byte[] payload) {
        control.add(topic, payload.clone());
    }

    /** Subscribes on the current connection (from {@link Hooks#connected}). */
    public void subscribe(List<String> filters) throws BrokerException {
        BrokerSession session = connection.session();
        if (session == null) {
            throw new BrokerException("not connected");
        }
        session.subscribe(filters);
    }

    /** Does everything due now; returns when it next wants to run (it may be woken earlier). */
    public Instant tick() {
        try {
            return tickOnce();
        } finally {
            snapshot = snapshotNow();
        }
    }

    private Instant tickOnce() {
        if (stopped) {
            return Instant.MAX;
        }
        Instant now = clock.instant();
        handleEvents(now);
        frames.followGeneration();
        if (connection.due(now)) {
            connection.connect(now, this::onConnected);
            handleEvents(now);
        }
        if (!connected()) {
            return connection.nextAttempt();
        }
        bucket.refill(now);
        reportRaw();
        sendControl();
        return drain(now);
    }

    /** Disconnects and stops; frames without PUBACK stay in the outbox. */
    public void stop() {
        stopped = true;
        connection.close();
        releaseInFlight();
        control.clear();
        snapshot = snapshotNow();
    }

    /** The state at the end of the last tick; safe to call from any thread. */
    public Status status() {
        return snapshot;
    }

    private Status snapshotNow() {
        UplinkCounters c = counters;
        Instant nextAttempt = connected() ? null : connection.nextAttempt();
        return new Status(connected(), inFlightCount(), c.published, c.acknowledged, c.rejectedDropped,
                c.rejectedKept, c.connects, c.connectFailures, c.lastPuback, nextAttempt, c.lastError,
                voice == null ? 0 : voice.published(), voice == null ? 0 : voice.acknowledged(),
                c.publishesSent, c.bytesSent, c.messagesReceived, c.bytesReceived);
    }

    private int inFlightCount() {
        return frames.inFlight() + (voice != null && voice.inFlight() ? 1 : 0)
                + (raw != null && raw.inFlight() ? 1 : 0);
    }

    /** Every lane forgets its publishes in flight; they stay in their stores and go again after a connect. */
    private void releaseInFlight() {
        frames.release();
        if (voice != null) {
            voice.release();
        }
        if (raw != null) {
            raw.release();
        }
    }

    // --------------------------------------------------------------------------------------------- connection

    /** The new session is up: what the outbox holds now is the backlog; the hooks subscribe. */
    private void onConnected(int failuresBefore) {
        frames.connected();
        releaseInFlight();
        Logger.info("connected (attempt after {} failure(s)); backlog {} frame(s)", failuresBefore, outbox.size());
        hooks.connected(this);
    }

    /** The session is gone: every lane's publishes in flight and the queued control publishes are dropped. */
    private void lost(Instant now, Throwable cause) {
        connection.lost(now, cause);
        releaseInFlight();
        control.clear();
    }

    /** Full jitter: uniform in [0, min(max, min·2^(n-1))] ({@link Backoff}). */
    Duration jitter(int n) {
        return connection.jitter(n);
    }

    // --------------------------------------------------------------------------------------------- events

    private void handleEvents(Instant now) {
        try {
            handleEventsOnce(now);
        } finally {
            frames.deleteAnswered(); // before anything reads the outbox again
        }
    }

    private void handleEventsOnce(Instant now) {
        BrokerConnection.Event e;
        while ((e = connection.poll()) != null) {
            switch (e) {
                case BrokerConnection.Acked a -> acked(now, a);
                case BrokerConnection.Failed f -> {
                    if (connection.isCurrent(f.session())) {
                        failed(now, f); // else from an earlier session: its publishes were released at the loss
                    }
                }
                case BrokerConnection.Message m -> {
                    counters.received(m.topic(), m.payload().length);
                    hooks.message(m.topic(), m.payload());
                }
                case BrokerConnection.Lost l -> {
                    if (connection.isCurrent(l.session())) {
                        lost(now, l.cause());
                    }
                }
            }
        }
    }

    private void failed(Instant now, BrokerConnection.Failed f) {
        OutboxEntry entry = frames.failed(f.token());
        boolean voicePart = voice != null && voice.failed(f.token());
        BrokerException dead = connection.deadAfter(f);
        if (dead != null) {
            lost(now, dead); // the publish stays in its store and goes again after the reconnect
        } else if (entry != null) {
            frames.retryAfterBackOff(now, entry, "publish failed: " + oneLine(f.cause()));
        } else if (voicePart) {
            voice.retryAfterBackOff(now, "voice part publish failed: " + oneLine(f.cause()));
        } else if (raw != null && raw.owns(f.token())) {
            raw.failed(now, f.token(), "raw chunk publish failed: " + oneLine(f.cause()));
        }
    }

    private void acked(Instant now, BrokerConnection.Acked a) {
        connection.answered();
        if (control.owns(a.token())) {
            control.acked(a.reasonCode(), a.reason());
        } else if (raw != null && raw.owns(a.token())) {
            raw.acked(now, a.token(), a.reasonCode(), a.reason());
            if (a.reasonCode() < 0x80) {
                counters.lastPuback = now;
            }
        } else if (frames.owns(a.token())) {
            frames.acked(now, a.token(), a.reasonCode(), a.reason());
        } else if (voice != null) {
            voice.acked(now, a.token(), a.reasonCode(), a.reason());
        }
    }

    // --------------------------------------------------------------------------------------------- drain

    private void sendControl() {
        BrokerException e = control.send(connection.session(), bucket, counters);
        if (e != null) {
            lost(clock.instant(), e);
        }
    }

    private Instant drain(Instant now) {
        Instant paused = frames.pausedUntil(now);
        if (paused != null) {
            return paused;
        }
        while (connected() && inFlightCount() < settings.maxInFlight()) {
            OutboxEntry next = frames.pick(now);
            if (next == null) {
                Instant held = frames.heldUntil();
                Instant lowerNext = drainVoice(now);
                if (lowerNext != null) {
                    // idle (or voice waiting) until a held frame's time; an append or a PUBACK wakes the loop
                    // earlier. Without a voice or raw lane there is nothing to poll: sleep until the held frame's time
                    // (a fleet of virtual collars holding frames must not tick each one every second)
                    boolean nothingToPoll = voice == null && raw == null;
                    return held != null && (nothingToPoll || held.isBefore(lowerNext)) ? held : lowerNext;
                }
                continue;
            }
            if (frames.dropIfOversized(next)) {
                continue;
            }
            if (!bucket.take()) {
                frames.unpick(next);
                return bucket.nextAt(now);
            }
            try {
                frames.sending(next);
                String topic = topicOf.apply(next);
                connection.session().publish(next.id(), topic, next.payload());
                counters.sent(topic, next.size());
            } catch (BrokerException e) {
                frames.notSent(next);
                lost(now, e);
                return connection.nextAttempt();
            }
        }
        // full window: a PUBACK wakes the loop
        return connected() ? now.plusSeconds(1) : connection.nextAttempt();
    }

    /**
     * Publishes the next voice part (or, with none, raw chunk) when one may go now; returns null after a publish
     * (the caller loops), else when to look again.
     */
    private Instant drainVoice(Instant now) {
        if (voice == null) {
            return drainRaw(now);
        }
        Instant wait = voice.waitUntil(now); // raw waits behind a voice part in flight or paused
        if (wait != null) {
            return earlier(wait, now.plusSeconds(1));
        }
        if (!bucket.available()) {
            return bucket.nextAt(now);
        }
        VoiceParts.Part p = voice.next();
        if (p == null) {
            return drainRaw(now);
        }
        if (voice.dropIfOversized(p)) {
            return null;
        }
        bucket.take();
        long token = voice.send(p);
        try {
            connection.session().publish(token, voice.topic(), p.payload());
            counters.sent(voice.topic(), p.payload().length);
        } catch (BrokerException e) {
            voice.release();
            lost(now, e);
            return connection.nextAttempt();
        }
        return null;
    }

    /** Publishes the next raw chunk when one may go now; null after a publish, else when to look again. */
    private Instant drainRaw(Instant now) {
        Instant idle = now.plusSeconds(1);
        if (raw == null) {
            return idle;
        }
        Instant wait = raw.waitUntil(now);
        if (wait != null) {
            return earlier(wait, idle);
        }
        if (!bucket.available()) {
            return bucket.nextAt(now);
        }
        RawChunks.Chunk c = raw.take();
        if (c == null) {
            return idle;
        }
        bucket.take();
        try {
            connection.session().publish(raw.token(), raw.topic(), c.payload());
            counters.sent(raw.topic(), c.payload().length);
        } catch (BrokerException e) {
            raw.release();
            lost(now, e);
            return connection.nextAttempt();
        }
        return null;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private void reportRaw() {
        if (rawReport == null) {
            return;
        }
        boolean fresh = rawReportedConnects != counters.connects;
        rawReportedConnects = counters.connects;
        byte[] update = rawReport.poll(fresh);
        if (update != null) {
            control.add(rawReportTopic, update);
        }
    }

    /** A throwable as one log line: its class and message, line breaks folded. */
    public static String oneLine(Throwable e) {
        if (e == null) {
            return "";
        }
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": "
                + e.getMessage();
        return m.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
