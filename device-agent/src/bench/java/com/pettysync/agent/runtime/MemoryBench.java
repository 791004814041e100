package com.pettysync.agent.runtime;

import com.pettysync.agent.testing.TestBroker;
import com.pettysync.agent.testing.TestPki;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory and start-up of the agent against the floor, measured in one run with the same JVM flags (those
 * of the systemd unit): RSS of {@link FloorChild} (bare Paho, one TLS connection, one QoS 1 publish, idle) and of
 * {@link AgentChild} (the agent, simulated sensors, publishing) after {@code pettysync.bench.settleS} seconds
 * (default 60). The broker runs in this JVM, so neither child carries it. Run: {@code ./mvnw -B -pl device-agent
 * -Pbench verify}. Prints the figures; asserts nothing (a benchmark, not a test).
 */
public class MemoryBench {
    static final List<String> FLAGS = unitFlags();

    /** The -X and -D flags of the systemd unit's PETTYSYNC_JAVA_OPTS (what the collar runs), read from the unit file. */
    public static List<String> unitFlags() {
        try {
            String unit = Files.readString(Path.of("src/deb/pettysync-agent.service"));
            int start = unit.indexOf("PETTYSYNC_JAVA_OPTS=") + "PETTYSYNC_JAVA_OPTS=".length();
            String exec = unit.substring(start, unit.indexOf('"', start));
            List<String> flags = new ArrayList<>();
            for (String token : exec.split("\\s+")) {
                if (token.startsWith("-X") || token.startsWith("-D")) {
                    flags.add(token);
                }
            }
            flags.add("--enable-native-access=ALL-UNNAMED");
            return List.copyOf(flags);
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the JVM flags from src/deb/pettysync-agent.service", e);
        }
    }

    @TempDir
    Path dir;

    @Test
    void agentRssAgainstThePahoFloor() throws Exception {
        int settle = Integer.getInteger("pettysync.bench.settleS", 60);
        TestPki pki = TestPki.create(Files.createDirectories(dir.resolve("pki")));
        TestPki.Client floorId = pki.client("collar-floor", TestPki.KeyFormat.EC_PKCS8);
        TestPki.Client agentId = pki.client("collar-bench1", TestPki.KeyFormat.EC_SEC1);
        try (TestBroker broker = new TestBroker(dir.resolve("broker"), pki).start()) {
            Process floor = child(FloorChild.class, broker.uri(), floorId.certificate().toString(),
                    floorId.privateKey().toString(), pki.caPem.toString());
            Process agent = child(AgentChild.class, dir.resolve("agent").toString(), broker.uri(),
                    agentId.certificate().toString(), agentId.privateKey().toString(), pki.caPem.toString());
            try {
                Thread.sleep(settle * 1000L); // steady state: a benchmark waits on purpose
                long floorRss = rssKb(floor.pid());
                long agentRss = rssKb(agent.pid());
                long agentCpuMs = cpuMs(agent.pid());
                System.out.printf("BENCH floor RSS %d KiB, agent RSS %d KiB, ratio %.2f, agent CPU %d ms in %d s "
                        + "(%.2f %% of one core), frames at broker %d%n", floorRss, agentRss,
                        agentRss / (double) floorRss, agentCpuMs, settle, 100.0 * agentCpuMs / (settle * 1000.0),
                        broker.received.size());
                System.out.println("BENCH JVM flags (both children, from the unit): " + String.join(" ", FLAGS));
                if (Boolean.getBoolean("pettysync.bench.nmt")) {
                    breakdown("floor", floor.pid());
                    breakdown("agent", agent.pid());
                }
            } finally {
                floor.destroy();
                agent.destroy();
                floor.waitFor();
                agent.waitFor();
            }
        }
    }

    /** With -Dpettysync.bench.nmt=true: where the RSS goes (smaps_rollup, NMT summary, biggest mappings). */
    static void breakdown(String name, long pid) throws Exception {
        System.out.println("BENCH " + name + " smaps_rollup:\n"
                + Files.readString(Path.of("/proc/" + pid + "/smaps_rollup")));
        Process j = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), "VM.native_memory", "summary").redirectErrorStream(true).start();
        String nmt = new String(j.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        j.waitFor();
        System.out.println("BENCH " + name + " NMT:\n" + nmt.lines()
                .filter(l -> l.contains("committed") && (l.startsWith("-") || l.startsWith("Total")))
                .reduce("", (a, b) -> a + b + "\n"));
        System.out.println("BENCH " + name + " heap: " + jcmd(pid, "GC.heap_info").lines()
                .filter(l -> l.contains("used") || l.contains("space")).reduce("", (a, b) -> a + "\n  " + b));
        jcmd(pid, "GC.run"); // after the RSS was read: the live set, for sizing -Xmx
        System.out.println("BENCH " + name + " after full GC: " + jcmd(pid, "GC.heap_info").lines()
                .filter(l -> l.contains("total")).reduce("", (a, b) -> a + "\n  " + b));
        java.util.Map<String, Long> classes = new java.util.TreeMap<>();
        jcmd(pid, "VM.class_hierarchy").lines().map(l -> l.replaceAll("^[|\\s-]+", "").split("/")[0].split("\\."))
                .filter(p -> p.length > 2).forEach(p -> classes.merge(String.join(".",
                        java.util.Arrays.copyOf(p, Math.min(3, p.length - 1))), 1L, Long::sum));
        System.out.printf("BENCH %s classes %5d in all%n", name, classes.values().stream().mapToLong(Long::longValue).sum());
        classes.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(45)
                .forEach(e -> System.out.printf("BENCH %s classes %5d %s%n", name, e.getValue(), e.getKey()));
        // biggest file-backed mappings by RSS
        List<String[]> maps = new ArrayList<>();
        String current = null;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps"))) {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                String[] f = line.trim().split("\\s+");
                current = f.length >= 6 ? f[5] : "[anon]";
            } else if (line.startsWith("Rss:")) {
                maps.add(new String[] {current, line.replaceAll("[^0-9]", "")});
            }
        }
        java.util.Map<String, Long> byFile = new java.util.TreeMap<>();
        for (String[] m : maps) {
            byFile.merge(m[0], Long.parseLong(m[1]), Long::sum);
        }
        byFile.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(12)
                .forEach(e -> System.out.printf("BENCH %s map %8d KiB %s%n", name, e.getValue(), e.getKey()));
    }

    /**
     * The test JVM's class path without the test-only jars (broker, logback, JUnit, Mockito, jqwik): the children
     * get what the .deb ships, so no logging backend of the broker's is bound in them by accident.
     */
    public static String runtimeClasspath() {
        String sep = java.io.File.pathSeparator;
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(sep))
                .filter(e -> !e.matches(".*/(ch/qos/logback|com/hivemq|org/junit|org/opentest4j|org/apiguardian"
                        + "|org/bouncycastle|org/mockito|net/bytebuddy|org/objenesis|net/jqwik)/.*"))
                .collect(java.util.stream.Collectors.joining(sep));
    }

    static String jcmd(long pid, String command) throws Exception {
        Process j = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(j.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        j.waitFor();
        return out;
    }

    static long rssKb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** utime + stime from /proc/pid/stat, in ms (clock ticks of 10 ms). */
    static long cpuMs(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }

    static Process child(Class<?> main, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(FLAGS);
        if (Boolean.getBoolean("pettysync.bench.nmt")) {
            cmd.add("-XX:NativeMemoryTracking=summary");
        }
        String extra = System.getProperty("pettysync.bench.jvmFlags", "");
        if (!extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        cmd.add("-Dtinylog.writer.level=warn");
        cmd.add("-cp");
        cmd.add(runtimeClasspath());
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.equals("ready")) {
            if (line.startsWith("first-puback-ms")) {
                System.out.println("BENCH agent start to first PUBACK: " + line.substring(16) + " ms");
            }
        }
        Thread.ofVirtual().start(() -> {
            try {
                while (out.readLine() != null) {
                    // drain
                }
            } catch (java.io.IOException ignored) {
                // process ended
            }
        });
        return p;
    }
}
