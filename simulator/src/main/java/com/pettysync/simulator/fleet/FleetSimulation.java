package com.pettysync.simulator.fleet;

import com.pettysync.agent.sensing.TwinWindowSource;
import com.pettysync.agent.uplink.Uplink;
import com.pettysync.contract.cost.CostEstimate;
import com.pettysync.contract.cost.CostModel;
import com.pettysync.contract.cost.PriceTable;
import com.pettysync.contract.cost.Usage;
import com.pettysync.contract.telemetry.Firmware;
import com.pettysync.drivers.twin.DogBehaviourModel;
import com.pettysync.ml.vocal.VocalizationClassifier;
import com.pettysync.provisioning.ca.IssuedCredential;
import com.pettysync.provisioning.ca.LocalCertificateAuthority;
import com.pettysync.simulator.cloud.LocalIotCore;
import com.pettysync.simulator.cloud.ingest.CollarCounts;
import com.pettysync.simulator.cloud.ingest.IngestSink;
import com.pettysync.simulator.report.FleetReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.HdrHistogram.Histogram;
import org.tinylog.Logger;

/**
 * A fleet of {@link VirtualCollar}s against the embedded local IoT Core (default) or an AWS IoT endpoint, with
 * fault scenarios, live progress and a {@link FleetReport} at the end.
 *
 * <h2>Guarantee checked</h2>
 * Every telemetry frame a collar's window aggregator committed ({@code seq} 0 … made−1, fresh outboxes) is stored by
 * the sink exactly once: lost = made − distinct stored; duplicates stored = rows stored twice (0 by the sink's key,
 * and counted rather than assumed). After the simulated duration the collars stop making windows and the run waits
 * (real time, {@code drainTimeout}) until every collar is connected with an empty outbox.
 *
 * <h2>Threads</h2>
 * {@code schedulers} {@link FleetScheduler} threads for all collars' logic, the HiveMQ client's shared Netty event
 * loop for all connections, the broker's own threads, one for faults and ramp, and the caller's for progress.
 */
public final class FleetSimulation {
    /**
     * @param collars        fleet size (all shards)
     * @param rampPerS       collars started per real second
     * @param duration       simulated duration
     * @param speedup        simulated seconds per real second (1 = real cadence)
     * @param endpoint       null for the embedded local IoT Core, else an AWS IoT endpoint host
     * @param port           the endpoint's port (8883)
     * @param credentials    AWS: a directory with one sub-directory per thing (certificate.pem, private-key.pem, ca.pem)
     * @param faults         fault scenarios
     * @param shardIndex     this process's shard (0-based)
     * @param shardCount     number of shards
     * @param out            report directory (and the local cloud's state under {@code cloud/})
     * @param outboxDir      where the shard's outbox database goes (one {@link ShardOutboxStore} for all collars)
     * @param maxConnecting  connects in progress at once (a TLS handshake is the costly part)
     * @param schedulers     collar-logic threads
     * @param sourceAddresses loopback source addresses to spread connections over (0: one per 20,000 collars)
     * @param progressEvery  real time between progress lines
     * @param drainTimeout   real time allowed, after the simulated duration, for the outboxes to empty
     * @param simulatedStart the simulated clock's origin
     * @param ca             with an endpoint: a local CA directory ({@code pettysync cloud --ca-dir}) that issues
     *                       each collar's certificate in memory, instead of {@code credentials}
     * @param frames         with an endpoint: the frame store ({@code frames.db}) of the local cloud process behind
     *                       it, read to count stored, lost and duplicate frames of this shard's collars; null for none
     * @param stopFile       when this file appears, the collars stop making windows as at the end of {@code duration}
     *                       (an orchestrator ends a run after enough windows with every collar connected); null: none
     */
    public record Options(int collars, double rampPerS, Duration duration, double speedup, String endpoint, int port,
            Path credentials, List<Fault> faults, int shardIndex, int shardCount, Path out, Path outboxDir,
            int maxConnecting, int schedulers, int sourceAddresses, Duration progressEvery, Duration drainTimeout,
            Instant simulatedStart, Path ca, Path frames, Path stopFile, int pipelineCollars) {

        /** Options without full-pipeline collars (every collar on the behaviour model's summaries). */
        public Options(int collars, double rampPerS, Duration duration, double speedup, String endpoint, int port,
                Path credentials, List<Fault> faults, int shardIndex, int shardCount, Path out, Path outboxDir,
                int maxConnecting, int schedulers, int sourceAddresses, Duration progressEvery, Duration drainTimeout,
                Instant simulatedStart, Path ca, Path frames, Path stopFile) {
            this(collars, rampPerS, duration, speedup, endpoint, port, credentials, faults, shardIndex, shardCount,
                    out, outboxDir, maxConnecting, schedulers, sourceAddresses, progressEvery, drainTimeout,
                    simulatedStart, ca, frames, stopFile, 0);
        }

        public Options {
            if (pipelineCollars < 0 || pipelineCollars > collars) {
                throw new IllegalArgumentException("--pipeline-collars must be between 0 and --collars");
            }
            if (collars < 1) {
                throw new IllegalArgumentException("--collars must be ≥ 1");
            }
            if (!(rampPerS > 0)) {
                throw new IllegalArgumentException("--ramp-per-s must be > 0");
            }
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("--duration must be positive");
            }
            if (!(speedup >= 1)) {
                throw new IllegalArgumentException("--speedup must be ≥ 1 (1 = real cadence)");
            }
            if (shardCount < 1 || shardIndex < 0 || shardIndex >= shardCount) {
                throw new IllegalArgumentException("--shard must be i/N with 0 ≤ i < N");
            }
            if (shardCount > collars) {
                throw new IllegalArgumentException("more shards than collars");
            }
            if (endpoint != null && credentials == null && ca == null) {
                throw new IllegalArgumentException("an endpoint needs --credentials DIR (or --ca DIR for a local cloud)");
            }
            if (endpoint == null && (ca != null || frames != null)) {
                throw new IllegalArgumentException("--ca and --frames are for a local cloud in another process "
                        + "(--target localhost:PORT)");
            }
            if (endpoint != null && !(endpoint.equals("localhost") || endpoint.startsWith("127."))
                    && faults.stream().anyMatch(f -> f.kind() == Fault.Kind.NETWORK)) {
                throw new IllegalArgumentException("net: faults relay loopback connections only (local target or "
                        + "localhost:PORT)");
            }
            if (endpoint != null && faults.stream().anyMatch(f -> f.kind() == Fault.Kind.BROKER_RESTART)) {
                throw new IllegalArgumentException("broker-restart needs the local target");
            }
            Objects.requireNonNull(out, "out");
            faults = List.copyOf(faults);
        }

        /** First global collar index of this shard. */
        public int first() {
            return (int) ((long) shardIndex * collars / shardCount);
        }

        /** One past the last global collar index of this shard. */
        public int end() {
            return (int) ((long) (shardIndex + 1) * collars / shardCount);
        }
    }

    /** The thing name of global collar {@code i}. */
    public static String thingName(int i) {
        return String.format(Locale.ROOT, "collar-%06d", i);
    }

    private final Options options;
    private VocalizationClassifier classifier;
    private ImpairedLink link;
    private final PrintStream progress;
    private final FleetMetrics metrics = new FleetMetrics();
    private final List<VirtualCollar> collars = new ArrayList<>();
    private final List<FleetScheduler> schedulers = new ArrayList<>();
    private final ConcurrentLinkedQueue<Runnable> waitingConnects = new ConcurrentLinkedQueue<>();
    private final AtomicInteger connecting = new AtomicInteger();
    private final List<String> faultsApplied = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<FleetReport.Point> timeline = new ArrayList<>();
    private LocalIotCore cloud;
    private IngestSink remoteSink; // the frame store of a local cloud in another process (--frames)
    private ShardOutboxStore outboxStore; // every collar's outbox, one SQLite database
    private SimulatedClock clock;
    private TrustManagerFactory trust;
    private final Map<String, KeyManagerFactory> keys = new HashMap<>();
    private long startNanos;

    public FleetSimulation(Options options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    /** Runs the fleet to the end and writes {@code report.json} and {@code report.html} into {@code out}. */
    public FleetReport run() throws IOException, InterruptedException {
        Files.createDirectories(options.out());
        Path outboxes = options.outboxDir() != null ? options.outboxDir()
                : Files.createTempDirectory(Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm")
                        : options.out(), "pettysync-outboxes-");
        // 4 threads: a broker restart blocks its thread for seconds and must not delay the faults scheduled after it
        ScheduledExecutorService faults = Executors.newScheduledThreadPool(4,
                r -> Thread.ofPlatform().name("fleet-faults").daemon(true).unstarted(r));
        try {
            if (options.endpoint() == null) {
                // a fresh frame store per run: the verdict compares this run's frames with what was stored; and a
                // fresh registry: each run registers its own collars' new certificates
                for (String f : List.of("frames.db", "frames.db-wal", "frames.db-shm", "registry.db",
                        "registry.db-wal", "registry.db-shm")) {
                    Files.deleteIfExists(options.out().resolve("cloud").resolve(f));
                }
                cloud = LocalIotCore.builder().directory(options.out().resolve("cloud")).build().start();
                progress.printf(Locale.ROOT, "local IoT Core on %s:%d, frames stored in %s%n", cloud.endpoint(),
                        cloud.port(), cloud.framesFile());
            }
            if (options.faults().stream().anyMatch(f -> f.kind() == Fault.Kind.NETWORK)) {
                String host = options.endpoint() == null ? cloud.endpoint() : options.endpoint();
                int port = options.endpoint() == null ? cloud.port() : options.port();
                link = new ImpairedLink(host, new InetSocketAddress(host, port));
                progress.printf(Locale.ROOT, "collars connect through an impaired link on %s:%d (net faults)%n",
                        host, link.port());
            }
            if (options.frames() != null) {
                if (!Files.isRegularFile(options.frames())) {
                    throw new IOException("no frame store at " + options.frames());
                }
                remoteSink = IngestSink.open(options.frames(), java.time.Clock.systemUTC());
                storedBefore = remoteSink.telemetryStored(firstThing(), lastThing());
                if (storedBefore > 0) {
                    throw new IOException(options.frames() + " already holds " + storedBefore + " frames of this "
                            + "shard's collars: start the cloud with a fresh --dir");
                }
            }
            prepareCredentials();
            clock = new SimulatedClock(options.simulatedStart(), options.speedup());
            outboxStore = ShardOutboxStore.open(outboxes.resolve("outboxes.db"),
                    com.pettysync.agent.config.AgentConfig.Outbox.DEFAULT_CAPACITY, clock);
            startNanos = System.nanoTime();
            for (int i = 0; i < Math.max(1, options.schedulers()); i++) {
                schedulers.add(new FleetScheduler("fleet-" + i, clock).start());
            }
            Uplink.Settings settings = new Uplink.Settings(10, 100, Duration.ofSeconds(1), Duration.ofSeconds(60),
                    Duration.ofSeconds(30), Duration.ofMinutes(5));
            Firmware firmware = new Firmware(1043, 1);
            if (options.pipelineCollars() > options.first()) {
                classifier = VocalizationClassifier.bundled(); // one interpreter for every full-pipeline collar
            }
            for (int i = options.first(); i < options.end(); i++) {
                int index = i;
                String thing = thingName(i);
                double lat = 52.52 + (index % 100) * 0.001;
                double lon = 13.405 + (index / 100 % 100) * 0.001;
                // built by the ramp thread when its turn comes
                collarFactories.add(() -> new VirtualCollar(thing, index, () -> outboxStore.open(thing), clock,
                        index < options.pipelineCollars()
                                // the full signal pipeline: register twins -> real drivers -> edge-ml (TFLite)
                                ? new TwinWindowSource(thing, lat, lon, classifier)
                                : new DogModelWindowSource(new DogBehaviourModel(index, lat, lon)),
                        settings, firmware, fleet));
            }
            scheduleFaults(faults);
            Thread ramp = Thread.ofPlatform().name("fleet-ramp").daemon(true).start(this::ramp);
            long heapAfterConnect = watch(ramp);
            return finish(heapAfterConnect);
        } finally {
            faults.shutdownNow();
            schedulers.forEach(FleetScheduler::close);
            if (cloud != null) {
                cloud.close();
            }
            if (remoteSink != null) {
                remoteSink.close();
            }
            if (classifier != null) {
                classifier.close();
            }
            if (link != null) {
                link.close();
            }
            if (outboxStore != null) {
                outboxStore.close();
            }
            if (options.outboxDir() == null) {
                deleteTree(outboxes);
            }
        }
    }

    private final VirtualCollar.Fleet fleet = new VirtualCollar.Fleet() {
        @Override
        public void connect(VirtualCollar collar) {
            waitingConnects.add(() -> startConnect(collar));
            pumpConnects();
        }

        @Override
        public FleetMetrics metrics() {
            return metrics;
        }
    };

    private void pumpConnects() {
        while (true) {
            int n = connecting.get();
            if (n >= options.maxConnecting()) {
                return;
            }
            if (!connecting.compareAndSet(n, n + 1)) {
                continue;
            }
            Runnable next = waitingConnects.poll();
            if (next == null) {
                connecting.decrementAndGet();
                if (waitingConnects.isEmpty()) {
                    return;
                }
                continue;
            }
            next.run();
        }
    }

    private void startConnect(VirtualCollar collar) {
        int addresses = options.sourceAddresses() > 0 ? options.sourceAddresses()
                : Math.max(1, (options.end() - options.first() + 19_999) / 20_000);
        InetSocketAddress bind = null;
        if (loopbackTarget() && addresses > 1) {
            bind = new InetSocketAddress("127.0.0." + (1 + collar.index % addresses), 0);
        }
        String host = options.endpoint() == null ? cloud.endpoint() : options.endpoint();
        int port = link != null ? link.port() : options.endpoint() == null ? cloud.port() : options.port();
        var inner = new HiveMqBrokerSession(new HiveMqBrokerSession.Options(host, port, collar.thing,
                keys.get(collar.thing), trust, Duration.ofSeconds(1200), Duration.ofSeconds(30), bind));
        CollarSession session = CollarSession.pending(inner, metrics);
        inner.connectAsync(session.relay).whenComplete((ok, error) -> {
            connecting.decrementAndGet();
            if (error != null) {
                metrics.connectFailures.increment();
                session.close();
            }
            collar.scheduler.post(() -> collar.connectDone(error == null ? session
                    : CollarSession.failed(error, metrics)));
            collar.wake();
            pumpConnects();
        });
    }

    private boolean loopbackTarget() {
        String e = options.endpoint();
        return e == null || e.equals("localhost") || e.startsWith("127.");
    }

    private void prepareCredentials() throws IOException {
        long t0 = System.nanoTime();
        if (cloud != null || options.ca() != null) {
            LocalCertificateAuthority ca = cloud != null ? cloud.certificateAuthority()
                    : LocalCertificateAuthority.load(options.ca(), java.time.Clock.systemUTC());
            trust = ca.trustManagerFactory();
            for (int i = options.first(); i < options.end(); i++) {
                // the embedded cloud registers each certificate (thing, collar policy, attachments) as AWS would;
                // a separate cloud given --ca runs CA-only and needs no registration
                IssuedCredential credential = cloud != null ? cloud.issueCollar(thingName(i))
                        : ca.issueCollar(thingName(i));
                keys.put(thingName(i), credential.keyManagerFactory());
            }
        } else {
            Path ca = null;
            for (int i = options.first(); i < options.end(); i++) {
                Path dir = options.credentials().resolve(thingName(i));
                if (!Files.isDirectory(dir)) {
                    throw new IOException("no credentials for " + thingName(i) + " in " + options.credentials());
                }
                keys.put(thingName(i), IssuedCredential.readFrom(dir).keyManagerFactory());
                ca = dir.resolve(IssuedCredential.CA_FILE);
            }
            trust = trustOf(ca);
        }
        progress.printf(Locale.ROOT, "credentials for %d collars ready in %.1f s%n", keys.size(),
                (System.nanoTime() - t0) / 1e9);
    }

    private static TrustManagerFactory trustOf(Path caFile) throws IOException {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int n = 0;
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca-" + n++, (X509Certificate) c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return tmf;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot read the CA file " + caFile + ": " + e.getMessage(), e);
        }
    }

    private final List<java.util.function.Supplier<VirtualCollar>> collarFactories = new ArrayList<>();

    private long storedBefore;

    private String firstThing() {
        return thingName(options.first());
    }

    private String lastThing() {
        return thingName(options.end() - 1);
    }

    /** Frames stored so far for this fleet: the embedded sink's counter, or the other process's store; -1: unknown. */
    private long storedNow() {
        if (cloud != null) {
            return cloud.sink().storedSinceOpen();
        }
        return remoteSink == null ? -1 : remoteSink.telemetryStored(firstThing(), lastThing());
    }

    private void ramp() {
        long start = System.nanoTime();
        for (int k = 0; k < collarFactories.size(); k++) {
            long due = start + (long) (k * 1e9 / options.rampPerS());
            long wait = due - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            VirtualCollar c = collarFactories.get(k).get();
            synchronized (collars) {
                if (producingEnded) {
                    c.stopProducing(); // still on this thread: the collar is not scheduled yet
                }
                collars.add(c);
            }
            schedulers.get(k % schedulers.size()).add(c);
        }
    }

    private boolean producingEnded; // guarded by collars

    private List<VirtualCollar> collarsNow() {
        synchronized (collars) {
            return List.copyOf(collars);
        }
    }

    private void scheduleFaults(ScheduledExecutorService faults) {
        for (Fault f : options.faults()) {
            long delay = (long) (f.at().toNanos() / options.speedup());
            faults.schedule(() -> apply(f, faults), delay, TimeUnit.NANOSECONDS);
        }
    }

    private void apply(Fault f, ScheduledExecutorService faults) {
        String when = "sim +" + fmt(clock.elapsed());
        switch (f.kind()) {
            case BROKER_RESTART -> {
                long t0 = System.nanoTime();
                cloud.restart();
                note(String.format(Locale.ROOT, "%s: broker restarted (down %.1f s real)", when,
                        (System.nanoTime() - t0) / 1e9));
            }
            case OFFLINE -> {
                List<VirtualCollar> chosen = pick(f.fraction());
                for (VirtualCollar c : chosen) {
                    onThread(c, c::offline);
                }
                note(String.format(Locale.ROOT, "%s: %d collars offline for %s", when, chosen.size(),
                        fmt(f.length())));
                faults.schedule(() -> {
                    for (VirtualCollar c : chosen) {
                        onThread(c, c::online);
                    }
                    note("sim +" + fmt(clock.elapsed()) + ": " + chosen.size() + " collars back online");
                }, (long) (f.length().toNanos() / options.speedup()), TimeUnit.NANOSECONDS);
            }
            case NETWORK -> {
                link.impair(f.delay().toMillis(), f.fraction());
                note(String.format(Locale.ROOT, "%s: network impaired for %s: %d ms one way, %.1f %% of chunks "
                        + "stalled %d ms", when, fmt(f.length()), f.delay().toMillis(), f.fraction() * 100,
                        ImpairedLink.RTO_NANOS / 1_000_000));
                faults.schedule(() -> {
                    link.clear();
                    ImpairedLink.Stats st = link.stats();
                    note(String.format(Locale.ROOT, "sim +%s: network clean again (link so far: %d chunks, %d "
                            + "stalled, %d connections)", fmt(clock.elapsed()), st.chunks(), st.stalled(),
                            st.connections()));
                }, (long) (f.length().toNanos() / options.speedup()), TimeUnit.NANOSECONDS);
            }
            case KILL -> {
                int n = (int) Math.max(1, Math.round(f.fraction()));
                List<VirtualCollar> collars = collarsNow();
                for (int k = 0; k < n && k < collars.size(); k++) {
                    VirtualCollar c = collars.get((k * 7919 + 13) % collars.size());
                    killMidPublish(c, 0, when);
                }
            }
        }
    }

    /** Kills {@code c} once it has a publish without PUBACK (checked on its thread; up to ~2 s real of tries). */
    private void killMidPublish(VirtualCollar c, int tries, String when) {
        onThread(c, () -> {
            if (c.inFlight() > 0 || tries >= 2000) {
                int inFlight = c.inFlight();
                c.killAndRestart();
                note(String.format(Locale.ROOT, "%s: %s killed with %d publish(es) awaiting PUBACK, restarted",
                        when, c.thing, inFlight));
            } else {
                Thread.ofVirtual().start(() -> {
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                    killMidPublish(c, tries + 1, when);
                });
            }
        });
    }

    private List<VirtualCollar> pick(double fraction) {
        List<VirtualCollar> collars = collarsNow();
        int n = (int) Math.round(collars.size() * fraction);
        List<VirtualCollar> chosen = new ArrayList<>();
        double step = collars.size() / (double) Math.max(1, n);
        for (int k = 0; k < n; k++) {
            chosen.add(collars.get((int) (k * step)));
        }
        return chosen;
    }

    private static void onThread(VirtualCollar c, Runnable r) {
        c.scheduler.post(() -> {
            r.run();
            c.wake();
        });
    }

    private void note(String line) {
        faultsApplied.add(line);
        progress.println("fault: " + line);
        Logger.info("fleet fault: {}", line);
    }

    /** Progress until the simulated end and the drain; returns the heap in use once all collars first connected. */
    private long watch(Thread ramp) throws InterruptedException {
        long every = options.progressEvery().toNanos();
        long heapAfterConnect = -1;
        boolean producing = true;
        long drainDeadline = Long.MAX_VALUE;
        Histogram all = new Histogram(3);
        long lastAcked = 0;
        long lastStored = 0;
        long lastT = System.nanoTime();
        while (true) {
            java.util.concurrent.locks.LockSupport.parkNanos(every);
            long now = System.nanoTime();
            List<VirtualCollar> now0 = collarsNow();
            long connected = now0.stream().filter(VirtualCollar::connectedNow).count();
            if (heapAfterConnect < 0 && connected == collarFactories.size()) {
                connectSeconds = (now - startNanos) / 1e9;
                Runtime rt = Runtime.getRuntime();
                heapAfterConnect = rt.totalMemory() - rt.freeMemory();
            }
            peakConnected = Math.max(peakConnected, connected);
            Histogram h = metrics.interval();
            all.add(h);
            long acked = metrics.acknowledged.sum();
            long stored = storedNow();
            double dt = (now - lastT) / 1e9;
            Duration sim = clock.elapsed();
            timeline.add(new FleetReport.Point((now - startNanos) / 1e9, sim.toMillis() / 1000.0, connected,
                    metrics.framesMade.sum(), metrics.published.sum(), acked, stored));
            progress.printf(Locale.ROOT, "[sim %s] connected %d/%d | made %d sent %d acked %d stored %s | %.0f acked/s"
                    + " %s | PUBACK p50 %.1f ms p99 %.1f ms%n", fmt(sim), connected, collarFactories.size(),
                    metrics.framesMade.sum(), metrics.published.sum(), acked, stored < 0 ? "n/a" : stored,
                    (acked - lastAcked) / dt, stored < 0 ? "" : String.format(Locale.ROOT, "%.0f stored/s",
                            (stored - lastStored) / dt),
                    h.getTotalCount() == 0 ? 0.0 : h.getValueAtPercentile(50) / 1000.0,
                    h.getTotalCount() == 0 ? 0.0 : h.getValueAtPercentile(99) / 1000.0);
            lastAcked = acked;
            lastStored = stored;
            lastT = now;
            if (producing && (sim.compareTo(options.duration()) >= 0
                    || (options.stopFile() != null && Files.exists(options.stopFile())))) {
                producing = false;
                List<VirtualCollar> started;
                synchronized (collars) {
                    producingEnded = true;
                    started = List.copyOf(collars);
                }
                for (VirtualCollar c : started) {
                    c.scheduler.post(c::stopProducing);
                }
                drainDeadline = now + options.drainTimeout().toNanos();
                boolean byDuration = sim.compareTo(options.duration()) >= 0;
                progress.printf(Locale.ROOT, "simulated %s reached%s; draining the outboxes%n",
                        fmt(byDuration ? options.duration() : sim), byDuration ? "" : " (stop file)");
            }
            if (!producing && !ramp.isAlive()) {
                boolean drained = allIdle();
                if (drained || now > drainDeadline) {
                    if (!drained) {
                        progress.println("drain timeout: some outboxes are not empty, for example:");
                        describeStuck(5);
                    }
                    return heapAfterConnect;
                }
            }
        }
    }

    private void describeStuck(int max) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(schedulers.size());
        for (FleetScheduler s : schedulers) {
            s.post(() -> {
                s.collars().stream().filter(c -> !c.connected() || c.inFlight() > 0 || c.backlog() > 0).limit(max)
                        .forEach(c -> progress.println("  " + c.describe()));
                done.countDown();
            });
        }
        done.await(10, TimeUnit.SECONDS);
    }

    private double connectSeconds = -1;
    private long peakConnected;

    private boolean allIdle() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(schedulers.size());
        boolean[] idle = {true};
        for (FleetScheduler s : schedulers) {
            s.post(() -> {
                for (VirtualCollar c : s.collars()) {
                    if (!c.connected() || c.inFlight() > 0 || c.backlog() > 0) {
                        synchronized (idle) {
                            idle[0] = false;
                        }
                        break;
                    }
                }
                done.countDown();
            });
        }
        done.await(30, TimeUnit.SECONDS);
        synchronized (idle) {
            return idle[0] && schedulers.stream().mapToInt(s -> s.collarCount()).sum() == collarFactories.size();
        }
    }

    private FleetReport finish(long heapAfterConnect) throws InterruptedException {
        double realSeconds = (System.nanoTime() - startNanos) / 1e9;
        Duration simulated = clock.elapsed();
        CountDownLatch stopped = new CountDownLatch(schedulers.size());
        for (FleetScheduler s : schedulers) {
            s.post(() -> {
                s.collars().forEach(VirtualCollar::stop);
                stopped.countDown();
            });
        }
        stopped.await(60, TimeUnit.SECONDS);
        Map<String, CollarCounts> sink = new HashMap<>();
        IngestSink store = cloud != null ? cloud.sink() : remoteSink;
        boolean counted = store != null;
        if (counted) {
            for (CollarCounts c : store.counts()) {
                sink.put(c.thing(), c);
            }
        }
        List<FleetReport.CollarLine> lines = new ArrayList<>();
        long made = 0;
        long stored = 0;
        long lost = 0;
        long dupDropped = 0;
        long invalid = 0;
        long gaps = 0;
        long connectedNanos = 0;
        for (VirtualCollar c : collars) {
            CollarCounts k = sink.getOrDefault(c.thing, new CollarCounts(c.thing, 0, 0, 0, 0, 0, 0, 0));
            long l = Math.max(0, c.framesMade - k.telemetryStored());
            made += c.framesMade;
            stored += k.telemetryStored();
            lost += counted ? l : 0;
            dupDropped += k.duplicates();
            invalid += k.invalid();
            gaps += k.missingTelemetry();
            connectedNanos += c.connectedNanos();
            lines.add(new FleetReport.CollarLine(c.thing, c.framesMade, k.telemetryStored(), l, k.missingTelemetry(),
                    k.duplicates(), c.kills));
        }
        long duplicatesStored = cloud != null ? cloud.sink().duplicateRows()
                : counted ? remoteSink.duplicateRows(firstThing(), lastThing()) : 0;
        Histogram latency = metrics.total();
        long connectionMinutes = Math.round(connectedNanos * options.speedup() / 60e9);
        long messages = metrics.messageUnits.sum() + metrics.connects.sum();
        FleetReport.Cost cost = cost(messages, connectionMinutes, !counted ? metrics.acknowledged.sum() : stored,
                simulated);
        var totals = new FleetReport.Totals(collars.size(), made, metrics.published.sum(), metrics.acknowledged.sum(),
                !counted ? -1 : stored, lost, duplicatesStored, !counted ? -1 : dupDropped,
                !counted ? -1 : invalid, gaps, metrics.connects.sum(), metrics.connectFailures.sum(),
                metrics.connectionsLost.sum(), metrics.kills.sum(), peakConnected, realSeconds,
                simulated.toMillis() / 1000.0, connectSeconds, connectSeconds > 0 ? collars.size() / connectSeconds : 0,
                realSeconds > 0 ? stored / realSeconds : 0, latency.getValueAtPercentile(50),
                latency.getValueAtPercentile(99), latency.getMaxValue(), heapAfterConnect);
        var config = new FleetReport.Config(options.collars(), options.shardIndex() + "/" + options.shardCount(),
                options.rampPerS(), options.duration().toSeconds(), options.speedup(),
                options.faults().stream().map(Fault::spec).toList(), options.simulatedStart().toString());
        return new FleetReport(1, options.endpoint() == null ? "local" : options.endpoint() + ":" + options.port(),
                config, totals, List.copyOf(timeline), FleetReport.encode(latency), FleetReport.worst(lines), cost,
                List.copyOf(faultsApplied), CollarDayAccount.fleet(collars.stream().map(c -> c.day).toList(),
                        simulated.toMillis() / 1000.0));
    }

    /** The monthly AWS IoT Core cost of this traffic (us-east-1 list prices), scaled from the simulated span. */
    public static FleetReport.Cost cost(long messages, long connectionMinutes, long frames, Duration observed) {
        Usage usage = new Usage(connectionMinutes, messages, 0, frames, frames, 0).scaledToMonth(observed);
        CostEstimate e = CostModel.monthly(usage, PriceTable.US_EAST_1);
        return new FleetReport.Cost(PriceTable.US_EAST_1.region(), observed.toString(), CostEstimate.usd(e.totalUsd()),
                e.format().lines().toList(), messages, connectionMinutes);
    }

    static String fmt(Duration d) {
        long s = d.toSeconds();
        return String.format(Locale.ROOT, "%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    Logger.warn("cannot delete {}: {}", p, e.getMessage());
                }
            });
        } catch (IOException e) {
            Logger.warn("cannot delete {}: {}", dir, e.getMessage());
        }
    }
}
