package com.pettysync.simulator.fleet;

import com.pettysync.agent.sensing.TwinWindowSource;
import com.pettysync.agent.uplink.Uplink;
import com.pettysync.contract.telemetry.Firmware;
import com.pettysync.drivers.twin.DogBehaviourModel;
import com.pettysync.ml.vocal.VocalizationClassifier;
import com.pettysync.simulator.cloud.LocalIotCore;
import com.pettysync.simulator.cloud.ingest.IngestSink;
import com.pettysync.simulator.report.FleetReport;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Stream;
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
 *
 * <h2>Where the parts are</h2>
 * This class runs the fleet: the ramp, the progress loop ({@link ProgressLine}) and the drain.
 * {@link FleetConnector} issues credentials and connects collars, {@link FaultInjector} applies the faults, and
 * {@link FleetTally} counts made against stored into the report (loss "not measured" without a frame store).
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
    private final PrintStream progress;
    private final FleetMetrics metrics = new FleetMetrics();
    private final List<VirtualCollar> collars = new ArrayList<>(); // guarded by itself
    private final List<Supplier<VirtualCollar>> collarFactories = new ArrayList<>();
    private final List<FleetScheduler> schedulers = new ArrayList<>();
    private final List<FleetReport.Point> timeline = new ArrayList<>();
    private boolean producingEnded; // guarded by collars
    private LocalIotCore cloud;
    private IngestSink remoteSink; // the frame store of a local cloud in another process (--frames)
    private ShardOutboxStore outboxStore; // every collar's outbox, one SQLite database
    private SimulatedClock clock;
    private long startNanos;
    private double connectSeconds = -1;
    private long peakConnected;

    public FleetSimulation(Options options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    /** Runs the fleet to the end and returns its report (the caller writes it). */
    public FleetReport run() throws IOException, InterruptedException {
        Files.createDirectories(options.out());
        Path outboxes = options.outboxDir() != null ? options.outboxDir()
                : Files.createTempDirectory(Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm")
                        : options.out(), "pettysync-outboxes-");
        ImpairedLink link = null;
        VocalizationClassifier classifier = null;
        FaultInjector faults = null;
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
                openRemoteStore();
            } else if (options.endpoint() != null) {
                progress.println("no frame store to count in (no --frames): lost and duplicate frames will be "
                        + "reported as not measured");
            }
            FleetConnector connector = new FleetConnector(options, metrics, cloud, link);
            connector.prepareCredentials(progress);
            clock = new SimulatedClock(options.simulatedStart(), options.speedup());
            startNanos = System.nanoTime();
            for (int i = 0; i < Math.max(1, options.schedulers()); i++) {
                schedulers.add(new FleetScheduler("fleet-" + i, clock).start());
            }
            if (options.pipelineCollars() > options.first()) {
                classifier = VocalizationClassifier.bundled(); // one interpreter for every full-pipeline collar
            }
            outboxStore = ShardOutboxStore.open(outboxes.resolve("outboxes.db"),
                    com.pettysync.agent.config.AgentConfig.Outbox.DEFAULT_CAPACITY, clock);
            addCollarFactories(outboxes, connector, classifier);
            faults = new FaultInjector(options.faults(), options.speedup(), clock, cloud, link, this::collarsNow,
                    progress, connector::forgetSession);
            faults.schedule();
            Thread ramp = Thread.ofPlatform().name("fleet-ramp").daemon(true).start(this::ramp);
            long heapAfterConnect = watch(ramp);
            stopCollars();
            IngestSink store = cloud != null ? cloud.sink() : remoteSink;
            return new FleetTally(options, metrics, store, cloud != null).report(collarsNow(), timeline,
                    faults.applied(), (System.nanoTime() - startNanos) / 1e9, clock.elapsed(), connectSeconds,
                    peakConnected, heapAfterConnect);
        } finally {
            if (faults != null) {
                faults.close();
            }
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

    private void openRemoteStore() throws IOException {
        if (!Files.isRegularFile(options.frames())) {
            throw new IOException("no frame store at " + options.frames());
        }
        remoteSink = IngestSink.open(options.frames(), java.time.Clock.systemUTC());
        long before = remoteSink.telemetryStored(firstThing(), lastThing());
        if (before > 0) {
            throw new IOException(options.frames() + " already holds " + before + " frames of this shard's collars: "
                    + "start the cloud with a fresh --dir");
        }
    }

    private void addCollarFactories(Path outboxes, VirtualCollar.Fleet connector, VocalizationClassifier classifier) {
        Uplink.Settings settings = new Uplink.Settings(10, 100, Duration.ofSeconds(1), Duration.ofSeconds(60),
                Duration.ofSeconds(30), Duration.ofMinutes(5));
        Firmware firmware = new Firmware(1043, 1);
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
                    settings, firmware, connector));
        }
    }

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
        return remoteSink == null ? ProgressLine.UNKNOWN : remoteSink.telemetryStored(firstThing(), lastThing());
    }

    private void ramp() {
        long start = System.nanoTime();
        for (int k = 0; k < collarFactories.size(); k++) {
            long due = start + (long) (k * 1e9 / options.rampPerS());
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
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

    private List<VirtualCollar> collarsNow() {
        synchronized (collars) {
            return List.copyOf(collars);
        }
    }

    /** Progress until the simulated end and the drain; returns the heap in use once all collars first connected. */
    private long watch(Thread ramp) throws InterruptedException {
        long every = options.progressEvery().toNanos();
        long heapAfterConnect = -1;
        boolean producing = true;
        long drainDeadline = Long.MAX_VALUE;
        long lastAcked = 0;
        long lastStored = 0;
        long lastT = System.nanoTime();
        while (true) {
            LockSupport.parkNanos(every);
            long now = System.nanoTime();
            long connected = collarsNow().stream().filter(VirtualCollar::connectedNow).count();
            if (heapAfterConnect < 0 && connected == collarFactories.size()) {
                connectSeconds = (now - startNanos) / 1e9;
                Runtime rt = Runtime.getRuntime();
                heapAfterConnect = rt.totalMemory() - rt.freeMemory();
            }
            peakConnected = Math.max(peakConnected, connected);
            Histogram h = metrics.interval();
            long acked = metrics.acknowledged.sum();
            long stored = storedNow();
            double dt = (now - lastT) / 1e9;
            Duration sim = clock.elapsed();
            timeline.add(new FleetReport.Point((now - startNanos) / 1e9, sim.toMillis() / 1000.0, connected,
                    metrics.framesMade.sum(), metrics.published.sum(), acked, stored));
            progress.println(new ProgressLine(sim.toSeconds(), connected, collarFactories.size(),
                    metrics.framesMade.sum(), metrics.published.sum(), acked, stored, (acked - lastAcked) / dt,
                    (stored - lastStored) / dt,
                    h.getTotalCount() == 0 ? 0.0 : h.getValueAtPercentile(50) / 1000.0,
                    h.getTotalCount() == 0 ? 0.0 : h.getValueAtPercentile(99) / 1000.0).format());
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

    /** Stops every collar on its scheduler thread (outboxes closed). */
    private void stopCollars() throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(schedulers.size());
        for (FleetScheduler s : schedulers) {
            s.post(() -> {
                s.collars().forEach(VirtualCollar::stop);
                stopped.countDown();
            });
        }
        stopped.await(60, TimeUnit.SECONDS);
    }

    static String fmt(Duration d) {
        return ProgressLine.clock(d.toSeconds());
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
