package com.pettysync.agent.uplink;

import com.pettysync.agent.outbox.FrameKind;
import com.pettysync.drivers.retry.Backoff;
import com.pettysync.agent.outbox.OutboxEntry;
import com.pettysync.agent.outbox.Outbox;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.tinylog.Logger;

/**
 * Moves frames from the {@link Outbox} to the broker, and keeps the connection up.
 *
 * <h2>Guarantee</h2>
 * A frame is removed from the outbox only when the broker answered its publish with a PUBACK whose reason code is
 * below 0x80, or when the rejection rule below says the broker will never accept it. Anything else (no PUBACK,
 * connection lost, quota) leaves it in the outbox, and it is published again after the next connect: at least
 * once. The uplink never publishes faster than {@code publishesPerSecond} (a token bucket of size one on the
 * injected clock: publishes are paced evenly, so no calendar second sees more than the rate), never has more than {@code maxInFlight} publishes without PUBACK, and never retries in a tight
 * loop: every retry waits for a back-off.
 *
 * <h2>How it is driven</h2>
 * Single-threaded: one loop calls {@link #tick()} (which does everything due at the clock's now and returns when
 * it next wants to run) and sleeps until then or until {@link #wake} is called. Broker callbacks arrive on other
 * threads; they are queued and handled by the next tick. Tests drive {@code tick()} with a manual clock.
 *
 * <h2>Connection</h2>
 * A new {@link BrokerSession} per attempt (Paho's automatic reconnect stays off). After a failed attempt or a lost
 * connection the next attempt waits a <em>full jitter</em> delay: uniform in [0, min(max, min·2<sup>n</sup>)] for
 * the n-th consecutive failure, so a fleet that loses its broker at once spreads its reconnects out. The failure
 * count resets only after a connection stayed up for {@link Settings#stableAfter}.
 *
 * <p>A session that fails publishes without ever reporting {@code connectionLost} (a client that silently lost
 * its socket) is treated as lost, so the uplink does not retry on a dead session forever: a publish that throws,
 * a failed publish whose cause says the client is not connected (a cause message containing "not connected" or
 * "connection lost", as Paho and the HiveMQ client word it), or {@value #DEAD_AFTER_PUBLISH_FAILURES} consecutive
 * failed publishes (no PUBACK of any reason code in between) close the session and go through the reconnect
 * back-off above. Failures reported by an earlier session are ignored.
 *
 * <h2>Drain order (lanes, highest first)</h2>
 * <ol>
 * <li><b>Events</b> (contract §4: "sent at once"): every event frame waiting, oldest first, before any telemetry
 * — also those of the backlog. An event appended while the uplink paces a backlog wakes it ({@link #wake}) and
 * takes the next token of the bucket: it waits at most one token interval (100 ms at 10/s), never behind the
 * backlog.</li>
 * <li><b>Telemetry</b>: at connect, the outbox's frames are the <em>backlog</em>, sent oldest first; frames
 * appended later are <em>live</em>. When both are waiting, publishes alternate between them, so new windows are
 * not held behind a long backlog. With {@link #setTelemetryRelease}, a telemetry frame is not offered before its
 * publish time ({@link TelemetryRelease}: {@code t0 + dur + o}, contract §8) — it waits in the outbox, committed, and
 * the frames behind it in its lane (later windows) wait with it; events and the other lane are not held.</li>
 * <li><b>Voice</b> clip parts (below), only when no frame is waiting.</li>
 * </ol>
 * Every lane goes through the same token bucket, so the sum stays within {@code publishesPerSecond}.
 *
 * <h2>Rejections (PUBACK reason code ≥ 0x80), by rule ({@link PubackReason}: the one table)</h2>
 * <ul>
 * <li>0x90 topic name invalid, 0x95 packet too large, 0x99 payload format invalid: the broker will never accept
 * these bytes — the frame is dropped from the outbox and counted in {@link Status#rejectedDropped}. A frame over
 * 128 KiB (AWS IoT Core's limit) is dropped the same way without being sent.</li>
 * <li>0x97 quota exceeded, 0x80 unspecified, 0x83 implementation specific, 0x91 packet id in use and any other
 * code: the frame is kept, publishing pauses for a back-off delay (same rule as reconnects, growing while
 * rejections continue, reset by the next accepted publish), then resumes from the rejected frame.</li>
 * <li>0x87 not authorized: kept, and publishing pauses for {@link Settings#notAuthorizedPause} (a policy
 * mistake must not erase the backlog; fixing the policy lets it drain).</li>
 * </ul>
 * Every rejection is logged with its code and the broker's reason string.
 *
 * <h2>Voice clip parts (lowest priority)</h2>
 * With {@link #setVoice}, contract §5 voice parts go out on the voice topic at QoS 1 — but only when no telemetry
 * or event frame is waiting to be sent, at most one part in flight (it counts against {@code maxInFlight}), and
 * through the same token bucket: a frame made while a part is in flight goes next, so voice never delays telemetry
 * by more than one part's PUBACK. A part is marked acknowledged on its PUBACK ({@link VoiceParts#acknowledged}).
 * Rejections follow the rules above, except that the pause applies to voice only (a clip the broker refuses must
 * not hold back telemetry): 0x90/0x95/0x99 drop the clip ({@link VoiceParts#rejected}, counted in
 * {@code rejectedDropped}), 0x87 pauses voice for {@link Settings#notAuthorizedPause}, anything else pauses voice
 * for a growing back-off and then offers the same part again.
 *
 * <h2>Raw-capture chunks (below voice)</h2>
 * With {@link #setRaw}, contract §9 chunks go out on the raw topic at QoS 1 only when no frame and no voice part
 * is waiting or in flight, one at a time, through the same token bucket; their PUBACK rules and pauses are the
 * lane's own ({@link RawLane}), so raw data never delays anything else by more than one chunk's PUBACK.
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

    private sealed interface Event {
    }

    private record Acked(long token, int reasonCode, String reason) implements Event {
    }

    private record Failed(BrokerSession session, long token, Throwable cause) implements Event {
    }

    private record Message(String topic, byte[] payload) implements Event {
    }

    private record Lost(BrokerSession session, Throwable cause) implements Event {
    }

    private final Outbox outbox;
    private final Supplier<BrokerSession> sessions;
    private final Function<OutboxEntry, String> topicOf;
    private final Settings settings;
    private final Clock clock;
    private final Backoff backoff;
    private final Hooks hooks;
    private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
    private volatile Runnable waker = () -> { };

    private BrokerSession session;
    private Instant connectedAt;
    private Instant nextAttempt;
    private int failures;
    private int rejectFailures;
    private int publishFailures;
    private Instant pausedUntil = Instant.MIN;

    private final Map<Long, OutboxEntry> inFlight = new LinkedHashMap<>();
    /** Frames whose PUBACK (or final rejection) arrived in this handleEvents pass: deleted in one transaction. */
    private final List<Long> ackedIds = new ArrayList<>();
    private final ConcurrentLinkedQueue<Control> control = new ConcurrentLinkedQueue<>(); // from any thread
    private long controlTokens = -1; // control publishes use negative tokens
    private long boundary;
    private long backlogCursor;
    private long eventCursor; // the event lane: events up to here were offered on this session
    private long liveCursor;
    private boolean preferLive;
    private long seenGeneration;
    private double tokens;
    private Instant tokensAt;
    private boolean stopped;
    private TelemetryRelease release;
    /** The earliest time a telemetry frame held by {@link #release} may go, found by the last pick; or null. */
    private Instant heldUntil;

    private volatile Status snapshot;
    private long published;
    private long acknowledged;
    private long rejectedDropped;
    private long rejectedKept;
    private long connects;
    private long connectFailures;
    private Instant lastPuback;
    private String lastError;

    private record Control(String topic, byte[] payload) {
    }

    private RawLane raw;
    private RawReport rawReport;
    private String rawReportTopic;
    private long rawReportedConnects = -1;

    /** The raw capture's state for the shadow's reported section (polled on the uplink's thread). */
    public interface RawReport {
        /**
         * A shadow update to publish now, or null: called every tick while connected; {@code newConnection} is
         * true on the first call after a connect (report again, the cloud may have missed the last one).
         */
        byte[] poll(boolean newConnection);
    }

    /**
     * Publishes raw-capture chunks from {@code chunks} on {@code topic} (see the class comment) and {@code report}'s
     * shadow updates on {@code reportTopic}; call before the loop runs.
     */
    public void setRaw(RawChunks chunks, String topic, RawReport report, String reportTopic) {
        this.raw = new RawLane(Objects.requireNonNull(chunks), Objects.requireNonNull(topic), backoff,
                settings.backoffMin(), settings.notAuthorizedPause());
        this.rawReport = Objects.requireNonNull(report);
        this.rawReportTopic = Objects.requireNonNull(reportTopic);
    }

    /** Tokens of voice part publishes: far above any outbox id (ids stay below 2^62, also when degraded). */
    static final long VOICE_TOKEN_BASE = 1L << 62;
    private VoiceParts voice;
    private String voiceTopic;
    private long voiceTokens = VOICE_TOKEN_BASE;
    private long voiceToken;
    private VoiceParts.Part voiceInFlight;
    private Instant voicePausedUntil = Instant.MIN;
    private int voiceRejectFailures;
    private long voicePublished;
    private long voiceAcknowledged;
    private long publishesSent;
    private long bytesSent;
    private long messagesReceived;
    private long bytesReceived;

    public Uplink(Outbox outbox, Supplier<BrokerSession> sessions, Function<OutboxEntry, String> topicOf,
            Settings settings, Clock clock, RandomGenerator random, Hooks hooks) {
        this.outbox = Objects.requireNonNull(outbox);
        this.sessions = Objects.requireNonNull(sessions);
        this.topicOf = Objects.requireNonNull(topicOf);
        this.settings = Objects.requireNonNull(settings);
        this.clock = Objects.requireNonNull(clock);
        this.backoff = Backoff.fullJitter(settings.backoffMin(), settings.backoffMax(), random);
        this.hooks = hooks == null ? new Hooks() { } : hooks;
        this.nextAttempt = clock.instant();
        this.tokensAt = clock.instant();
        this.tokens = 1;
        this.snapshot = snapshotNow();
    }

    /**
     * Publishes voice clip parts from {@code parts} on {@code topic} (see the class comment); call before the loop
     * runs.
     */
    public void setVoice(VoiceParts parts, String topic) {
        this.voice = Objects.requireNonNull(parts);
        this.voiceTopic = Objects.requireNonNull(topic);
    }

    /**
     * Holds each telemetry frame until its publish time (contract §8's publish offset, see {@link TelemetryRelease});
     * without it frames are offered as soon as they are committed. Call before the loop runs.
     */
    public void setTelemetryRelease(TelemetryRelease release) {
        this.release = Objects.requireNonNull(release);
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
        return session != null;
    }

    /**
     * Queues a QoS 1 publish that is not an outbox frame (shadow get/update). Sent before outbox frames while
     * connected, subject to the rate limit; dropped when the connection ends (the shadow is fetched again on
     * connect). Any thread; from outside a hook, {@link #wake} the loop after.
     */
    public void publishControl(String topic, byte[] payload) {
        control.add(new Control(topic, payload.clone()));
    }

    /** Subscribes on the current connection (from {@link Hooks#connected}). */
    public void subscribe(List<String> filters) throws BrokerException {
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
        if (outbox.generation() != seenGeneration) {
            seenGeneration = outbox.generation();
            backlogCursor = 0;
            liveCursor = 0;
            eventCursor = 0;
        }
        if (session == null && !now.isBefore(nextAttempt)) {
            connect(now);
            handleEvents(now);
        }
        if (session == null) {
            return nextAttempt;
        }
        refill(now);
        reportRaw();
        sendControl();
        Instant wantNext = drain(now);
        return wantNext;
    }

    /** Disconnects and stops; frames without PUBACK stay in the outbox. */
    public void stop() {
        stopped = true;
        if (session != null) {
            session.close();
            session = null;
        }
        inFlight.clear();
        voiceInFlight = null;
        releaseRaw();
        control.clear();
        snapshot = snapshotNow();
    }

    /** The state at the end of the last tick; safe to call from any thread. */
    public Status status() {
        return snapshot;
    }

    private Status snapshotNow() {
        return new Status(session != null, inFlightCount(), published, acknowledged, rejectedDropped, rejectedKept,
                connects, connectFailures, lastPuback, session == null ? nextAttempt : null, lastError,
                voicePublished, voiceAcknowledged, publishesSent, bytesSent, messagesReceived, bytesReceived);
    }

    // --------------------------------------------------------------------------------------------- connection

    private void connect(Instant now) {
        BrokerSession s = sessions.get();
        try {
            s.connect(new Listener(s));
            session = s;
            connectedAt = now;
            connects++;
            boundary = lastOutboxId();
            backlogCursor = 0;
            liveCursor = boundary;
            eventCursor = 0;
            inFlight.clear();
            voiceInFlight = null;
            releaseRaw();
            publishFailures = 0;
            lastError = null;
            Logger.info("connected (attempt after {} failure(s)); backlog {} frame(s)", failures, outbox.size());
            hooks.connected(this);
        } catch (BrokerException | RuntimeException e) {
            s.close();
            if (session == s) {
                session = null;
            }
            connectFailures++;
            failures++;
            lastError = oneLine(e);
            nextAttempt = now.plus(jitter(failures));
            Logger.warn("connect failed ({}); next attempt in {} ms", lastError,
                    Duration.between(now, nextAttempt).toMillis());
        }
    }

    private void lost(Instant now, Throwable cause) {
        if (session != null) {
            session.close();
            session = null;
        }
        inFlight.clear();
        voiceInFlight = null;
        releaseRaw();
        control.clear();
        if (connectedAt != null && Duration.between(connectedAt, now).compareTo(settings.stableAfter()) >= 0) {
            failures = 0;
        }
        failures++;
        lastError = cause == null ? "connection lost" : oneLine(cause);
        nextAttempt = now.plus(jitter(failures));
        Logger.warn("connection lost ({}); reconnecting in {} ms", lastError,
                Duration.between(now, nextAttempt).toMillis());
    }

    /** Full jitter: uniform in [0, min(max, min·2^(n-1))] ({@link Backoff}). */
    Duration jitter(int n) {
        return backoff.delay(n);
    }

    // --------------------------------------------------------------------------------------------- events

    private final class Listener implements BrokerSession.Listener {
        private final BrokerSession owner;

        Listener(BrokerSession owner) {
            this.owner = owner;
        }

        @Override
        public void published(long token, int reasonCode, String reason) {
            events.add(new Acked(token, reasonCode, reason));
            wake();
        }

        @Override
        public void publishFailed(long token, Throwable cause) {
            events.add(new Failed(owner, token, cause));
            wake();
        }

        @Override
        public void message(String topic, byte[] payload) {
            events.add(new Message(topic, payload));
            wake();
        }

        @Override
        public void connectionLost(Throwable cause) {
            events.add(new Lost(owner, cause));
            wake();
        }
    }

    private void handleEvents(Instant now) {
        try {
            handleEventsOnce(now);
        } finally {
            // before anything reads the outbox again (a rewound cursor must not find an acknowledged frame)
            if (!ackedIds.isEmpty()) {
                outbox.acknowledgeAll(ackedIds);
                ackedIds.clear();
            }
        }
    }

    private void handleEventsOnce(Instant now) {
        Event e;
        while ((e = events.poll()) != null) {
            switch (e) {
                case Acked a -> acked(now, a);
                case Failed f -> {
                    if (f.session() != session) {
                        break; // from an earlier session: its frames were already released at the loss
                    }
                    OutboxEntry entry = f.token() < 0 || f.token() >= VOICE_TOKEN_BASE ? null
                            : inFlight.remove(f.token());
                    boolean voicePart = voiceInFlight != null && f.token() == voiceToken;
                    if (voicePart) {
                        voiceInFlight = null;
                    }
                    publishFailures++;
                    if (!f.session().isConnected() || notConnected(f.cause())
                            || publishFailures >= DEAD_AFTER_PUBLISH_FAILURES) {
                        // a dead session: the frame stays in the outbox and goes again after the reconnect
                        lost(now, new BrokerException("publish failed " + publishFailures + " time(s) in a row: "
                                + oneLine(rootOf(f.cause())), f.cause()));
                    } else if (entry != null) {
                        // the frame stays in the outbox; resend it after a back-off, not at once
                        rewindTo(entry.id());
                        pause(now, "publish failed: " + oneLine(f.cause()));
                    } else if (voicePart) {
                        pauseVoice(now, "voice part publish failed: " + oneLine(f.cause()));
                    } else if (raw != null && raw.owns(f.token())) {
                        raw.failed(now, f.token(), "raw chunk publish failed: " + oneLine(f.cause()));
                    }
                }
                case Message m -> {
                    messagesReceived++;
                    bytesReceived += m.topic().length() + m.payload().length;
                    hooks.message(m.topic(), m.payload());
                }
                case Lost l -> {
                    if (l.session() == session) {
                        lost(now, l.cause());
                    }
                }
            }
        }
    }

    private void acked(Instant now, Acked a) {
        publishFailures = 0; // the broker answered: the session is alive
        if (a.token() < 0) {
            if (a.reasonCode() >= 0x80) {
                Logger.warn("control publish rejected: 0x{} {}", Integer.toHexString(a.reasonCode()), a.reason());
            }
            return;
        }
        if (raw != null && raw.owns(a.token())) {
            raw.acked(now, a.token(), a.reasonCode(), a.reason());
            if (a.reasonCode() < 0x80) {
                lastPuback = now;
            }
            return;
        }
        if (a.token() >= VOICE_TOKEN_BASE) {
            voiceAcked(now, a);
            return;
        }
        OutboxEntry entry = inFlight.remove(a.token());
        if (entry == null) {
            return; // from a previous connection
        }
        int rc = a.reasonCode();
        PubackReason.Rule rule = PubackReason.ruleOf(rc);
        if (rule == PubackReason.Rule.DELETE) {
            ackedIds.add(entry.id()); // deleted together at the end of handleEvents
            acknowledged++;
            lastPuback = now;
            rejectFailures = 0;
            return;
        }
        String what = "PUBACK " + PubackReason.describe(rc) + (a.reason() == null ? "" : " (" + a.reason() + ")")
                + " for " + entry.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + entry.counter();
        switch (rule) {
            case DROP -> {
                ackedIds.add(entry.id());
                rejectedDropped++;
                Logger.error("{}: the broker will never accept it; dropped", what);
            }
            case PAUSE -> {
                rejectedKept++;
                rewindTo(entry.id());
                pausedUntil = now.plus(settings.notAuthorizedPause());
                lastError = what;
                Logger.error("{}: kept; publishing paused for {} s (check the IoT policy)", what,
                        settings.notAuthorizedPause().toSeconds());
            }
            default -> { // BACK_OFF
                rejectedKept++;
                rewindTo(entry.id());
                pause(now, what);
            }
        }
    }

    private void voiceAcked(Instant now, Acked a) {
        if (voiceInFlight == null || a.token() != voiceToken) {
            return; // from a previous connection
        }
        VoiceParts.Part p = voiceInFlight;
        voiceInFlight = null;
        int rc = a.reasonCode();
        PubackReason.Rule rule = PubackReason.ruleOf(rc);
        if (rule == PubackReason.Rule.DELETE) {
            voice.acknowledged(p);
            voiceAcknowledged++;
            lastPuback = now;
            voiceRejectFailures = 0;
            return;
        }
        String what = "PUBACK " + PubackReason.describe(rc) + (a.reason() == null ? "" : " (" + a.reason() + ")")
                + " for voice clip " + p.clipId() + " part " + p.part() + "/" + p.parts();
        switch (rule) {
            case DROP -> {
                voice.rejected(p, what);
                rejectedDropped++;
                Logger.error("{}: the broker will never accept it; clip dropped", what);
            }
            case PAUSE -> {
                rejectedKept++;
                voicePausedUntil = now.plus(settings.notAuthorizedPause());
                lastError = what;
                Logger.error("{}: kept; voice paused for {} s (check the IoT policy)", what,
                        settings.notAuthorizedPause().toSeconds());
            }
            default -> { // BACK_OFF
                rejectedKept++;
                pauseVoice(now, what);
            }
        }
    }

    private void pauseVoice(Instant now, String why) {
        voiceRejectFailures++;
        Duration d = jitter(voiceRejectFailures);
        if (d.compareTo(settings.backoffMin()) < 0) {
            d = settings.backoffMin();
        }
        voicePausedUntil = now.plus(d);
        lastError = why;
        Logger.warn("{}: kept; voice paused for {} ms", why, d.toMillis());
    }

    private int inFlightCount() {
        return inFlight.size() + (voiceInFlight == null ? 0 : 1) + (raw != null && raw.inFlight() ? 1 : 0);
    }

    private void pause(Instant now, String why) {
        rejectFailures++;
        Duration d = jitter(rejectFailures);
        if (d.compareTo(settings.backoffMin()) < 0) {
            d = settings.backoffMin();
        }
        Instant until = now.plus(d);
        if (until.isAfter(pausedUntil)) {
            pausedUntil = until;
        }
        lastError = why;
        Logger.warn("{}: kept; publishing paused for {} ms", why, d.toMillis());
    }

    private void rewindTo(long id) {
        eventCursor = Math.min(eventCursor, id - 1); // harmless for telemetry: the event lane finds no telemetry
        if (id <= boundary) {
            backlogCursor = Math.min(backlogCursor, id - 1);
        } else {
            liveCursor = Math.min(liveCursor, id - 1);
        }
    }

    // --------------------------------------------------------------------------------------------- drain

    private void refill(Instant now) {
        double rate = settings.publishesPerSecond();
        long nanos = Duration.between(tokensAt, now).toNanos();
        if (nanos > 0) {
            tokens = Math.min(1.0, tokens + nanos * rate / 1e9); // bucket of one: evenly paced, no bursts
            tokensAt = now;
        }
    }

    private void sent(String topic, int payloadBytes) {
        publishesSent++;
        bytesSent += topic.length() + payloadBytes;
    }

    private boolean takeToken() {
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    private void sendControl() {
        while (session != null && !control.isEmpty() && takeToken()) {
            Control c = control.poll();
            try {
                session.publish(controlTokens--, c.topic(), c.payload());
                sent(c.topic(), c.payload().length);
            } catch (BrokerException e) {
                lost(clock.instant(), e);
            }
        }
    }

    private Instant drain(Instant now) {
        if (now.isBefore(pausedUntil)) {
            return pausedUntil;
        }
        while (session != null && inFlightCount() < settings.maxInFlight()) {
            OutboxEntry next = pick(now);
            if (next == null) {
                Instant held = heldUntil;
                Instant voiceNext = drainVoice(now);
                if (voiceNext != null) {
                    // idle (or voice waiting) until a held frame's time; an append or a PUBACK wakes the loop
                    // earlier. Without a voice or raw lane there is nothing to poll: sleep until the held frame's time
                    // (a fleet of virtual collars holding frames must not tick each one every second)
                    boolean nothingToPoll = voice == null && raw == null;
                    return held != null && (nothingToPoll || held.isBefore(voiceNext)) ? held : voiceNext;
                }
                continue;
            }
            if (next.size() > MAX_PAYLOAD_BYTES) {
                outbox.acknowledge(next.id());
                rejectedDropped++;
                Logger.error("frame {} of {} bytes exceeds the 128 KiB payload limit; dropped", next.counter(),
                        next.size());
                continue;
            }
            if (!takeToken()) {
                unpick(next);
                double missing = 1 - tokens;
                return now.plusNanos((long) Math.ceil(missing * 1e9 / settings.publishesPerSecond()));
            }
            try {
                inFlight.put(next.id(), next);
                published++;
                String topic = topicOf.apply(next);
                session.publish(next.id(), topic, next.payload());
                sent(topic, next.size());
            } catch (BrokerException e) {
                inFlight.remove(next.id());
                lost(now, e);
                return nextAttempt;
            }
        }
        // full window: a PUBACK wakes the loop
        return session == null ? nextAttempt : now.plusSeconds(1);
    }

    /**
     * Publishes the next voice part when one may go now; returns null after a publish (the caller loops), else
     * when to look again.
     */
    private Instant drainVoice(Instant now) {
        Instant idle = now.plusSeconds(1);
        if (voiceInFlight != null) {
            return idle; // raw waits behind a voice part in flight
        }
        if (voice == null) {
            return drainRaw(now);
        }
        if (now.isBefore(voicePausedUntil)) {
            return voicePausedUntil.isBefore(idle) ? voicePausedUntil : idle;
        }
        if (tokens < 1) {
            return now.plusNanos((long) Math.ceil((1 - tokens) * 1e9 / settings.publishesPerSecond()));
        }
        VoiceParts.Part p = voice.next();
        if (p == null) {
            return drainRaw(now);
        }
        if (p.payload().length > MAX_PAYLOAD_BYTES) {
            voice.rejected(p, "part of " + p.payload().length + " bytes exceeds the 128 KiB payload limit");
            rejectedDropped++;
            Logger.error("voice clip {} part {} exceeds the 128 KiB payload limit; clip dropped", p.clipId(),
                    p.part());
            return null;
        }
        takeToken();
        voiceToken = voiceTokens++;
        voiceInFlight = p;
        voicePublished++;
        try {
            session.publish(voiceToken, voiceTopic, p.payload());
            sent(voiceTopic, p.payload().length);
        } catch (BrokerException e) {
            voiceInFlight = null;
            lost(now, e);
            return nextAttempt;
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
            return wait.isBefore(idle) ? wait : idle;
        }
        if (tokens < 1) {
            return now.plusNanos((long) Math.ceil((1 - tokens) * 1e9 / settings.publishesPerSecond()));
        }
        RawChunks.Chunk c = raw.take();
        if (c == null) {
            return idle;
        }
        takeToken();
        try {
            session.publish(raw.token(), raw.topic(), c.payload());
        } catch (BrokerException e) {
            raw.release();
            lost(now, e);
            return nextAttempt;
        }
        return null;
    }

    private void releaseRaw() {
        if (raw != null) {
            raw.release();
        }
    }

    private void reportRaw() {
        if (rawReport == null) {
            return;
        }
        boolean fresh = rawReportedConnects != connects;
        rawReportedConnects = connects;
        byte[] update = rawReport.poll(fresh);
        if (update != null) {
            control.add(new Control(rawReportTopic, update));
        }
    }

    private OutboxEntry pick(Instant now) {
        heldUntil = null;
        OutboxEntry event = pickEvent();
        if (event != null) {
            return event;
        }
        OutboxEntry backlog = backlogCursor < boundary ? firstNotInFlight(backlogCursor, boundary) : null;
        boolean backlogHeld = held(backlog, now);
        if (backlogHeld) {
            backlog = null; // not exhausted: its cursor stays
        }
        OutboxEntry live = firstNotInFlight(Math.max(liveCursor, boundary), Long.MAX_VALUE);
        if (held(live, now)) {
            live = null;
        }
        OutboxEntry chosen;
        if (backlog != null && live != null) {
            chosen = preferLive ? live : backlog;
            preferLive = !preferLive;
        } else {
            chosen = backlog != null ? backlog : live;
        }
        if (chosen == null) {
            if (backlog == null && !backlogHeld) {
                backlogCursor = boundary;
            }
            return null;
        }
        if (chosen.id() <= boundary) {
            backlogCursor = chosen.id();
        } else {
            liveCursor = chosen.id();
        }
        return chosen;
    }

    /** Whether {@code e} is a telemetry frame before its publish time; notes that time in {@link #heldUntil}. */
    private boolean held(OutboxEntry e, Instant now) {
        if (e == null || release == null) {
            return false;
        }
        Instant until = release.heldUntil(e, now);
        if (until == null) {
            return false;
        }
        if (heldUntil == null || until.isBefore(heldUntil)) {
            heldUntil = until;
        }
        return true;
    }

    private void unpick(OutboxEntry e) {
        if (e.kind() == FrameKind.EVENT) {
            eventCursor = Math.min(eventCursor, e.id() - 1);
            return; // the telemetry lanes' cursors were not moved
        }
        rewindTo(e.id());
        preferLive = !preferLive;
    }

    /** The oldest event not in flight, or null; the event lane's cursor moves past it. */
    private OutboxEntry pickEvent() {
        long cursor = eventCursor;
        while (true) {
            List<OutboxEntry> batch = outbox.pendingAfter(cursor, settings.maxInFlight() + 1, FrameKind.EVENT);
            for (OutboxEntry e : batch) {
                if (!inFlight.containsKey(e.id())) {
                    eventCursor = e.id();
                    return e;
                }
                cursor = e.id();
            }
            if (batch.size() <= settings.maxInFlight()) {
                return null;
            }
        }
    }

    private OutboxEntry firstNotInFlight(long after, long upTo) {
        long cursor = after;
        while (true) {
            List<OutboxEntry> batch = outbox.pendingAfter(cursor, settings.maxInFlight() + 1);
            for (OutboxEntry e : batch) {
                if (e.id() > upTo) {
                    return null;
                }
                if (!inFlight.containsKey(e.id())) {
                    return e;
                }
                cursor = e.id();
            }
            if (batch.size() <= settings.maxInFlight()) {
                return null;
            }
        }
    }

    private long lastOutboxId() {
        return outbox.newestId();
    }

    /**
     * Whether a publish failure's cause chain says the client has no connection (besides
     * {@link BrokerSession#isConnected()}: the failure may arrive before the client has noticed).
     */
    static boolean notConnected(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(java.util.Locale.ROOT);
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
