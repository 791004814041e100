package com.pettysync.agent.energy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time this process has used, from {@code /proc/self/stat} (proc(5): fields 14 {@code utime} and 15
 * {@code stime}, in clock ticks of {@code USER_HZ}, which is 100 on every Linux the collar runs: arm64 and armhf
 * Raspberry Pi OS, x86-64). The command name (field 2) may hold spaces and parentheses, so the fields are counted
 * from the last {@code ')'}. Where there is no {@code /proc} (not Linux), the JVM's own figure is used.
 */
public final class ProcessCpu {
    /** {@code USER_HZ}: clock ticks per second in {@code /proc/<pid>/stat}. */
    public static final int USER_HZ = 100;

    private final Path stat;

    public ProcessCpu() {
        this(Path.of("/proc/self/stat"));
    }

    ProcessCpu(Path stat) {
        this.stat = stat;
    }

    /** CPU time used so far (user + system), nanoseconds. */
    public long nanos() {
        try {
            return parse(Files.readString(stat, StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
        }
    }

    /** utime + stime of one {@code stat} line, in nanoseconds. */
    static long parse(String line) {
        int close = line.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc stat line");
        }
        String[] f = line.substring(close + 2).trim().split(" +");
        // f[0] is field 3 (state); utime is field 14 -> f[11], stime field 15 -> f[12]
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return ticks * (1_000_000_000L / USER_HZ);
    }
}
