package com.pettysync.simulator.cli;

import com.pettysync.cli.BadInputException;
import com.pettysync.simulator.cluster.FleetJobCommand;
import com.pettysync.simulator.fleet.Fault;
import com.pettysync.simulator.fleet.FleetSimulation;
import com.pettysync.simulator.report.FleetReport;
import com.pettysync.simulator.report.FleetReports;
import com.pettysync.simulator.report.ReportPage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pettysync simulate}: a fleet of virtual collars (the agent's own window, outbox and uplink code over the dog
 * behaviour model) against the embedded local IoT Core or an AWS IoT endpoint; live progress, then
 * {@code report.json} + {@code report.html} and a one-line verdict; the exit status is the verdict's
 * ({@link SimulateExit}: 0 verified, 1 a frame lost, stored twice or refused, 4 delivery not measured).
 * {@code simulate merge} combines shard reports.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, subcommands = {SimulateCommand.Merge.class, ScaleCommand.class,
        FleetJobCommand.class},
        exitCodeListHeading = "Exit status:%n", exitCodeList = {SimulateExit.HELP_VERIFIED, SimulateExit.HELP_FAILED,
                SimulateExit.HELP_BAD_INPUT, SimulateExit.HELP_INTERNAL, SimulateExit.HELP_NOT_MEASURED},
        description = {"Run a fleet of virtual collars (device-agent's window aggregator, outbox and uplink over "
                + "the dog behaviour model) against the embedded local IoT Core (default) or an AWS IoT endpoint, "
                + "with fault scenarios; print progress, write report.json and report.html, and end with the verdict "
                + "'N frames sent, N stored, 0 lost, 0 duplicate'.",
                "Defaults (1,000 collars, 1 simulated hour at ×120, ramp 200/s) take about a minute on 2 cores."})
public final class SimulateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--collars", defaultValue = "1000", description = "fleet size, all shards (default ${DEFAULT-VALUE})")
    int collars;

    @Option(names = "--ramp-per-s", defaultValue = "200",
            description = "collars started per real second (default ${DEFAULT-VALUE})")
    double rampPerS;

    @Option(names = "--duration", defaultValue = "1h", paramLabel = "DURATION",
            description = "simulated duration: 90s, 10m, 1h, PT2H (default ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--speedup", defaultValue = "120", description = "simulated seconds per real second; 1 = real "
            + "5-minute cadence (default ${DEFAULT-VALUE})")
    double speedup;

    @Option(names = "--target", defaultValue = "local", paramLabel = "local|HOST[:PORT]",
            description = "'local' starts the local IoT Core embedded (default); otherwise an AWS IoT endpoint")
    String target;

    @Option(names = "--credentials", paramLabel = "DIR", description = "for an AWS endpoint: one directory per thing "
            + "(collar-000000 …) with certificate.pem, private-key.pem, ca.pem (as 'cloud issue' writes them)")
    Path credentials;

    @Option(names = "--ca", paramLabel = "DIR", description = "with --target localhost:PORT (a 'pettysync cloud "
            + "--ca-dir DIR' process): issue every collar's certificate in memory from that CA instead of reading "
            + "--credentials")
    Path ca;

    @Option(names = "--frames", paramLabel = "FILE", description = "with --target localhost:PORT: that cloud's "
            + "frames.db, read to count this shard's stored, lost and duplicate frames (without it they are not "
            + "measured: exit 4)")
    Path frames;

    @Option(names = "--stop-file", paramLabel = "FILE", description = "end the simulated period early when FILE "
            + "appears (used by 'simulate scale' after enough windows with every collar connected)")
    Path stopFile;

    @Option(names = "--fault", paramLabel = "SPEC", description = "broker-restart@T | offline:P%%@T+D | kill[:N]@T | "
            + "net:DELAYms[/LOSS%%]@T+D (T, D simulated: 90s, 10m, 1h; DELAY real, one way); repeatable")
    List<String> faults = new ArrayList<>();

    @Option(names = "--shard", defaultValue = "0/1", paramLabel = "i/N",
            description = "run only shard i of N of the fleet (default ${DEFAULT-VALUE})")
    String shard;

    @Option(names = "--out", defaultValue = "pettysync-simulation", paramLabel = "DIR",
            description = "report directory (default ${DEFAULT-VALUE}); the local cloud's state goes to DIR/cloud")
    Path out;

    @Option(names = "--rollout", paramLabel = "FILE", description = "run a firmware rollout instead (a JSON "
            + "scenario, see the simulator README; '-' = the built-in 1,000 collars, 2 %% failing): the agent's own Jobs "
            + "client, download, verification and A/B commit on every collar, in simulated time; writes rollout.json "
            + "and rollout.html to --out; exit 1 if a check failed")
    String rollout;

    @Option(names = "--unmeasured-ok", description = "exit 0 instead of 4 when delivery cannot be counted (a remote "
            + "target without --frames, e.g. a Kubernetes Job against AWS); the verdict and the report still say "
            + "'not measured'")
    boolean unmeasuredOk;

    @Option(names = "--outbox-dir", paramLabel = "DIR",
            description = "where the collars' outbox databases go (default: a temporary directory in /dev/shm, removed)")
    Path outboxDir;

    @Option(names = "--max-connecting", defaultValue = "64",
            description = "connects (TLS handshakes) in progress at once (default ${DEFAULT-VALUE})")
    int maxConnecting;

    @Option(names = "--threads", defaultValue = "2",
            description = "scheduler threads for all collars' logic (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--pipeline-collars", defaultValue = "0", paramLabel = "K",
            description = "the first K collars run the full signal pipeline (register twins -> the real drivers -> "
                    + "edge-ml with the TFLite classifier) instead of the behaviour model's summaries; about 1 s of "
                    + "CPU per collar per 5-minute window (default ${DEFAULT-VALUE})")
    int pipelineCollars;

    @Option(names = "--source-addresses", defaultValue = "0", description = "loopback source addresses 127.0.0.1…n "
            + "to spread connections over (default 0: one per 20,000 collars)")
    int sourceAddresses;

    @Option(names = "--progress-every", defaultValue = "2s", paramLabel = "DURATION",
            description = "real time between progress lines (default ${DEFAULT-VALUE})")
    String progressEvery;

    @Option(names = "--drain-timeout", defaultValue = "90s", paramLabel = "DURATION",
            description = "real time allowed after the simulated end for the outboxes to empty (default ${DEFAULT-VALUE})")
    String drainTimeout;

    @Option(names = "--start", defaultValue = "2026-06-01T06:58:00Z", paramLabel = "INSTANT",
            description = "simulated start time (default ${DEFAULT-VALUE}: the dogs' morning walks)")
    String start;

    private static final Pattern SHARD = Pattern.compile("(\\d+)/(\\d+)");

    @Override
    public Integer call() throws Exception {
        quietAgentLogs();
        if (rollout != null) {
            return RolloutRun.run(rollout, out, spec.commandLine().getOut(), spec.commandLine().getErr());
        }
        FleetSimulation.Options options = options();
        PrintWriter w = spec.commandLine().getOut();
        PrintStream progress = new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                w.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                w.write(new String(b, off, len, java.nio.charset.StandardCharsets.UTF_8));
            }

            @Override
            public void flush() {
                w.flush();
            }
        }, true, java.nio.charset.StandardCharsets.UTF_8);
        FleetReport report = new FleetSimulation(options, progress).run();
        return finish(report, options.out(), w, unmeasuredOk);
    }

    /**
     * A fleet runs the agent's code thousands of times over: its per-collar routine lines (INFO "connected",
     * "reconnecting") would be thousands of log lines that the progress lines already aggregate. So in this process
     * the agent's packages log at {@code -Dpettysync.fleet.agentLogLevel} (default WARN); the agent's own process
     * logs as before. No effect once tinylog has started in this JVM (it freezes its configuration then; note that
     * even {@code Configuration.get} freezes it).
     */
    static void quietAgentLogs() {
        try {
            if (!org.tinylog.configuration.Configuration.isFrozen()) {
                org.tinylog.configuration.Configuration.set("level@com.pettysync.agent",
                        System.getProperty("pettysync.fleet.agentLogLevel", "warn"));
            }
        } catch (UnsupportedOperationException frozen) {
            // logging already started in this JVM (tests): keep its configuration
        }
    }

    static int finish(FleetReport report, Path out, PrintWriter w, boolean unmeasuredOk) throws IOException {
        Path json = out.resolve("report.json");
        Path html = out.resolve("report.html");
        report.write(json);
        ReportPage.write(report, html);
        var t = report.totals();
        w.printf(java.util.Locale.ROOT, "connect rate %.0f/s, PUBACK p50 %.2f ms p99 %.2f ms, %.0f frames stored/s,"
                + " monthly AWS cost of this fleet %s%n", t.connectsPerSecond(), t.p50Micros() / 1000.0,
                t.p99Micros() / 1000.0, t.storedPerSecond(), report.cost().monthlyUsd());
        w.println("report: " + json.toAbsolutePath() + " and " + html.toAbsolutePath());
        w.println(report.verdict());
        if (report.collarDay() != null) {
            w.println(report.collarDay().summary());
        }
        w.flush();
        return SimulateExit.of(report.delivery(), unmeasuredOk);
    }

    FleetSimulation.Options options() {
        Matcher m = SHARD.matcher(shard);
        if (!m.matches()) {
            throw new BadInputException("--shard must be i/N (e.g. 0/4), got " + shard);
        }
        String endpoint = null;
        int port = 8883;
        if (!target.equals("local")) {
            String[] hp = target.split(":");
            endpoint = hp[0];
            if (hp.length > 1) {
                try {
                    port = Integer.parseInt(hp[1]);
                } catch (NumberFormatException e) {
                    throw new BadInputException("--target port must be a number: " + target);
                }
            }
        }
        if (maxConnecting < 1 || threads < 1 || sourceAddresses < 0 || sourceAddresses > 254) {
            throw new BadInputException("--max-connecting and --threads must be ≥ 1, --source-addresses 0…254");
        }
        try {
            List<Fault> parsed = faults.stream().map(Fault::parse).toList();
            return new FleetSimulation.Options(collars, rampPerS, Fault.duration(duration), speedup, endpoint, port,
                    credentials, parsed, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), out, outboxDir,
                    maxConnecting, threads, sourceAddresses, Fault.duration(progressEvery),
                    Fault.duration(drainTimeout), Instant.parse(start), ca, frames, stopFile, pipelineCollars);
        } catch (java.time.format.DateTimeParseException e) {
            throw new BadInputException("--start must be an ISO instant like 2026-06-01T07:00:00Z, got " + start);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
    }

    /** {@code pettysync simulate merge REPORT...}: one fleet report from shard reports. */
    @Command(name = "merge", mixinStandardHelpOptions = true,
            description = "Merge shard reports (report.json of each 'simulate --shard i/N') into one report + page.")
    static final class Merge implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "REPORT", description = "shard report.json files")
        List<Path> reports;

        @Option(names = "--unmeasured-ok", description = "exit 0 instead of 4 when the shards could not count "
                + "delivery (remote target); the merged verdict still says 'not measured'")
        boolean unmeasuredOk;

        @Option(names = "--out", defaultValue = "pettysync-simulation-merged", paramLabel = "DIR",
                description = "where the merged report.json and report.html go (default ${DEFAULT-VALUE})")
        Path out;

        @Override
        public Integer call() throws Exception {
            List<FleetReport> read = new ArrayList<>();
            for (Path p : reports) {
                if (!Files.isRegularFile(p)) {
                    throw new BadInputException("no such report: " + p);
                }
                try {
                    read.add(FleetReport.read(p));
                } catch (IOException e) {
                    throw new BadInputException("not a fleet report: " + p + " (" + e.getMessage().lines()
                            .findFirst().orElse("") + ")");
                }
            }
            Files.createDirectories(out);
            return finish(FleetReports.merge(read), out, spec.commandLine().getOut(), unmeasuredOk);
        }
    }

}
