package com.pettysync.simulator.scale;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A long run must not load classes from jars that a build in the checkout rewrites meanwhile (a rebuilt jar under a
 * running JVM gives NoClassDefFoundError, and the orchestrator loads its report classes only at the end): so the
 * orchestrator copies this process's jars to {@code out/lib} and runs again from there, and so do its children.
 */
public final class JarSnapshot {
    /** Set (true) in an orchestrator that already runs from the snapshot of the jars. */
    static final String FROM_SNAPSHOT = "pettysync.scale.fromSnapshot";

    private JarSnapshot() {
    }

    /** Whether this process runs from {@code out/lib} (see {@link #relaunch}). */
    public static boolean active() {
        return Boolean.getBoolean(FROM_SNAPSHOT);
    }

    /**
     * Copies this process's jars to {@code out/lib} and runs {@code pettysync ARGS} again from there, in a child JVM
     * that shares this terminal; returns its exit status. Ctrl-C reaches both (same process group); SIGTERM to this
     * process is passed on by a shutdown hook.
     */
    public static int relaunch(Path out, List<String> args) throws IOException, InterruptedException {
        Files.createDirectories(out);
        String cp = copy(out.resolve("lib"));
        List<String> cmd = new ArrayList<>(javaLauncher());
        cmd.addAll(List.of("-XX:+UseSerialGC", "-Xmx1g", "-D" + FROM_SNAPSHOT + "=true"));
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

    /** The java command and the options every JVM of a scale run gets. */
    static List<String> javaLauncher() {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin",
                "java").toString()));
        if (Runtime.version().feature() >= 24) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.add("--enable-native-access=ALL-UNNAMED");
        return cmd;
    }

    /**
     * The class path for the children: this process's own when it runs from the snapshot already, else a fresh copy
     * in {@code lib}.
     */
    static String classPath(Path lib) throws IOException {
        return active() ? System.getProperty("java.class.path") : copy(lib);
    }

    /**
     * Copies this process's jars to {@code lib} and returns the class path over the copies. Directories (a test's
     * classes) are used where they are.
     */
    private static String copy(Path lib) throws IOException {
        if (Files.exists(lib)) {
            ScaleRun.deleteTree(lib);
        }
        Files.createDirectories(lib);
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e);
            if (e.endsWith(".jar") && Files.isRegularFile(p)) {
                Path copy = lib.resolve(String.format(Locale.ROOT, "%03d-%s", n++, p.getFileName()));
                Files.copy(p, copy);
                entries.add(copy.toString());
            } else if (!e.isEmpty()) {
                entries.add(e);
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
