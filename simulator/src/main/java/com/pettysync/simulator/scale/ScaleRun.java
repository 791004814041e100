package com.pettysync.simulator.scale;

import com.pettysync.provisioning.ca.LocalCertificateAuthority;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A fleet too big for one process, on one machine, as {@link ScalePlan} sized it: {@code brokers} local IoT Core
 * processes ({@code pettysync cloud}, one port each, all sharing one CA so every collar certificate is valid
 * everywhere) and {@code shards} fleet processes ({@code pettysync simulate --shard i/N --target localhost:PORT --ca …
 * --frames …}), each shard assigned to one broker. {@link ScaleWatch} watches them, {@link ScaleReport} merges the
 * shard reports, checks every broker's store and writes {@code scale.json}.
 *
 * <h2>Where the parts are</h2>
 * {@link ScalePlan} (sizing and the limit check, from {@link MachineLimits} and {@link ResourceBudget}),
 * {@link ChildProcesses} (start, await, stop, kill; logs), {@link JarSnapshot} (run from a copy of the jars),
 * {@link ProcessSampler} ({@code /proc}), {@link SocketCounters} ({@code ss}), {@link ScaleWatch} (the loop),
 * {@link ScaleReport} (merge, figures, verdict).
 *
 * <h2>Failure model</h2>
 * Every child is started by this process and ends by itself: a shard stops after its simulated duration and drain,
 * a broker gets {@code --duration} = this run's hard deadline. This process stops the brokers once the shards are
 * done, kills all children at the deadline, and a shutdown hook (Ctrl-C, SIGTERM) destroys any child still alive.
 * A broker that dies early fails the run and the others are stopped. Logs: {@code out/<child>.log}.
 */
public final class ScaleRun {
    /**
     * How the sized processes run.
     *
     * @param speedup          simulated seconds per real second (1 = real cadence)
     * @param duration         simulated duration cap of each shard; the run ends earlier, once
     *                         {@code windowsAfterConnected} full 5-minute windows passed with every collar connected
     * @param windowsAfterConnected full windows with every collar connected before the fleet stops (0: the whole
     *                         {@code duration})
     * @param rampPerS         collars started per real second, all shards together
     * @param out              run directory
     * @param sampleEvery      real time between samples / progress lines
     * @param drainTimeout     real time each shard allows its outboxes to empty after the simulated end
     * @param maxConnecting    TLS handshakes in progress at once, per shard
     * @param brokerJvm        JVM options of a broker process
     * @param fleetJvm         JVM options of a fleet process
     */
    public record Options(double speedup, Duration duration, int windowsAfterConnected, double rampPerS, Path out,
            Duration sampleEvery, Duration drainTimeout, int maxConnecting, List<String> brokerJvm,
            List<String> fleetJvm) {
        public Options {
            if (windowsAfterConnected < 0) {
                throw new IllegalArgumentException("--windows must be ≥ 0");
            }
            if (!(rampPerS > 0) || !(speedup >= 1) || duration.isZero() || duration.isNegative()) {
                throw new IllegalArgumentException("--ramp-per-s > 0, --speedup ≥ 1, --duration > 0");
            }
            if (maxConnecting < 1) {
                throw new IllegalArgumentException("--max-connecting must be ≥ 1");
            }
            brokerJvm = List.copyOf(brokerJvm);
            fleetJvm = List.copyOf(fleetJvm);
        }
    }

    /** The shards' simulated start (the dogs' morning walks); windows close at multiples of 5 minutes. */
    static final Instant START = Instant.parse("2026-06-01T06:58:00Z");

    private final ScalePlan plan;
    private final Options options;
    private final PrintStream progress;
    private ChildProcesses children;

    public ScaleRun(ScalePlan plan, Options options, PrintStream progress) {
        this.plan = plan;
        this.options = options;
        this.progress = progress;
    }

    /** Runs everything to the end and says how it ended (the caller turns it into an exit status). */
    public ScaleReport.Outcome run() throws IOException, InterruptedException {
        Path out = options.out().toAbsolutePath();
        prepare(out);
        children = new ChildProcesses(out, JarSnapshot.classPath(out.resolve("lib")), progress);
        Thread hook = Thread.ofPlatform().name("scale-cleanup").unstarted(children::killAll);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return runChildren(out);
        } finally {
            children.killAll();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or ran
            }
        }
    }

    /** The process ids of every child started so far (for checks that none outlives the run). */
    public List<Long> childPids() {
        return children == null ? List.of() : children.all().stream().map(c -> c.process().pid()).toList();
    }

    private void prepare(Path out) throws IOException {
        Files.createDirectories(out);
        try (Stream<Path> s = Files.list(out)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith("broker-") || n.startsWith("shard-") || n.equals("merged") || n.equals("scale.json")
                        || (n.equals("lib") && !JarSnapshot.active()) || n.equals("stop")) {
                    deleteTree(p);
                }
            }
        }
        LocalCertificateAuthority.openOrCreate(out.resolve("ca"), Clock.systemUTC());
        Files.writeString(out.resolve("tinylog.properties"), """
                writer        = console
                writer.stream = err
                writer.level  = info
                writer.format = {date: HH:mm:ss.SSS} {level} [{thread}] {class-name}: {message}
                # per-collar routine lines of the agent's code (connected, reconnecting) would be thousands of lines
                level@com.pettysync.agent = warn
                """);
    }

    private ScaleReport.Outcome runChildren(Path out) throws IOException, InterruptedException {
        double realSeconds = options.duration().toMillis() / 1000.0 / options.speedup();
        Duration budget = Duration.ofSeconds((long) (120 + realSeconds + plan.collars() / options.rampPerS() * 0.5
                + options.drainTimeout().toSeconds() + 120));
        long t0 = System.nanoTime();
        long deadline = t0 + budget.toNanos();
        progress.printf(Locale.ROOT, "scale run: %d collars, %d broker process(es), %d fleet process(es), %s simulated "
                + "at ×%s, ramp %.0f/s, %d source address(es); hard deadline %s real; logs in %s%n",
                plan.collars(), plan.brokers(), plan.shards(), options.duration(), trim(options.speedup()),
                options.rampPerS(), plan.sourceAddresses(), budget, out);
        for (int b = 0; b < plan.brokers(); b++) {
            children.start("broker-" + b, "broker", plan.brokerCollars(b),
                    ProcessSizing.orSized(options.brokerJvm(), ProcessSizing.brokerJvm(plan.brokerCollars(b))),
                    List.of("cloud",
                    "--dir", out.resolve("broker-" + b).toString(),
                    // CA-only: the shards issue their collars' certificates in memory from the shared CA, so no
                    // broker's registry knows them (registering 28,000 across processes is not what is measured)
                    "--ca-dir", out.resolve("ca").toString(), "--no-registry-authentication",
                    "--port", String.valueOf(plan.brokerPort(b)), "--duration", String.valueOf(budget.toSeconds())));
        }
        for (ChildProcesses.Child c : children.all()) {
            ChildProcesses.awaitLine(c, "Local AWS IoT Core running", Duration.ofSeconds(120));
        }
        Map<String, ProcessSampler.Sample> idle = children.sample();
        progress.printf(Locale.ROOT, "brokers up in %.1f s (idle RSS %.0f MB)%n", (System.nanoTime() - t0) / 1e9,
                idle.values().stream().mapToLong(ProcessSampler.Sample::rssKb).sum() / 1024.0);
        long fleetStart = System.nanoTime();
        for (int i = 0; i < plan.shards(); i++) {
            children.start("shard-" + i, "fleet", plan.shardCollars(i),
                    ProcessSizing.orSized(options.fleetJvm(), ProcessSizing.fleetJvm(plan.shardCollars(i))),
                    shardArgs(out, i));
        }
        ScaleWatch.Seen seen = new ScaleWatch(plan, options, children, progress).run(out.resolve("stop"), fleetStart,
                deadline);
        children.stop("broker");
        return new ScaleReport(plan, options, children, progress).write(out, seen, idle);
    }

    /** The command line of fleet shard {@code i}: its collars, its broker, the shared CA, its broker's store. */
    private List<String> shardArgs(Path out, int i) {
        int b = plan.brokerOf(i);
        return new ArrayList<>(List.of("simulate", "--collars", String.valueOf(plan.collars()),
                "--shard", i + "/" + plan.shards(), "--speedup", trim(options.speedup()), "--duration",
                options.duration().toString(), "--ramp-per-s", trim(options.rampPerS() / plan.shards()),
                "--target", "localhost:" + plan.brokerPort(b), "--ca", out.resolve("ca").toString(),
                "--frames", out.resolve("broker-" + b).resolve("frames.db").toString(),
                "--out", out.resolve("shard-" + i).toString(),
                "--source-addresses", String.valueOf(plan.sourceAddresses()),
                "--max-connecting", String.valueOf(options.maxConnecting()),
                "--progress-every", options.sampleEvery().toString(),
                "--drain-timeout", options.drainTimeout().toSeconds() + "s", "--threads", "1",
                "--start", START.toString(), "--stop-file", out.resolve("stop").toString()));
    }

    static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.3f", v);
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
