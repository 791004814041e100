package com.pettysync.simulator.scale;

import com.pettysync.simulator.fleet.ProgressLine;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The watch loop of a scale run, from the fleet's start until every fleet process ended: every {@code sampleEvery}
 * it samples each child from {@code /proc}, reads each shard's last {@link ProgressLine} from its log, and prints one
 * line for the whole run. It notes when every collar is first connected (the ramp's end), asks the shards to stop
 * (the stop file) after {@code windows} full 5-minute windows with every collar connected, and reads the brokers'
 * socket counters at both ends of that steady window. A broker that dies, or the hard deadline, ends the loop.
 */
final class ScaleWatch {
    /** 5-minute windows, aligned to the simulated clock's multiples of 300 s (the contract's {@code t0}). */
    static final long WINDOW_S = 300;
    private static final String PROGRESS_MARK = "[sim ";

    /** What the loop saw. Times are real seconds since the fleet started. */
    static final class Seen {
        final Map<String, Long> peakRssKb = new LinkedHashMap<>();
        final Map<String, Integer> peakFiles = new LinkedHashMap<>();
        final Map<String, Integer> peakThreads = new LinkedHashMap<>();
        final Map<String, ProcessSampler.Sample> first = new LinkedHashMap<>();
        Map<String, ProcessSampler.Sample> atAllConnected;
        Map<String, ProcessSampler.Sample> atFleetEnd; // the last sample with every fleet process running
        Map<String, ProcessSampler.Sample> last;
        double allConnectedS = -1;
        double fleetEndS = -1;
        double atFleetEndS = -1;
        long allConnectedSim = -1;
        long stopAtSim = -1;
        long stopSim = -1;
        boolean stopRequested;
        double machineBusyDuringRamp = -1;
        double machineBusyAfterConnected = -1;
        /** The brokers' socket counters when every collar was connected and when the fleet was asked to stop. */
        Optional<SocketCounters> wireAtAllConnected = Optional.empty();
        Optional<SocketCounters> wireAtStop = Optional.empty();
        double wireAtAllConnectedS = -1;
        double wireAtStopS = -1;
        final List<String> failures = new ArrayList<>();
    }

    private final ScalePlan plan;
    private final ScaleRun.Options options;
    private final ChildProcesses children;
    private final PrintStream progress;

    ScaleWatch(ScalePlan plan, ScaleRun.Options options, ChildProcesses children, PrintStream progress) {
        this.plan = plan;
        this.options = options;
        this.children = children;
        this.progress = progress;
    }

    Seen run(Path stopFile, long fleetStart, long deadline) throws IOException {
        Seen w = new Seen();
        long every = options.sampleEvery().toNanos();
        ProcessSampler.MachineTicks machine0 = ProcessSampler.machine();
        ProcessSampler.MachineTicks machineAtConnect = null;
        Set<Integer> brokerPorts = IntStream.range(0, plan.brokers()).map(plan::brokerPort).boxed()
                .collect(Collectors.toSet());
        Map<String, Long> lastCpu = new LinkedHashMap<>();
        long lastT = System.nanoTime();
        List<ChildProcesses.Child> fleet = children.ofRole("fleet");
        while (true) {
            LockSupport.parkNanos(every);
            long now = System.nanoTime();
            double t = (now - fleetStart) / 1e9;
            Map<String, ProcessSampler.Sample> s = children.sample();
            w.last = s;
            s.forEach((name, x) -> {
                w.first.putIfAbsent(name, x);
                w.peakRssKb.merge(name, x.rssKb(), Math::max);
                w.peakFiles.merge(name, x.files(), Math::max);
                w.peakThreads.merge(name, x.threads(), Math::max);
            });
            long connected = 0, made = 0, sent = 0, acked = 0;
            long simMin = Long.MAX_VALUE, simMax = 0;
            double p99 = 0;
            for (ChildProcesses.Child c : fleet) {
                String line = c.lastLineWith(PROGRESS_MARK);
                Optional<ProgressLine> p = line == null ? Optional.empty() : ProgressLine.parse(line);
                if (p.isPresent()) {
                    simMin = Math.min(simMin, p.get().simulatedS());
                    simMax = Math.max(simMax, p.get().simulatedS());
                    connected += p.get().connected();
                    made += p.get().made();
                    sent += p.get().sent();
                    acked += p.get().acked();
                    p99 = Math.max(p99, p.get().p99Ms());
                } else {
                    simMin = 0;
                }
            }
            printLine(s, lastCpu, (now - lastT) / 1e9, t, connected, made, sent, acked, p99);
            lastT = now;
            if (w.atAllConnected == null && connected >= plan.collars()) {
                w.atAllConnected = s;
                w.allConnectedS = t;
                machineAtConnect = ProcessSampler.machine();
                w.machineBusyDuringRamp = machineAtConnect.busySince(machine0);
                w.wireAtAllConnected = SocketCounters.measure(brokerPorts);
                w.wireAtAllConnectedS = (System.nanoTime() - fleetStart) / 1e9;
                // the first window boundary after every shard's clock passed this point, then N full windows
                long startS = ScaleRun.START.getEpochSecond();
                long firstBoundary = Math.floorDiv(startS + simMax + WINDOW_S - 1, WINDOW_S) * WINDOW_S - startS;
                w.allConnectedSim = simMax;
                w.stopAtSim = firstBoundary + options.windowsAfterConnected() * WINDOW_S
                        + Math.max(20, (long) (3 * options.speedup()));
                progress.printf(Locale.ROOT, "all %d collars connected after %.0f s (%.1f connects/s, simulated +%s);"
                        + " %s%n", plan.collars(), t, plan.collars() / t, ProgressLine.clock(simMax),
                        options.windowsAfterConnected() == 0 ? "running the whole duration"
                                : "the fleet stops at simulated +" + ProgressLine.clock(w.stopAtSim) + " after "
                                + options.windowsAfterConnected() + " full windows");
            }
            if (w.stopAtSim > 0 && options.windowsAfterConnected() > 0 && !w.stopRequested && simMin != Long.MAX_VALUE
                    && simMin >= w.stopAtSim) {
                w.wireAtStop = SocketCounters.measure(brokerPorts);
                w.wireAtStopS = (System.nanoTime() - fleetStart) / 1e9;
                Files.writeString(stopFile, "stop\n");
                w.stopRequested = true;
                w.stopSim = simMin;
                progress.printf(Locale.ROOT, "%d full windows with every collar connected: stopping the fleet "
                        + "(drain, then reports)%n", options.windowsAfterConnected());
            }
            for (ChildProcesses.Child c : children.ofRole("broker")) {
                if (!c.process().isAlive()) {
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
                w.atFleetEnd = s;
                w.atFleetEndS = t;
            }
        }
        if (machineAtConnect != null) {
            w.machineBusyAfterConnected = ProcessSampler.machine().busySince(machineAtConnect);
        }
        return w;
    }

    private void printLine(Map<String, ProcessSampler.Sample> s, Map<String, Long> lastCpu, double dt, double t,
            long connected, long made, long sent, long acked, double p99) {
        double brokerCores = 0, fleetCores = 0;
        long brokerRss = 0, fleetRss = 0;
        int brokerFiles = 0, fleetFiles = 0;
        for (ChildProcesses.Child c : children.all()) {
            ProcessSampler.Sample x = s.get(c.name());
            if (x == null) {
                continue;
            }
            double cores = (x.cpuTicks() - lastCpu.getOrDefault(c.name(), x.cpuTicks()))
                    / (double) ProcessSampler.TICKS_PER_SECOND / dt;
            lastCpu.put(c.name(), x.cpuTicks());
            if (c.fleet()) {
                fleetCores += cores;
                fleetRss += x.rssKb();
                fleetFiles = Math.max(fleetFiles, x.files());
            } else {
                brokerCores += cores;
                brokerRss += x.rssKb();
                brokerFiles = Math.max(brokerFiles, x.files());
            }
        }
        progress.printf(Locale.ROOT, "[%s] connected %d/%d | made %d sent %d acked %d | p99 ≤ %.0f ms | CPU broker %.2f"
                + " fleet %.2f cores | RSS broker %.0f MB fleet %.0f MB | max files/process broker %d fleet %d | "
                + "load %s%n", ProgressLine.clock((long) t), connected, plan.collars(), made, sent, acked, p99,
                brokerCores, fleetCores, brokerRss / 1024.0, fleetRss / 1024.0, brokerFiles, fleetFiles,
                ProcessSampler.loadAverage());
    }
}
