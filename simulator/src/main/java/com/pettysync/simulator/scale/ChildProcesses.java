package com.pettysync.simulator.scale;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code pettysync} processes a scale run starts: each a JVM on the run's class path and logging configuration,
 * its output in {@code out/NAME.log} (first line: its command). Every one of them is ended by this class — on
 * {@link #stop}, {@link #killAll}, or the shutdown hook the run installs around it.
 */
final class ChildProcesses {
    /** One process started by the run; {@code role} is {@code broker} or {@code fleet}. */
    record Child(String name, String role, int collars, Process process, Path log) {
        boolean fleet() {
            return role.equals("fleet");
        }

        String exit() {
            return process.isAlive() ? "running" : String.valueOf(process.exitValue());
        }

        /** The last line of this child's log containing {@code marker} (reads only the file's last 16 KiB). */
        String lastLineWith(String marker) {
            try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
                long len = f.length();
                int n = (int) Math.min(len, 16 * 1024);
                byte[] b = new byte[n];
                f.seek(len - n);
                f.readFully(b);
                String[] lines = new String(b, StandardCharsets.UTF_8).split("\n");
                for (int i = lines.length - 1; i >= 0; i--) {
                    if (lines[i].contains(marker)) {
                        return lines[i];
                    }
                }
            } catch (IOException e) {
                // no log yet
            }
            return null;
        }
    }

    private final Path out;
    private final String classPath;
    private final PrintStream progress;
    private final List<Child> children = new ArrayList<>();

    ChildProcesses(Path out, String classPath, PrintStream progress) {
        this.out = out;
        this.classPath = classPath;
        this.progress = progress;
    }

    /** Starts {@code pettysync ARGS} with JVM options {@code jvm}. */
    synchronized Child start(String name, String role, int collars, List<String> jvm, List<String> args)
            throws IOException {
        List<String> cmd = new ArrayList<>(JarSnapshot.javaLauncher());
        cmd.addAll(jvm);
        cmd.add("-Dtinylog.configuration=" + out.resolve("tinylog.properties"));
        cmd.addAll(List.of("-cp", classPath, "com.pettysync.cli.Pettysync"));
        cmd.addAll(args);
        Path log = out.resolve(name + ".log");
        Files.writeString(log, String.join(" ", cmd.subList(cmd.indexOf("com.pettysync.cli.Pettysync"), cmd.size()))
                + "\n");
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(ProcessSizing.ENVIRONMENT);
        Process p = builder.start();
        progress.printf(Locale.ROOT, "started %s (pid %d, %d collars)%n", name, p.pid(), collars);
        Child c = new Child(name, role, collars, p, log);
        children.add(c);
        return c;
    }

    /** Waits until {@code c}'s log contains {@code text}; fails when it exits first or {@code timeout} passes. */
    static void awaitLine(Child c, String text, Duration timeout) throws IOException {
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

    synchronized List<Child> all() {
        return List.copyOf(children);
    }

    List<Child> ofRole(String role) {
        return all().stream().filter(c -> c.role().equals(role)).toList();
    }

    /** A {@code /proc} sample of every child still running, by name. */
    Map<String, ProcessSampler.Sample> sample() {
        Map<String, ProcessSampler.Sample> m = new LinkedHashMap<>();
        for (Child c : all()) {
            ProcessSampler.Sample s = ProcessSampler.sample(c.process().pid());
            if (s != null) {
                m.put(c.name(), s);
            }
        }
        return m;
    }

    /** SIGTERM to every child of {@code role} (a cloud closes its broker and store), then waits up to 60 s each. */
    void stop(String role) {
        List<Child> chosen = ofRole(role);
        chosen.stream().filter(c -> c.process().isAlive()).forEach(c -> c.process().destroy());
        for (Child c : chosen) {
            try {
                if (!c.process().waitFor(60, TimeUnit.SECONDS)) {
                    c.process().destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                c.process().destroyForcibly();
            }
        }
    }

    /** Destroys every child still alive (shutdown hook and end of run): SIGTERM, then SIGKILL after 20 s. */
    void killAll() {
        List<Child> alive = all().stream().filter(c -> c.process().isAlive()).toList();
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
}
