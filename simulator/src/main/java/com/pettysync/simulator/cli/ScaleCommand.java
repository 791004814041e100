package com.pettysync.simulator.cli;

import com.pettysync.cli.BadInputException;
import com.pettysync.simulator.fleet.Fault;
import com.pettysync.simulator.scale.JarSnapshot;
import com.pettysync.simulator.scale.MachineLimits;
import com.pettysync.simulator.scale.ResourceBudget;
import com.pettysync.simulator.scale.ScalePlan;
import com.pettysync.simulator.scale.ScaleReport;
import com.pettysync.simulator.scale.ScaleRun;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pettysync simulate scale}: the seed fleet (28,000 collars) at the real 5-minute cadence on this machine —
 * several local IoT Core processes sharing one CA, several fleet shard processes, resources sampled from
 * {@code /proc}, shard reports merged, every broker's store checked. See {@link ScaleRun}.
 */
@Command(name = "scale", mixinStandardHelpOptions = true,
        exitCodeListHeading = "Exit status:%n", exitCodeList = {SimulateExit.HELP_VERIFIED, SimulateExit.HELP_FAILED,
                SimulateExit.HELP_BAD_INPUT, SimulateExit.HELP_INTERNAL, SimulateExit.HELP_NOT_MEASURED,
                SimulateExit.HELP_MACHINE},
        description = {"Run a fleet too big for one process: N 'pettysync cloud' processes (one CA, ports BASE…) and "
                + "M 'pettysync simulate --shard i/M' processes, sized from this machine's limits (open files, memory "
                + "maps, ephemeral ports, memory) and checked against them before anything starts; print "
                + "connected collars, CPU, memory and open files per role; merge the shard reports; check the brokers' "
                + "frame stores; write scale.json. Every process it starts ends with it (also on Ctrl-C).",
                "Defaults: 28,000 collars at the real cadence (×1): the ramp (asked 120/s, the TLS handshakes give ~93/s on "
                        + "2 cores), then 2 full 5-minute windows with every collar connected (about 20 minutes; "
                        + "--collars 100000 about 35)."})
final class ScaleCommand implements Callable<Integer> {
    @Option(names = "--collars", defaultValue = "28000", description = "fleet size (default ${DEFAULT-VALUE})")
    int collars;

    @Option(names = "--brokers", defaultValue = "0",
            description = "broker processes (default 0: sized from the open-file and memory-map limits)")
    int brokers;

    @Option(names = "--shards", defaultValue = "0",
            description = "fleet processes (default 0: sized from the open-file and memory-map limits)")
    int shards;

    @Option(names = "--collars-per-broker", defaultValue = "0", description = "most collars on one broker (default "
            + "0: 90 %% of the open-file limit, one socket per collar)")
    int perBroker;

    @Option(names = "--collars-per-shard", defaultValue = "0", description = "most collars in one fleet process "
            + "(default 0: 90 %% of the open-file limit over a socket + --outbox-files-per-collar per collar)")
    int perShard;

    @Option(names = "--outbox-files-per-collar", defaultValue = "0", description = "files each collar's outbox keeps "
            + "open in a fleet process: 0 with the shard's one outbox database (default ${DEFAULT-VALUE})")
    int outboxFiles;

    @Option(names = "--dry-run", description = "print the plan (processes, collars each, ports, source addresses, "
            + "files and memory maps per process, memory) and the limit check, start nothing; exit 0 if the "
            + "machine holds it, 5 if not")
    boolean dryRun;

    @Option(names = "--speedup", defaultValue = "1", description = "1 = real 5-minute cadence (default ${DEFAULT-VALUE})")
    double speedup;

    @Option(names = "--duration", defaultValue = "60m", paramLabel = "DURATION",
            description = "simulated duration cap of each shard (default ${DEFAULT-VALUE}); the fleet stops earlier, "
                    + "after --windows full windows with every collar connected")
    String duration;

    @Option(names = "--windows", defaultValue = "2", description = "full 5-minute windows to run with every collar "
            + "connected before the fleet stops (default ${DEFAULT-VALUE}; 0: run the whole --duration)")
    int windows;

    @Option(names = "--ramp-per-s", defaultValue = "120",
            description = "collars started per real second, all shards together (default ${DEFAULT-VALUE})")
    double rampPerS;

    @Option(names = "--source-addresses", defaultValue = "0", description = "loopback source addresses 127.0.0.1…n "
            + "for the fleet's connections (default 0: enough for 90 %% of the ephemeral port range each)")
    int sourceAddresses;

    @Option(names = "--base-port", defaultValue = "18900",
            description = "broker b listens on localhost:BASE+b (default ${DEFAULT-VALUE})")
    int basePort;

    @Option(names = "--out", defaultValue = "pettysync-scale", paramLabel = "DIR",
            description = "run directory: logs, CA, brokers' stores, shard reports, merged/, scale.json "
                    + "(default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--sample-every", defaultValue = "10s", paramLabel = "DURATION",
            description = "real time between samples (default ${DEFAULT-VALUE})")
    String sampleEvery;

    @Option(names = "--drain-timeout", defaultValue = "120s", paramLabel = "DURATION",
            description = "real time each shard allows its outboxes to empty (default ${DEFAULT-VALUE})")
    String drainTimeout;

    @Option(names = "--max-connecting", defaultValue = "8",
            description = "TLS handshakes in progress at once per fleet process (default ${DEFAULT-VALUE})")
    int maxConnecting;

    @Option(names = "--broker-jvm", defaultValue = "",
            description = "JVM options of a broker process (default: sized for its collars by scale.ProcessSizing)")
    String brokerJvm;

    @Option(names = "--fleet-jvm", defaultValue = "",
            description = "JVM options of a fleet process (default: sized for its collars by scale.ProcessSizing)")
    String fleetJvm;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ScalePlan plan;
        ScaleRun.Options options;
        MachineLimits limits = MachineLimits.read();
        try {
            plan = ScalePlan.size(new ScalePlan.Request(collars, brokers, shards, perBroker, perShard,
                    sourceAddresses, basePort, outboxFiles), limits, ResourceBudget.MEASURED);
            options = new ScaleRun.Options(speedup, Fault.duration(duration), windows, rampPerS, out,
                    Fault.duration(sampleEvery), Fault.duration(drainTimeout), maxConnecting, split(brokerJvm),
                    split(fleetJvm));
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        var w = spec.commandLine().getOut();
        if (!JarSnapshot.active()) {
            // checked once, before anything starts (the relaunched orchestrator runs the same plan)
            List<String> missing = plan.shortfalls(limits);
            if (dryRun || !missing.isEmpty()) {
                w.println(plan.describe(limits));
                if (!missing.isEmpty()) {
                    w.println("this machine cannot hold the plan: nothing started (exit "
                            + SimulateExit.MACHINE_TOO_SMALL + ")");
                }
                w.flush();
                return missing.isEmpty() ? SimulateExit.VERIFIED : SimulateExit.MACHINE_TOO_SMALL;
            }
            // run the whole orchestration from a copy of the jars (a rebuild in the checkout must not break it)
            w.flush();
            return JarSnapshot.relaunch(out, spec.root().commandLine().getParseResult().originalArgs());
        }
        w.println(plan.describe(limits));
        PrintStream progress = new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                w.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                w.write(new String(b, off, len, StandardCharsets.UTF_8));
            }

            @Override
            public void flush() {
                w.flush();
            }
        }, true, StandardCharsets.UTF_8);
        return exitStatus(new ScaleRun(plan, options, progress).run());
    }

    /** 0 verified and nothing failed; 1 a loss, duplicate or failure; 4 delivery not measured. */
    static int exitStatus(ScaleReport.Outcome outcome) {
        if (!outcome.failures().isEmpty()) {
            return SimulateExit.FAILED;
        }
        return SimulateExit.of(outcome.delivery());
    }

    private static List<String> split(String opts) {
        return Arrays.stream(opts.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }
}
