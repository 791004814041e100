package com.pettysync.simulator.cli;

import com.pettysync.cli.BadInputException;
import com.pettysync.simulator.fleet.Fault;
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
        description = {"Run a fleet too big for one process: N 'pettysync cloud' processes (one CA, ports BASE…) and "
                + "M 'pettysync simulate --shard i/M' processes, each under the 20,000-open-files limit; print "
                + "connected collars, CPU, memory and open files per role; merge the shard reports; check the brokers' "
                + "frame stores; write scale.json. Every process it starts ends with it (also on Ctrl-C).",
                "Defaults: 28,000 collars at the real cadence (×1): the ramp, then 2 full 5-minute windows with every "
                        + "collar connected (about 25-35 minutes on 2 cores)."})
final class ScaleCommand implements Callable<Integer> {
    @Option(names = "--collars", defaultValue = "28000", description = "fleet size (default ${DEFAULT-VALUE})")
    int collars;

    @Option(names = "--brokers", defaultValue = "0",
            description = "broker processes (default 0: one per --collars-per-broker)")
    int brokers;

    @Option(names = "--shards", defaultValue = "0",
            description = "fleet processes (default 0: one per --collars-per-shard)")
    int shards;

    @Option(names = "--collars-per-broker", defaultValue = "14000", description = "most collars on one broker: one "
            + "socket each, under 20,000 open files (default ${DEFAULT-VALUE})")
    int perBroker;

    @Option(names = "--collars-per-shard", defaultValue = "4000", description = "most collars in one fleet process: a "
            + "socket + the outbox's 3 SQLite files each (default ${DEFAULT-VALUE})")
    int perShard;

    @Option(names = "--speedup", defaultValue = "1", description = "1 = real 5-minute cadence (default ${DEFAULT-VALUE})")
    double speedup;

    @Option(names = "--duration", defaultValue = "45m", paramLabel = "DURATION",
            description = "simulated duration cap of each shard (default ${DEFAULT-VALUE}); the fleet stops earlier, "
                    + "after --windows full windows with every collar connected")
    String duration;

    @Option(names = "--windows", defaultValue = "2", description = "full 5-minute windows to run with every collar "
            + "connected before the fleet stops (default ${DEFAULT-VALUE}; 0: run the whole --duration)")
    int windows;

    @Option(names = "--ramp-per-s", defaultValue = "60",
            description = "collars started per real second, all shards together (default ${DEFAULT-VALUE})")
    double rampPerS;

    @Option(names = "--source-addresses", defaultValue = "4",
            description = "loopback source addresses 127.0.0.1…n for the fleet's connections (default ${DEFAULT-VALUE})")
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
        ScaleRun.Options options;
        try {
            options = new ScaleRun.Options(collars, brokers, shards, perBroker, perShard, speedup,
                    Fault.duration(duration), rampPerS, sourceAddresses, basePort, out, Fault.duration(sampleEvery),
                    Fault.duration(drainTimeout), maxConnecting, split(brokerJvm), split(fleetJvm), windows);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        if (maxConnecting < 1) {
            throw new BadInputException("--max-connecting must be ≥ 1");
        }
        if (!ScaleRun.fromSnapshot()) {
            // run the whole orchestration from a copy of the jars (a rebuild in the checkout must not break it)
            spec.commandLine().getOut().flush();
            return ScaleRun.relaunchFromSnapshot(out, spec.root().commandLine().getParseResult().originalArgs());
        }
        var w = spec.commandLine().getOut();
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
        return new ScaleRun(options, progress).run() ? 0 : 1;
    }

    private static List<String> split(String opts) {
        return Arrays.stream(opts.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }
}
