package com.pettysync.agent.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.agent.config.AgentConfig;
import com.pettysync.agent.event.EventRecorder;
import com.pettysync.agent.energy.EnergyAccount;
import com.pettysync.agent.energy.PowerModel;
import com.pettysync.agent.energy.ProcessCpu;
import com.pettysync.agent.event.EventWatch;
import com.pettysync.agent.outbox.FrameKind;
import com.pettysync.agent.outbox.OutboxHealth;
import com.pettysync.agent.outbox.OutboxStore;
import com.pettysync.agent.ota.DirectorySlots;
import com.pettysync.agent.ota.HealthProbe;
import com.pettysync.agent.ota.JobsClient;
import com.pettysync.agent.ota.ModelSlot;
import com.pettysync.agent.ota.OtaService;
import com.pettysync.agent.ota.UpdateRecord;
import com.pettysync.agent.provision.ClaimProvisioning;
import com.pettysync.agent.provision.ProvisioningStatus;
import com.pettysync.agent.raw.RawStreaming;
import com.pettysync.agent.sensing.CollarSource;
import com.pettysync.agent.sensing.Observations;
import com.pettysync.agent.shadow.ConfigShadow;
import com.pettysync.agent.uplink.BrokerSession;
import com.pettysync.agent.uplink.PahoBrokerSession;
import com.pettysync.agent.uplink.PemTls;
import com.pettysync.agent.uplink.TelemetryRelease;
import com.pettysync.agent.uplink.Uplink;
import com.pettysync.agent.uplink.UplinkLoop;
import com.pettysync.agent.voice.EpisodeRecorder;
import com.pettysync.agent.voice.VoiceClips;
import com.pettysync.agent.window.ClockSource;
import com.pettysync.agent.window.WindowAggregator;
import com.pettysync.agent.window.WindowInputs;
import com.pettysync.contract.event.EventType;
import com.pettysync.contract.shadow.CollarConfig;
import com.pettysync.contract.shadow.HrLimits;
import com.pettysync.contract.shadow.VoiceUpload;
import com.pettysync.contract.telemetry.DeviceStatus;
import com.pettysync.contract.telemetry.Firmware;
import com.pettysync.contract.topic.RuleName;
import com.pettysync.contract.topic.ThingName;
import com.pettysync.contract.topic.TopicScheme;
import com.pettysync.drivers.SensorStatus;
import com.pettysync.drivers.retry.Backoff;
import com.pettysync.drivers.position.GnssPowerMode;
import java.io.IOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocketFactory;
import org.tinylog.Logger;

/**
 * The running agent: wires the outbox, uplink, shadow, window aggregator and events, and owns their lifecycle.
 *
 * <p>A claim configuration ({@link AgentConfig#isClaim()}) is refused: it is provisioned first
 * ({@link ClaimProvisioning}, reporting through {@link #provisioningReporter}) and the agent starts on the permanent
 * configuration it leaves.
 *
 * <p>Start-up order: (1) the outbox (so nothing made later can be lost; it never fails, it degrades), (2) the TLS
 * material (bad PEM files stop the start with a clear error — nothing else has started), (3) the shadow and the
 * uplink loop (connects in the background; frames wait in the outbox while it cannot), (4) the window thread
 * (sensor collection, window close, events, status file). Shutdown ({@link #close()}) runs in the reverse order and
 * takes at most about 5 s: the window thread stops, the status file is written, the uplink disconnects (frames
 * without PUBACK stay in the outbox), the outbox checkpoints and closes.
 *
 * <p>The window thread is supervised: an exception from a sensor source or the aggregator is logged, counted
 * ({@code sensors.restarts} in the status) and the loop restarts after a back-off (1 s doubling to 60 s), without
 * touching the uplink. A window whose collection crashed is made from the next successful collection.
 */
public final class Agent implements AutoCloseable {

    private final AgentConfig config;
    private final Clock clock;
    private final OutboxStore outbox;
    private final VoiceClips voice;
    private final RawStreaming raw;
    private final Uplink uplink;
    private final UplinkLoop loop;
    private final ConfigShadow shadow;
    private final EventWatch events;
    private final WindowAggregator aggregator;
    private final AtomicInteger windowS;
    private final Thread windowThread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stop = lock.newCondition();
    private volatile boolean running = true;
    private volatile long restarts;
    private volatile String lastSensorError;
    /** Each sensor's state after the last collection. */
    private volatile Map<String, SensorStatus> sensorStates = Map.of();
    private final CollarSource sensing;
    private final EpisodeRecorder vocal;
    private final ProcessCpu cpu = new ProcessCpu();
    private final EnergyAccount energy;
    private Instant nextStatus = Instant.MIN;
    private final SystemdNotifier systemd = new SystemdNotifier();
    private final DirectorySlots slots;
    private final OtaService ota;
    private volatile long windowsClosed;
    private volatile int lastBatteryPct; // 0 until a window read the gauge: a job needing battery waits for it

    /** Starts an agent on {@code source} (the sensor pipeline or a simulation). */
    public static Agent start(AgentConfig config, Clock clock, CollarSource source, ClockSource.Probe probe)
            throws IOException {
        return new Agent(config, clock, source, probe, null, ModelSlot.NONE);
    }

    /** Starts an agent whose vocalisation model can be replaced over the air through {@code models}. */
    public static Agent start(AgentConfig config, Clock clock, CollarSource source, ClockSource.Probe probe,
            ModelSlot models) throws IOException {
        return new Agent(config, clock, source, probe, null, models);
    }

    /** For tests: a broker-session supplier instead of Paho over TLS. */
    static Agent start(AgentConfig config, Clock clock, CollarSource source, ClockSource.Probe probe,
            Supplier<BrokerSession> sessions) throws IOException {
        return new Agent(config, clock, source, probe, keepAliveS -> sessions.get(), ModelSlot.NONE);
    }

    /**
     * For tests: sessions made for the keep-alive in force when each connection is set up (what Paho gets in
     * production), so a test sees the shadow's {@code keepAliveS} reach the next CONNECT.
     */
    static Agent startWithKeepAlive(AgentConfig config, Clock clock, CollarSource source, ClockSource.Probe probe,
            IntFunction<BrokerSession> sessionsForKeepAlive) throws IOException {
        return new Agent(config, clock, source, probe, sessionsForKeepAlive, ModelSlot.NONE);
    }

    private Agent(AgentConfig config, Clock clock, CollarSource source, ClockSource.Probe probe,
            IntFunction<BrokerSession> sessions, ModelSlot models) throws IOException {
        if (config.isClaim()) {
            throw new IllegalArgumentException("the configuration holds a claim identity: provision it first"
                    + " (ClaimProvisioning; the CLI does this before it starts the agent)");
        }
        this.config = config;
        this.clock = clock;
        this.outbox = OutboxStore.open(config.dataDirectory(),
                OutboxStore.Options.withCapacity(config.outbox().capacityFrames()), clock);
        this.slots = DirectorySlots.ofDataDirectory(config.dataDirectory());
        OtaService started = null;
        UplinkLoop startedLoop = null;
        try {
            ThingName thing = config.thing();
            CollarConfig initial = CollarConfig.DEFAULTS.withKeepAliveS(config.keepAliveS());
            if (config.windowS() >= CollarConfig.MIN_TELEMETRY_INTERVAL_S) {
                initial = initial.withTelemetryIntervalS(config.windowS());
            }
            this.windowS = new AtomicInteger(config.windowS());
            this.sensing = source;
            this.energy = new EnergyAccount(PowerModel.REFERENCE, config.hardware().batteryMah());
            this.raw = RawStreaming.open(config.dataDirectory(), config.raw().quotaBytes(), clock);
            raw.attach(source);
            EventRecorder recorder = new EventRecorder(outbox, clock, this::wakeUplink);
            this.events = new EventWatch(recorder, EventWatch.DEFAULT_HR_SUSTAIN);
            this.shadow = new ConfigShadow(thing, initial, this::apply,
                    config.dataDirectory().resolve(ConfigShadow.SAVED_FILE));
            if (!shadow.current().equals(initial)) {
                apply(shadow.current()); // settings saved before a restart are in force before the first connect
            }
            source.gnssMode(receiverMode(shadow.current()));
            this.voice = VoiceClips.open(config.dataDirectory(), outbox, config.voice().quotaBytes(), clock);
            voice.uploadOnlyWhile(() -> shadow.current().voiceUpload() != VoiceUpload.OFF);
            this.vocal = new EpisodeRecorder(voice, recorder, shadow::current);
            source.onEpisode(vocal::record);
            IntFunction<BrokerSession> forKeepAlive = sessions != null ? sessions : pahoSessions(config);
            // each connection is set up with the keep-alive the shadow holds at that moment
            Supplier<BrokerSession> broker = () -> forKeepAlive.apply(shadow.current().keepAliveS());
            Uplink[] up = new Uplink[1];
            JobsClient jobs = new JobsClient(thing, (topic, payload) -> {
                up[0].publishControl(topic, payload);
                up[0].wake();
            });
            String telemetryTopic = TopicScheme.telemetry(thing, config.topicMode(),
                    config.basicIngestRule() == null ? RuleName.DEFAULT : config.basicIngestRule()).name();
            String eventsTopic = TopicScheme.events(thing).name();
            this.uplink = new Uplink(outbox, broker, e -> e.kind() == FrameKind.TELEMETRY ? telemetryTopic : eventsTopic,
                    new Uplink.Settings(config.outbox().maxInFlight(), config.outbox().drainPerSecond(),
                            config.reconnect().min(), config.reconnect().max(), Duration.ofSeconds(30),
                            Duration.ofMinutes(5)),
                    clock, new SplittableRandom(new SecureRandom().nextLong()), new Uplink.Hooks() {
                        @Override
                        public void connected(Uplink u) {
                            shadow.connected(u);
                            jobs.connected();
                        }

                        @Override
                        public void message(String topic, byte[] payload) {
                            shadow.message(topic, payload);
                            jobs.message(topic, payload);
                        }
                    });
            up[0] = uplink;
            uplink.setTelemetryRelease(TelemetryRelease.forThing(thing.value())); // contract §8: no boundary burst
            uplink.setVoice(voice, TopicScheme.voice(thing).name());
            raw.connect(uplink, thing);
            this.aggregator = new WindowAggregator(outbox, collected(source), probe, clock, windowS::get,
                    () -> shadow.current().lostMode(), () -> new Firmware(slots.runningBuild(), source.modelVersion()));
            source.observe(new EventRules());
            this.loop = startedLoop = new UplinkLoop(uplink, clock).start();
            started = OtaService.start(config, clock, slots, models, jobs, this::health,
                    (from, to, rolledBack) -> recorder.record(EventType.FIRMWARE_APPLIED, from, to, rolledBack ? 1 : 0),
                    () -> lastBatteryPct, Agent::restartForUpdate);
            this.ota = started;
        } catch (IOException | RuntimeException e) {
            if (started != null) {
                started.close();
            }
            if (startedLoop != null) {
                startedLoop.close(Duration.ofSeconds(2));
            }
            outbox.close();
            throw e;
        }
        this.windowThread = Thread.ofPlatform().name("window").unstarted(this::windowLoop);
        windowThread.start();
        systemd.ready();
        Logger.info("agent started: thing {}, endpoint {}:{}, window {} s, outbox {} pending", config.thingName(),
                config.endpoint(), config.port(), config.windowS(), outbox.size());
    }

    /**
     * The progress hook for {@link ClaimProvisioning} while a claim configuration is provisioned: each report is
     * written to the status file ({@code "thing": null} and a {@code provisioning} section, the same
     * {@code status.json} {@code pettysync agent status} reads) and pings systemd (ready at the first, the watchdog
     * at every one: the provisioning reports at least every 30 s, well inside {@code WatchdogSec=120}).
     */
    public static Consumer<ProvisioningStatus> provisioningReporter(AgentConfig claimConfig, Clock clock) {
        SystemdNotifier notifier = new SystemdNotifier();
        boolean[] ready = {false};
        return p -> {
            if (!ready[0]) {
                notifier.ready();
                ready[0] = true;
            }
            ObjectNode s = StatusFile.newNode();
            s.putNull("thing");
            s.put("updated", clock.instant().toString());
            s.put("pid", ProcessHandle.current().pid());
            s.put("connected", false);
            s.put("lastError", p.lastError());
            s.set("provisioning", StatusFile.provisioning(p));
            try {
                Files.createDirectories(claimConfig.dataDirectory());
                StatusFile.write(claimConfig.dataDirectory(), s);
            } catch (IOException | RuntimeException e) {
                Logger.warn("status file not written: {}", e.getMessage());
            }
            notifier.watchdog();
        };
    }

    private static IntFunction<BrokerSession> pahoSessions(AgentConfig c) throws IOException {
        SSLSocketFactory tls = PemTls.socketFactory(c.certificate(), c.privateKey(), c.caCertificate(),
                c.port() == AgentConfig.ALPN_PORT);
        String uri = "ssl://" + c.endpoint() + ":" + c.port();
        return keepAliveS -> new PahoBrokerSession(new PahoBrokerSession.Options(uri, c.thingName(), tls,
                keepAliveS, Duration.ofSeconds(10)));
    }

    /** A trial build's health for the update engine: connected, a PUBACK, a window read, no crash since start. */
    private HealthProbe.Health health() {
        Uplink.Status u = uplink.status();
        return new HealthProbe.Health(u.connected(), u.acknowledged() > 0, windowsClosed > 0, restarts);
    }

    /**
     * The restart into another slot: the process exits (from a new thread, so the shutdown hook can stop the update
     * thread that asked) and systemd starts the launcher again, which picks the slot.
     */
    private static void restartForUpdate(String why) {
        Logger.info("restarting for the update: {}", why);
        Thread.ofPlatform().name("restart").start(() -> System.exit(0));
    }

    private void wakeUplink() {
        UplinkLoop l = loop;
        if (l != null) {
            l.wake();
        }
    }

    /** Shadow settings take effect here, without a restart. */
    private void apply(CollarConfig c) {
        windowS.set(c.telemetryIntervalS());
        sensing.gnssMode(receiverMode(c));
        events.setGeofences(c.geofences().stream()
                .map(g -> new EventWatch.Fence(g.id(), g.lat(), g.lon(), g.radiusM())).toList());
        raw.request(c.rawCapture());
    }

    /** The receiver mode a setting asks for: {@code live} while lost mode is on, else the shadow's {@code gpsMode}. */
    public static GnssPowerMode receiverMode(CollarConfig c) {
        if (c.lostMode()) {
            return GnssPowerMode.LIVE;
        }
        return switch (c.gpsMode()) {
            case OFF -> GnssPowerMode.OFF;
            case ECO -> GnssPowerMode.ECO;
            case NORMAL -> GnssPowerMode.NORMAL;
            case LIVE -> GnssPowerMode.LIVE;
        };
    }

    /** Takes each window's sensor states after the window is collected. */
    private WindowInputs.Source collected(CollarSource source) {
        return (t0, dur) -> {
            WindowInputs in = source.collect(t0, dur);
            sensorStates = source.statuses(); // a copy, taken on the thread that collects
            lastBatteryPct = in.batteryPct();
            return in;
        };
    }

    /**
     * The event rules, run on each observation as it is made, on the sensor's own thread (contract §4), with the
     * settings in force at that moment.
     */
    private final class EventRules implements Observations {
        @Override
        public void fix(long tMs, int latE7, int lonE7, int haccDm) {
            events.fix(tMs, latE7, lonE7, haccDm, shadow.current().lostMode());
        }

        @Override
        public void heartRate(long tMs, int bpm) {
            HrLimits l = shadow.current().hrLimits();
            events.heartRate(tMs, bpm, l.min(), l.max());
        }

        @Override
        public void battery(long tMs, int pct, boolean charging) {
            events.battery(tMs, pct, charging);
        }

        @Override
        public void sensor(long tMs, DeviceStatus.Flag flag, boolean faulted, int code) {
            events.sensor(tMs, flag.bit(), faulted, code);
        }
    }

    /**
     * A full collection after each window (the systemd unit sets {@code -Dpettysync.agent.compactAfterWindow=true}).
     * The serial collector otherwise grows its old generation toward -Xmx before it ever collects it fully, and RSS
     * follows (95 → 104 MB over the first hour); collecting the ~8 MB live set once per window costs a few tens of
     * milliseconds every 5 minutes and lets {@code MaxHeapFreeRatio} give the pages back. Off by default: tests
     * close thousands of 1 s windows in one big JVM.
     */
    private static final boolean COMPACT_AFTER_WINDOW = Boolean.getBoolean("pettysync.agent.compactAfterWindow");

    /** Restarts of a crashed window/sensor loop: 1 s, doubling, at most 60 s (the one back-off rule). */
    static final Backoff LOOP_RESTART = Backoff.doubling(Duration.ofSeconds(1), Duration.ofSeconds(60));

    private void windowLoop() {
        int crashes = 0; // in a row
        while (running) {
            try {
                if (aggregator.closeIfDue().isPresent()) {
                    windowsClosed++;
                    wakeUplink();
                    if (COMPACT_AFTER_WINDOW) {
                        System.gc();
                    }
                }
                crashes = 0;
                Instant now = clock.instant();
                if (!now.isBefore(nextStatus)) {
                    writeStatus();
                    systemd.watchdog();
                    nextStatus = now.plusSeconds(StatusFile.EVERY_S);
                    reportDeviceStateIfDue(now);
                }
                Instant next = aggregator.nextClose();
                if (nextStatus.isBefore(next)) {
                    next = nextStatus;
                }
                await(Duration.between(clock.instant(), next));
            } catch (RuntimeException e) {
                restarts++;
                lastSensorError = e.toString();
                Duration wait = LOOP_RESTART.delay(++crashes);
                Logger.error(e, "window/sensor loop crashed (restart {} in {} ms)", restarts, wait.toMillis());
                await(wait);
            }
        }
    }

    private void await(Duration d) {
        if (d.isNegative() || d.isZero()) {
            return;
        }
        lock.lock();
        try {
            if (running) {
                stop.awaitNanos(d.toNanos());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    /** The agent's health, as written to the status file. */
    public ObjectNode status() {
        ObjectNode s = StatusFile.newNode();
        Uplink.Status u = uplink.status();
        OutboxHealth h = outbox.health();
        s.put("thing", config.thingName());
        s.put("updated", clock.instant().toString());
        s.put("pid", ProcessHandle.current().pid());
        s.put("connected", u.connected());
        s.put("backlog", h.pending());
        s.put("lastPuback", u.lastPuback() == null ? null : u.lastPuback().toString());
        s.put("nextConnectAttempt", u.nextAttempt() == null ? null : u.nextAttempt().toString());
        s.put("lastError", u.lastError());
        ObjectNode ob = s.putObject("outbox");
        ob.put("durable", h.durable());
        ob.put("pending", h.pending());
        ob.put("droppedTotal", h.droppedTotal());
        ob.put("fault", h.fault());
        ob.put("movedAside", h.movedAside() == null ? null : h.movedAside().toString());
        ObjectNode up = s.putObject("uplink");
        up.put("published", u.published());
        up.put("acknowledged", u.acknowledged());
        up.put("inFlight", u.inFlight());
        up.put("rejectedDropped", u.rejectedDropped());
        up.put("rejectedKept", u.rejectedKept());
        up.put("connects", u.connects());
        up.put("connectFailures", u.connectFailures());
        VoiceClips.Status v = voice.status();
        ObjectNode vo = s.putObject("voice");
        vo.put("clips", v.clips());
        vo.put("bytes", v.bytes());
        vo.put("quotaBytes", v.quotaBytes());
        vo.put("stored", v.stored());
        vo.put("uploaded", v.uploaded());
        vo.put("evicted", v.evicted());
        vo.put("tooBig", v.tooBig());
        vo.put("writeFailures", v.writeFailures());
        vo.put("rejected", v.rejected());
        vo.put("orphansRemoved", v.orphansRemoved());
        vo.put("missingRemoved", v.missingRemoved());
        vo.put("partsPublished", u.voicePartsPublished());
        vo.put("partsAcknowledged", u.voicePartsAcknowledged());
        EpisodeRecorder.Status gate = vocal.status();
        ObjectNode gn = vo.putObject("gate");
        CollarConfig cfg = shadow.current();
        gn.put("voiceUpload", cfg.voiceUpload().jsonName());
        gn.put("voiceConfidenceBelow", cfg.voiceConfidenceBelow());
        gn.put("clipsStored", gate.stored());
        gn.put("keptConfident", gate.confident());
        gn.put("keptOff", gate.off());
        gn.put("lastDecision", gate.lastDecision());
        s.set("raw", raw.statusJson());
        ObjectNode w = s.putObject("window");
        w.put("lengthS", windowS.get());
        w.put("nextClose", aggregator.nextClose().toString());
        ObjectNode sensors = s.putObject("sensors");
        sensors.put("source", config.sensors().jsonName());
        sensors.put("restarts", restarts);
        sensors.put("lastError", lastSensorError);
        sensors.set("states", StatusFile.sensorStates(sensorStates));
        CollarSource.GnssState g = sensing.gnss();
        ObjectNode gnss = s.putObject("gnss");
        gnss.put("wanted", g.wanted() == null ? null : g.wanted().name().toLowerCase(java.util.Locale.ROOT));
        gnss.put("inForce", g.inForce() == null ? null : g.inForce().name().toLowerCase(java.util.Locale.ROOT));
        gnss.put("confirmed", g.confirmed());
        gnss.put("resends", g.resends());
        s.set("energy", StatusFile.energy(energy()));
        ObjectNode mood = sensing.moodInputs();
        if (mood != null) {
            s.set("mood", mood);
        }
        CollarSource.ClassifierState cl = sensing.classifier();
        ObjectNode classifier = s.putObject("classifier");
        classifier.put("present", cl.present());
        classifier.put("modelVersion", cl.modelVersion());
        classifier.put("whyAbsent", cl.whyAbsent());
        ObjectNode fw = s.putObject("firmware");
        fw.put("build", slots.runningBuild());
        fw.put("slot", slots.runningSlot());
        fw.put("trial", slots.onTrial());
        fw.put("model", ota.engine().modelVersion());
        UpdateRecord job = ota.engine().current();
        fw.put("job", job == null ? null : job.jobId());
        fw.put("jobPhase", job == null ? null : job.phase().name().toLowerCase(java.util.Locale.ROOT));
        return s;
    }

    /**
     * The receiver's mode and the energy account in the shadow's {@code reported} section: at once when the mode in
     * force or its confirmation changed, else every {@link #DEVICE_REPORT_EVERY} (a report is one publish).
     */
    private void reportDeviceStateIfDue(Instant now) {
        CollarSource.GnssState g = sensing.gnss();
        String gnssNow = g.inForce() + "/" + g.confirmed();
        if (gnssNow.equals(reportedGnss) && now.isBefore(nextDeviceReport)) {
            return;
        }
        ObjectNode state = StatusFile.newNode();
        ObjectNode gnss = state.putObject("gnss");
        gnss.put("mode", g.inForce() == null ? null : g.inForce().name().toLowerCase(java.util.Locale.ROOT));
        gnss.put("confirmed", g.confirmed());
        EnergyAccount.Report r = energy();
        ObjectNode e = state.putObject("energy");
        for (EnergyAccount.Component c : EnergyAccount.Component.values()) {
            e.put(c.jsonName() + "MWhPerDay", Math.round(r.mwhPerDay(c) * 10) / 10.0);
        }
        e.put("batteryHours", Math.round(r.batteryHours() * 10) / 10.0);
        e.put("cpuRadioPctOfFloor", Math.round(r.cpuRadioPctOfFloor() * 100) / 100.0);
        shadow.reportState(state);
        reportedGnss = gnssNow;
        nextDeviceReport = now.plus(DEVICE_REPORT_EVERY);
    }

    static final Duration DEVICE_REPORT_EVERY = Duration.ofHours(1);
    private String reportedGnss = "";
    private Instant nextDeviceReport = Instant.MIN;

    /** Feeds the energy account the counters of now (with each status write, every 30 s). */
    private void sampleEnergy() {
        Uplink.Status u = uplink.status();
        Map<String, SensorStatus> st = sensorStates;
        CollarSource.GnssState g = sensing.gnss();
        synchronized (energy) {
            energy.sample(clock.instant(), new EnergyAccount.Counters(cpu.nanos(),
                    u.publishesSent() + u.messagesReceived(), u.bytesSent() + u.bytesReceived(), u.connects(),
                    u.connected(), shadow.current().keepAliveS(), g.inForce(), ok(st, "hr"), ok(st, "motion"),
                    ok(st, "mic"), ok(st, "battery")));
        }
    }

    private static boolean ok(Map<String, SensorStatus> states, String sensor) {
        SensorStatus s = states.get(sensor);
        return s != null && s.isOk();
    }

    /** The energy account so far. */
    public EnergyAccount.Report energy() {
        synchronized (energy) {
            return energy.report();
        }
    }

    private void writeStatus() {
        sampleEnergy();
        try {
            StatusFile.write(config.dataDirectory(), status());
        } catch (IOException | RuntimeException e) {
            Logger.warn("status file not written: {}", e.getMessage());
        }
    }

    /** Number of times the window/sensor loop was restarted after a crash. */
    public long sensorRestarts() {
        return restarts;
    }

    public OutboxStore outbox() {
        return outbox;
    }

    public VoiceClips voice() {
        return voice;
    }

    public ConfigShadow shadow() {
        return shadow;
    }

    /** Stops everything in reverse start-up order, within about 5 s. */
    @Override
    public void close() {
        if (!running && !windowThread.isAlive()) {
            return;
        }
        long start = System.nanoTime();
        systemd.stopping();
        running = false;
        lock.lock();
        try {
            stop.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            windowThread.join(1500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        raw.close();
        ota.close();
        writeStatus();
        loop.close(Duration.ofSeconds(2));
        outbox.close();
        Logger.info("agent stopped in {} ms", (System.nanoTime() - start) / 1_000_000);
    }
}
