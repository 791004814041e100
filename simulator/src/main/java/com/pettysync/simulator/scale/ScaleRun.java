package com.pettysync.simulator.scale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.pettysync.provisioning.ca.LocalCertificateAuthority;
import com.pettysync.simulator.cloud.ingest.IngestSink;
import com.pettysync.simulator.report.FleetReport;
import com.pettysync.simulator.report.FleetReports;
import com.pettysync.simulator.report.ReportPage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A fleet too big for one process, on one machine: {@code brokers} local IoT Core processes ({@code pettysync cloud},
 * one port each, all sharing one CA so every collar certificate is valid everywhere) and {@code shards} fleet
 * processes ({@code pettysync simulate --shard i/N --target localhost:PORT --ca … --frames …}), each shard assigned
 * to one broker; this process watches them (CPU, resident memory, open files and threads from {@code /proc}),
 * prints one progress line per sample, merges the shard reports, checks every broker's frame store, and writes
 * {@code scale.json} with the resource figures next to the merged report.
 *
 * <h2>Why several processes</h2>
 * Each process may hold at most 20,000 open files here. A broker holds one socket per collar; a fleet shard one
 * socket plus the agent's SQLite outbox (database, WAL and shared-memory files: 3) per collar — 4 files per collar.
 * So the defaults give a broker at most 14,000 collars and a shard at most 4,000.
 *
 * <h2>Failure model</h2>
 * Every child is started by this process and ends by itself: a shard stops after its simulated duration and drain,
 * a broker gets {@code --duration} = this run's hard deadline. This process stops the brokers once the shards are
 * done, kills all children at the deadline, and a shutdown hook (Ctrl-C, SIGTERM) destroys any child still alive.
 * A child that dies early fails the run (exit 1) and the others are stopped. Logs: {@code out/<child>.log}.
 */
public final class ScaleRun {
    /**
     * @param collars          fleet size
     * @param brokers          broker processes (0: one per {@code collarsPerBroker})
     * @param shards           fleet processes (0: one per {@code collarsPerShard})
     * @param collarsPerBroker most collars on one broker (file limit)
     * @param collarsPerShard  most collars in one fleet process (file limit)
     * @param speedup          simulated seconds per real second (1 = real cadence)
     * @param duration         simulated duration of each shard: the cap; the run ends earlier, once
     *                         {@code windowsAfterConnected} full 5-minute windows passed with every collar connected
     * @param windowsAfterConnected full windows to run with every collar connected before the fleet stops (0: run
     *                         the whole {@code duration})
     * @param rampPerS         collars started per real second, all shards together
     * @param sourceAddresses  loopback source addresses the fleet spreads its connections over
     * @param basePort         broker b listens on {@code basePort + b}
     * @param out              run directory
     * @param sampleEvery      real time between samples / progress lines
     * @param drainTimeout     real time each shard allows its outboxes to empty after the simulated end
     * @param maxConnecting    TLS handshakes in progress at once, per shard
     * @param brokerJvm        JVM options of a broker process
     * @param fleetJvm         JVM options of a fleet process
     */
    public record Options(int collars, int brokers, int shards, int collarsPerBroker, int collarsPerShard,
            double speedup, Duration duration, double rampPerS, int sourceAddresses, int basePort, Path out,
            Duration sampleEvery, Duration drainTimeout, int maxConnecting, List<String> brokerJvm,
            List<String> fleetJvm, int windowsAfterConnected) {
        public Options {
            if (collars < 1 || collarsPerBroker < 1 || collarsPerShard < 1) {
                throw new IllegalArgumentException("--collars and the per-process limits must be ≥ 1");
            }
            if (brokers < 0 || shards < 0 || sourceAddresses < 1 || sourceAddresses > 254) {
                throw new IllegalArgumentException("--brokers, --shards ≥ 0 (0 = automatic); --source-addresses 1…254");
            }
            if (windowsAfterConnected < 0) {
                throw new IllegalArgumentException("--windows must be ≥ 0");
            }
            if (basePort < 1024 || basePort > 65000) {
                throw new IllegalArgumentException("--base-port must be 1024…65000");
            }
            if (!(rampPerS > 0) || !(speedup >= 1) || duration.isZero() || duration.isNegative()) {
                throw new IllegalArgumentException("--ramp-per-s > 0, --speedup ≥ 1, --duration > 0");
            }
            brokerJvm = List.copyOf(brokerJvm);
            fleetJvm = List.copyOf(fleetJvm);
        }

        public int brokerCount() {
            return brokers > 0 ? brokers : (collars + collarsPerBroker - 1) / collarsPerBroker;
        }

        public int shardCount() {
            if (shards > 0) {
                return Math.min(collars, Math.max(shards, brokerCount()));
            }
            // a shard's collars all go to one broker: a multiple of the broker count keeps the brokers even
            int b = brokerCount();
            int n = (collars + collarsPerShard - 1) / collarsPerShard;
            return Math.min(collars, (n + b - 1) / b * b);
        }

        /** The broker shard {@code i} of {@code n} connects to (contiguous blocks of shards per broker). */
        public int brokerOf(int shard) {
            return (int) ((long) shard * brokerCount() / shardCount());
        }
    }

    /** One process started by this run. */
    private record Child(String name, String role, int collars, Process process, Path log) {
    }

    /** One /proc sample of a child. */
    private record Sample(long cpuTicks, long rssKb, int threads, int files) {
    }

    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux
    /** The shards' simulated start (the dogs' morning walks); windows close at multiples of 5 minutes. */
    static final java.time.Instant START = java.time.Instant.parse("2026-06-01T06:58:00Z");
    private static final long WINDOW_S = 300;
    private static final Pattern PROGRESS = Pattern.compile(
            "\\[sim (\\d+):(\\d\\d):(\\d\\d)\\] connected (\\d+)/(\\d+) \\| made (\\d+) sent (\\d+) acked (\\d+) stored (\\S+).*p50 ([0-9.]+) ms p99 ([0-9.]+) ms");

    private final Options options;
    private final PrintStream progress;
    private final List<Child> children = new ArrayList<>();
    private volatile boolean finished;

    public ScaleRun(Options options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    /** Runs everything to the end; returns true when every collar connected and nothing was lost or duplicated. */
    public boolean run() throws IOException, InterruptedException {
        Path out = options.out().toAbsolutePath();
        prepare(out);
        Thread hook = Thread.ofPlatform().name("scale-cleanup").unstarted(this::killAll);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return runChildren(out);
        } finally {
            killAll();
            finished = true;
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or ran
            }
        }
    }

    /** Set (true) in an orchestrator that already runs from the snapshot of the jars. */
    static final String FROM_SNAPSHOT = "pettysync.scale.fromSnapshot";

    /** Whether this process runs from {@code out/lib} (see {@link #relaunchFromSnapshot}). */
    public static boolean fromSnapshot() {
        return Boolean.getBoolean(FROM_SNAPSHOT);
    }

    /**
     * Copies this process's jars to {@code out/lib} and runs {@code pettysync ARGS} again from there, in a child JVM
     * that shares this terminal; returns its exit status. A long run must not load classes from jars that a build
     * in the checkout rewrites meanwhile (a rebuilt jar under a running JVM gives NoClassDefFoundError), and the
     * orchestrator loads its report classes only at the end. Ctrl-C reaches both (same process group); SIGTERM to
     * this process is passed on by a shutdown hook.
     */
    public static int relaunchFromSnapshot(Path out, List<String> args) throws IOException, InterruptedException {
        Files.createDirectories(out);
        String cp = snapshotClassPath(out.resolve("lib"));
        List<String> cmd = new ArrayList<>();
        cmd.add(javaCommand());
        if (Runtime.version().feature() >= 24) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xmx1g", "-D" + FROM_SNAPSHOT
                + "=true"));
        String log = System.getProperty("tinylog.configuration");
        if (log != null) {
            cmd.add("-Dtinylog.configuration=" + log);
        }
        cmd.addAll(List.of("-cp", cp, "com.pettysync.cli.Pettysync"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        Thread hook = Thread.ofPlatform().unstarted(() -> {
            p.destroy();
            try {
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        int rc = p.waitFor();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs
        }
        return rc;
    }

    private static String javaCommand() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString());
    }

    /** The process ids of every child started so far (for checks that none outlives the run). */
    public List<Long> childPids() {
        return children.stream().map(c -> c.process().pid()).toList();
    }

    private void prepare(Path out) throws IOException {
        Files.createDirectories(out);
        try (Stream<Path> s = Files.list(out)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith("broker-") || n.startsWith("shard-") || n.equals("merged") || n.equals("scale.json")
                        || (n.equals("lib") && !fromSnapshot()) || n.equals("stop")) {
                    deleteTree(p);
                }
            }
        }
        LocalCertificateAuthority.openOrCreate(out.resolve("ca"), Clock.systemUTC());
        classPath = fromSnapshot() ? System.getProperty("java.class.path") : snapshotClassPath(out.resolve("lib"));
        Files.writeString(out.resolve("tinylog.properties"), """
                writer        = console
                writer.stream = err
                writer.level  = info
                writer.format = {date: HH:mm:ss.SSS} {level} [{thread}] {class-name}: {message}
                # per-collar routine lines of the agent's code (connected, reconnecting) would be thousands of lines
                level@com.pettysync.agent = warn
                """);
    }

    private String classPath;

    /**
     * Copies this process's jars to {@code lib} and returns the class path over the copies: the children run from
     * the snapshot, so a rebuild in the checkout during a long run (the launcher deletes and rewrites its jars) does
     * not break a child started later. Directories (a test's classes) are used where they are.
     */
    private static String snapshotClassPath(Path lib) throws IOException {
        if (Files.exists(lib)) {
            deleteTree(lib);
        }
        Files.createDirectories(lib);
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(e);
            if (e.endsWith(".jar") && Files.isRegularFile(p)) {
                Path copy = lib.resolve(String.format(Locale.ROOT, "%03d-%s", n++, p.getFileName()));
                Files.copy(p, copy);
                entries.add(copy.toString());
            } else if (!e.isEmpty()) {
                entries.add(e);
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private boolean runChildren(Path out) throws IOException, InterruptedException {
        int brokers = options.brokerCount();
        int shards = options.shardCount();
        double realSeconds = options.duration().toMillis() / 1000.0 / options.speedup();
        Duration budget = Duration.ofSeconds((long) (120 + realSeconds + options.collars() / options.rampPerS() * 0.5
                + options.drainTimeout().toSeconds() + 120));
        long t0 = System.nanoTime();
        long deadline = t0 + budget.toNanos();
        progress.printf(Locale.ROOT, "scale run: %d collars, %d broker process(es), %d fleet process(es), %s simulated "
                + "at ×%s, ramp %.0f/s, %d source address(es); hard deadline %s real; logs in %s%n",
                options.collars(), brokers, shards, options.duration(), trim(options.speedup()), options.rampPerS(),
                options.sourceAddresses(), budget, out);
        for (int b = 0; b < brokers; b++) {
            Path dir = out.resolve("broker-" + b);
            int served = 0;
            for (int i = 0; i < shards; i++) {
                if (options.brokerOf(i) == b) {
                    served += (int) (shardEnd(i, shards) - shardStart(i, shards));
                }
            }
            children.add(start("broker-" + b, "broker", served, ProcessSizing.orSized(options.brokerJvm(),
                    ProcessSizing.brokerJvm(served)), List.of("cloud", "--dir",
                    // CA-only: the shards issue their collars' certificates in memory from the shared CA, so no
                    // broker's registry knows them (registering 28,000 across processes is not what is measured)
                    dir.toString(), "--ca-dir", out.resolve("ca").toString(), "--no-registry-authentication",
                    "--port",
                    String.valueOf(options.basePort() + b), "--duration", String.valueOf(budget.toSeconds())), out));
        }
        for (Child c : children) {
            awaitLine(c, "Local AWS IoT Core running", Duration.ofSeconds(120));
        }
        Map<String, Sample> idle = sampleAll();
        progress.printf(Locale.ROOT, "brokers up in %.1f s (idle RSS %s)%n", (System.nanoTime() - t0) / 1e9,
                mb(idle.values().stream().mapToLong(Sample::rssKb).sum()));
        long fleetStart = System.nanoTime();
        int maxConnecting = options.maxConnecting();
        for (int i = 0; i < shards; i++) {
            int b = options.brokerOf(i);
            Path dir = out.resolve("shard-" + i);
            List<String> args = new ArrayList<>(List.of("simulate", "--collars", String.valueOf(options.collars()),
                    "--shard", i + "/" + shards, "--speedup", trim(options.speedup()), "--duration",
                    options.duration().toString(), "--ramp-per-s", trim(options.rampPerS() / shards),
                    "--target", "localhost:" + (options.basePort() + b), "--ca", out.resolve("ca").toString(),
                    "--frames", out.resolve("broker-" + b).resolve("frames.db").toString(), "--out", dir.toString(),
                    "--source-addresses", String.valueOf(options.sourceAddresses()), "--max-connecting",
                    String.valueOf(maxConnecting), "--progress-every",
                    options.sampleEvery().toString(), "--drain-timeout",
                    options.drainTimeout().toSeconds() + "s", "--threads", "1", "--start", START.toString(),
                    "--stop-file", out.resolve("stop").toString()));
            children.add(start("shard-" + i, "fleet", (int) (shardEnd(i, shards) - shardStart(i, shards)),
                    ProcessSizing.orSized(options.fleetJvm(),
                            ProcessSizing.fleetJvm((int) (shardEnd(i, shards) - shardStart(i, shards)))), args, out));
        }
        Watch watch = watch(out, fleetStart, deadline);
        stopBrokers();
        return finish(out, watch, idle, t0, fleetStart);
    }

    private long shardStart(int i, int n) {
        return (long) i * options.collars() / n;
    }

    private long shardEnd(int i, int n) {
        return (long) (i + 1) * options.collars() / n;
    }

    private Child start(String name, String role, int collars, List<String> jvm, List<String> args, Path out)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaCommand());
        if (Runtime.version().feature() >= 24) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(jvm);
        cmd.add("-Dtinylog.configuration=" + out.resolve("tinylog.properties"));
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add("com.pettysync.cli.Pettysync");
        cmd.addAll(args);
        Path log = out.resolve(name + ".log");
        Files.writeString(log, String.join(" ", cmd.subList(cmd.indexOf("com.pettysync.cli.Pettysync"), cmd.size()))
                + "\n");
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(ProcessSizing.ENVIRONMENT);
        Process p = builder.start();
        progress.printf(Locale.ROOT, "started %s (pid %d, %d collars)%n", name, p.pid(), collars);
        return new Child(name, role, collars, p, log);
    }

    private void awaitLine(Child c, String text, Duration timeout) throws IOException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (Files.readString(c.log(), StandardCharsets.UTF_8).contains(text)) {
                return;
            }
            if (!c.process().isAlive()) {
                throw new IOException(c.name() + " exited (" + c.process().exitValue() + ") before it was ready; see "
                        + c.log());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        throw new IOException(c.name() + " not ready after " + timeout + "; see " + c.log());
    }

    /** What the watch loop saw. */
    private static final class Watch {
        final Map<String, Long> peakRssKb = new LinkedHashMap<>();
        final Map<String, Integer> peakFiles = new LinkedHashMap<>();
        final Map<String, Integer> peakThreads = new LinkedHashMap<>();
        Map<String, Sample> atAllConnected;
        Map<String, Sample> atFleetEnd;
        Map<String, Sample> last;
        double allConnectedS = -1;
        double fleetEndS = -1;
        double atFleetEndS = -1;
        long allConnectedSim = -1;
        long stopAtSim = -1;
        long stopSim = -1;
        boolean stopRequested;
        long machineBusyTicks;
        long machineTotalTicks;
        double machineBusyAtConnected;
        final List<String> failures = new ArrayList<>();
    }

    private Watch watch(Path out, long fleetStart, long deadline) throws IOException {
        Watch w = new Watch();
        Path stopFile = out.resolve("stop");
        long every = options.sampleEvery().toNanos();
        long[] machine0 = machineTicks();
        long[] machineAtConnect = null;
        Map<String, Long> lastCpu = new LinkedHashMap<>();
        long lastT = System.nanoTime();
        while (true) {
            LockSupport.parkNanos(every);
            long now = System.nanoTime();
            Map<String, Sample> s = sampleAll();
            w.last = s;
            s.forEach((name, x) -> {
                w.peakRssKb.merge(name, x.rssKb(), Math::max);
                w.peakFiles.merge(name, x.files(), Math::max);
                w.peakThreads.merge(name, x.threads(), Math::max);
            });
            long connected = 0, made = 0, sent = 0, acked = 0;
            long simMin = Long.MAX_VALUE, simMax = 0;
            double p99 = 0;
            for (Child c : children) {
                if (!c.role().equals("fleet")) {
                    continue;
                }
                Matcher m = lastProgress(c.log());
                if (m != null) {
                    long sim = Long.parseLong(m.group(1)) * 3600 + Long.parseLong(m.group(2)) * 60
                            + Long.parseLong(m.group(3));
                    simMin = Math.min(simMin, sim);
                    simMax = Math.max(simMax, sim);
                    connected += Long.parseLong(m.group(4));
                    made += Long.parseLong(m.group(6));
                    sent += Long.parseLong(m.group(7));
                    acked += Long.parseLong(m.group(8));
                    p99 = Math.max(p99, Double.parseDouble(m.group(11)));
                } else {
                    simMin = 0;
                }
            }
            double dt = (now - lastT) / 1e9;
            double brokerCores = 0, fleetCores = 0;
            long brokerRss = 0, fleetRss = 0;
            int brokerFiles = 0, fleetFiles = 0;
            for (Child c : children) {
                Sample x = s.get(c.name());
                if (x == null) {
                    continue;
                }
                double cores = (x.cpuTicks() - lastCpu.getOrDefault(c.name(), x.cpuTicks())) / (double) TICKS_PER_SECOND
                        / dt;
                lastCpu.put(c.name(), x.cpuTicks());
                if (c.role().equals("broker")) {
                    brokerCores += cores;
                    brokerRss += x.rssKb();
                    brokerFiles = Math.max(brokerFiles, x.files());
                } else {
                    fleetCores += cores;
                    fleetRss += x.rssKb();
                    fleetFiles = Math.max(fleetFiles, x.files());
                }
            }
            lastT = now;
            double t = (now - fleetStart) / 1e9;
            progress.printf(Locale.ROOT, "[%s] connected %d/%d | made %d sent %d acked %d | p99 ≤ %.0f ms | CPU broker %.2f"
                    + " fleet %.2f cores | RSS broker %s fleet %s | max files/process broker %d fleet %d | load %s%n",
                    clockOf(t), connected, options.collars(), made, sent, acked, p99, brokerCores, fleetCores,
                    mb(brokerRss), mb(fleetRss), brokerFiles, fleetFiles, loadAverage());
            if (w.atAllConnected == null && connected >= options.collars()) {
                w.atAllConnected = s;
                w.allConnectedS = t;
                machineAtConnect = machineTicks();
                // the first window boundary after every shard's clock passed this point, then N full windows
                long startS = START.getEpochSecond();
                long firstBoundary = Math.floorDiv(startS + simMax + WINDOW_S - 1, WINDOW_S) * WINDOW_S - startS;
                w.allConnectedSim = simMax;
                w.stopAtSim = firstBoundary + options.windowsAfterConnected() * WINDOW_S
                        + Math.max(20, (long) (3 * options.speedup()));
                progress.printf(Locale.ROOT, "all %d collars connected after %.0f s (%.1f connects/s, simulated +%s);"
                        + " %s%n", options.collars(), t, options.collars() / t, clockOf(simMax),
                        options.windowsAfterConnected() == 0 ? "running the whole duration"
                                : "the fleet stops at simulated +" + clockOf(w.stopAtSim) + " after "
                                + options.windowsAfterConnected() + " full windows");
            }
            if (w.stopAtSim > 0 && options.windowsAfterConnected() > 0 && !w.stopRequested && simMin != Long.MAX_VALUE
                    && simMin >= w.stopAtSim) {
                Files.writeString(stopFile, "stop\n");
                w.stopRequested = true;
                w.stopSim = simMin;
                progress.printf(Locale.ROOT, "%d full windows with every collar connected: stopping the fleet "
                        + "(drain, then reports)%n", options.windowsAfterConnected());
            }
            List<Child> fleet = children.stream().filter(c -> c.role().equals("fleet")).toList();
            for (Child c : children) {
                if (!c.process().isAlive() && c.role().equals("broker") && !finished) {
                    w.failures.add(c.name() + " exited early (" + c.process().exitValue() + ")");
                }
            }
            if (!w.failures.isEmpty()) {
                progress.println("a broker died: " + w.failures + " — stopping");
                break;
            }
            if (fleet.stream().noneMatch(c -> c.process().isAlive())) {
                w.fleetEndS = t;
                break;
            }
            if (now > deadline) {
                w.failures.add("hard deadline reached; fleet processes still running were killed");
                progress.println("hard deadline reached — stopping everything");
                break;
            }
            if (w.atAllConnected != null && fleet.stream().allMatch(c -> c.process().isAlive())) {
                w.atFleetEnd = s; // the last sample with every fleet process still running
                w.atFleetEndS = t;
            }
        }
        long[] machine1 = machineTicks();
        long[] from = machineAtConnect != null ? machineAtConnect : machine0;
        w.machineBusyTicks = machine1[0] - from[0];
        w.machineTotalTicks = machine1[1] - from[1];
        if (machineAtConnect != null) {
            w.machineBusyAtConnected = (machineAtConnect[0] - machine0[0])
                    / (double) Math.max(1, machineAtConnect[1] - machine0[1]);
        }
        return w;
    }

    private void stopBrokers() {
        for (Child c : children) {
            if (c.role().equals("broker") && c.process().isAlive()) {
                c.process().destroy(); // SIGTERM: the cloud's shutdown hook closes the broker and the store
            }
        }
        for (Child c : children) {
            try {
                if (!c.process().waitFor(60, TimeUnit.SECONDS)) {
                    c.process().destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                c.process().destroyForcibly();
            }
        }
        finished = true;
    }

    private boolean finish(Path out, Watch w, Map<String, Sample> idle, long t0, long fleetStart)
            throws IOException {
        List<FleetReport> reports = new ArrayList<>();
        List<String> failures = new ArrayList<>(w.failures);
        for (Child c : children) {
            if (c.role().equals("fleet")) {
                Path r = out.resolve(c.name()).resolve("report.json");
                if (Files.isRegularFile(r)) {
                    reports.add(FleetReport.read(r));
                } else {
                    failures.add(c.name() + " wrote no report (exit " + exit(c) + "); see " + c.log());
                }
            }
        }
        // an independent check of every broker's store: distinct frames, rows stored twice
        long storedAll = 0, dupRows = 0;
        for (Child c : children) {
            if (c.role().equals("broker")) {
                Path db = out.resolve(c.name()).resolve("frames.db");
                if (Files.isRegularFile(db)) {
                    try (IngestSink sink = IngestSink.open(db, Clock.systemUTC())) {
                        storedAll += sink.counts().stream().mapToLong(k -> k.telemetryStored()).sum();
                        dupRows += sink.duplicateRows();
                    }
                }
            }
        }
        FleetReport merged = null;
        if (!reports.isEmpty()) {
            merged = FleetReports.merge(reports);
            Path dir = out.resolve("merged");
            Files.createDirectories(dir);
            merged.write(dir.resolve("report.json"));
            ReportPage.write(merged, dir.resolve("report.html"));
        }
        if (options.windowsAfterConnected() > 0 && !w.stopRequested) {
            failures.add("the fleet ended (duration cap " + options.duration() + " simulated) before "
                    + options.windowsAfterConnected() + " full windows with every collar connected");
        }
        Map<String, Object> doc = resources(w, idle, merged, storedAll, dupRows, failures);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("scale.json").toFile(),
                doc);
        progress.println();
        doc.forEach((k, v) -> progress.println(k + ": " + v));
        progress.println("report: " + out.resolve("merged").resolve("report.html") + ", " + out.resolve("scale.json"));
        boolean ok = failures.isEmpty() && merged != null && merged.passed() && w.allConnectedS > 0 && dupRows == 0
                && storedAll == merged.totals().framesMade();
        if (merged != null) {
            progress.println(merged.verdict() + (storedAll == merged.totals().framesMade() ? ""
                    : " — but the brokers' stores hold " + storedAll + " frames"));
        }
        progress.println(ok ? "scale run passed" : "scale run FAILED" + (failures.isEmpty() ? "" : ": " + failures));
        return ok;
    }

    private Map<String, Object> resources(Watch w, Map<String, Sample> idle, FleetReport merged, long storedAll,
            long dupRows, List<String> failures) {
        Map<String, Object> d = new LinkedHashMap<>();
        int brokers = options.brokerCount();
        int shards = options.shardCount();
        d.put("collars", options.collars());
        d.put("processes", brokers + " broker + " + shards + " fleet");
        d.put("simulated", options.duration().toString() + " at ×" + trim(options.speedup()));
        d.put("cores", Runtime.getRuntime().availableProcessors());
        if (w.allConnectedS > 0) {
            d.put("allConnectedAfterS", round(w.allConnectedS));
            d.put("connectsPerS", round(options.collars() / w.allConnectedS));
            double steady = (w.fleetEndS > 0 ? w.fleetEndS : w.allConnectedS) - w.allConnectedS;
            d.put("realSecondsAllConnected", round(steady));
            d.put("simulatedAllConnectedAt", clockOf(w.allConnectedSim));
            if (w.stopSim > 0) {
                long startS = START.getEpochSecond();
                long firstBoundary = Math.floorDiv(startS + w.allConnectedSim + WINDOW_S - 1, WINDOW_S) * WINDOW_S
                        - startS;
                d.put("simulatedStopAt", clockOf(w.stopSim));
                d.put("fullWindowsAllConnected", Math.max(0, (w.stopSim - firstBoundary) / WINDOW_S));
            }
        } else {
            d.put("allConnectedAfterS", "never");
        }
        Map<String, Sample> at = w.atAllConnected != null ? w.atAllConnected : w.last;
        if (at != null) {
            long bRss = sum(at, "broker", Sample::rssKb);
            long fRss = sum(at, "fleet", Sample::rssKb);
            long bIdle = sum(idle, "broker", Sample::rssKb);
            d.put("brokerRssMbAllConnected", bRss / 1024);
            d.put("brokerRssKibPerCollar", round((double) bRss / options.collars()));
            d.put("brokerRssKibPerCollarAboveIdle", round((double) (bRss - bIdle) / options.collars()));
            d.put("fleetRssMbAllConnected", fRss / 1024);
            d.put("fleetRssKibPerCollar", round((double) fRss / options.collars()));
        }
        d.put("peakRssMb", mapValues(w.peakRssKb, v -> v / 1024));
        d.put("peakOpenFiles", w.peakFiles);
        d.put("peakThreads", w.peakThreads);
        if (w.atAllConnected != null) {
            double rampS = w.allConnectedS;
            long bRamp = sum(w.atAllConnected, "broker", Sample::cpuTicks) - sum(idle, "broker", Sample::cpuTicks);
            long fRamp = sum(w.atAllConnected, "fleet", Sample::cpuTicks);
            d.put("rampCpuCoresBroker", round(bRamp / (double) TICKS_PER_SECOND / rampS));
            d.put("rampCpuCoresFleet", round(fRamp / (double) TICKS_PER_SECOND / rampS));
            d.put("cpuMsPerConnectBothEnds", round((bRamp + fRamp) * 1000.0 / TICKS_PER_SECOND / options.collars()));
            d.put("machineBusyDuringRamp", round(w.machineBusyAtConnected));
            if (w.atFleetEnd != null && w.atFleetEnd != w.atAllConnected) {
                double steadyS = w.atFleetEndS - w.allConnectedS;
                if (steadyS > 0) {
                    long bSteady = sum(w.atFleetEnd, "broker", Sample::cpuTicks)
                            - sum(w.atAllConnected, "broker", Sample::cpuTicks);
                    long fSteady = sum(w.atFleetEnd, "fleet", Sample::cpuTicks)
                            - sum(w.atAllConnected, "fleet", Sample::cpuTicks);
                    d.put("steadyCpuCoresBroker", round(bSteady / (double) TICKS_PER_SECOND / steadyS));
                    d.put("steadyCpuCoresFleet", round(fSteady / (double) TICKS_PER_SECOND / steadyS));
                }
            }
            d.put("machineBusyAfterConnected", round(w.machineBusyTicks / (double) Math.max(1, w.machineTotalTicks)));
        }
        if (merged != null) {
            var t = merged.totals();
            d.put("framesMade", t.framesMade());
            d.put("framesPublishedInclResends", t.published());
            d.put("framesAcknowledged", t.acknowledged());
            d.put("framesStored", t.stored());
            d.put("framesLost", t.lost());
            d.put("duplicatesStored", t.duplicatesStored());
            d.put("resentCopiesDeduplicated", t.duplicatesDropped());
            d.put("connectFailures", t.connectFailures());
            d.put("connectionsLost", t.connectionsLost());
            d.put("fleetHeapKibPerCollarAllConnected", round(t.heapBytesAfterConnect() / 1024.0 / options.collars()));
            d.put("pubackP50Ms", round(t.p50Micros() / 1000.0));
            d.put("pubackP99Ms", round(t.p99Micros() / 1000.0));
            d.put("pubackMaxMs", round(t.maxMicros() / 1000.0));
        }
        d.put("brokerStoresTelemetryFrames", storedAll);
        d.put("brokerStoresDuplicateRows", dupRows);
        d.put("failures", failures);
        return d;
    }

    private static long sum(Map<String, Sample> m, String role, java.util.function.ToLongFunction<Sample> f) {
        return m.entrySet().stream().filter(e -> e.getKey().startsWith(role.equals("broker") ? "broker-" : "shard-"))
                .mapToLong(e -> f.applyAsLong(e.getValue())).sum();
    }

    private static <V> Map<String, Long> mapValues(Map<String, Long> m, java.util.function.LongUnaryOperator f) {
        Map<String, Long> r = new LinkedHashMap<>();
        m.forEach((k, v) -> r.put(k, f.applyAsLong(v)));
        return r;
    }

    private static String exit(Child c) {
        return c.process().isAlive() ? "running" : String.valueOf(c.process().exitValue());
    }

    /** The last progress line of a shard's log (reads only the file's tail). */
    private static Matcher lastProgress(Path log) {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long len = f.length();
            int n = (int) Math.min(len, 16 * 1024);
            byte[] b = new byte[n];
            f.seek(len - n);
            f.readFully(b);
            String[] lines = new String(b, StandardCharsets.UTF_8).split("\n");
            for (int i = lines.length - 1; i >= 0; i--) {
                Matcher m = PROGRESS.matcher(lines[i]);
                if (m.find()) {
                    return m;
                }
            }
        } catch (IOException e) {
            // no log yet
        }
        return null;
    }

    private Map<String, Sample> sampleAll() {
        Map<String, Sample> m = new LinkedHashMap<>();
        for (Child c : children) {
            Sample s = sample(c.process().pid());
            if (s != null) {
                m.put(c.name(), s);
            }
        }
        return m;
    }

    /** CPU ticks, resident memory, threads and open files of {@code pid}, or null once it is gone. */
    static Sample sample(long pid) {
        try {
            Path proc = Path.of("/proc", String.valueOf(pid));
            String stat = Files.readString(proc.resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            long rss = 0;
            int threads = 0;
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", ""));
                } else if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.replaceAll("\\D", ""));
                }
            }
            int files;
            try (Stream<Path> s = Files.list(proc.resolve("fd"))) {
                files = (int) s.count();
            }
            return new Sample(ticks, rss, threads, files);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Busy and total jiffies of the whole machine (all processes, not only ours). */
    private static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1];
        } catch (IOException e) {
            return "?";
        }
    }

    /** Destroys every child still alive (shutdown hook and end of run): SIGTERM, then SIGKILL after 20 s. */
    private void killAll() {
        List<Child> alive = children.stream().filter(c -> c.process().isAlive()).toList();
        alive.forEach(c -> c.process().destroy());
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (Child c : alive) {
            try {
                long left = end - System.nanoTime();
                if (left <= 0 || !c.process().waitFor(left, TimeUnit.NANOSECONDS)) {
                    c.process().destroyForcibly();
                }
            } catch (InterruptedException e) {
                c.process().destroyForcibly();
            }
        }
    }

    private static String clockOf(double s) {
        long t = (long) s;
        return String.format(Locale.ROOT, "%02d:%02d:%02d", t / 3600, t / 60 % 60, t % 60);
    }

    private static String mb(long kb) {
        return String.format(Locale.ROOT, "%.0f MB", kb / 1024.0);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.3f", v);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

}
