package com.pettysync.simulator.scale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Reads what a process costs from Linux's {@code /proc}: CPU time, resident memory, threads and open files of one
 * process, and the whole machine's busy and total CPU time. A process that is gone reads as null.
 */
public final class ProcessSampler {
    /** Clock ticks per second of {@code /proc}'s CPU times (USER_HZ on Linux). */
    public static final long TICKS_PER_SECOND = 100;

    /** One sample of a process: CPU ticks (user + system), resident KiB, threads, open files. */
    public record Sample(long cpuTicks, long rssKb, int threads, int files) {
    }

    /** Busy and total ticks of the whole machine (all processes, not only ours). */
    public record MachineTicks(long busy, long total) {
        /** Share of the time the machine was busy since {@code earlier}. */
        public double busySince(MachineTicks earlier) {
            return (busy - earlier.busy) / (double) Math.max(1, total - earlier.total);
        }
    }

    private ProcessSampler() {
    }

    /** CPU ticks, resident memory, threads and open files of {@code pid}, or null once it is gone. */
    public static Sample sample(long pid) {
        try {
            Path proc = Path.of("/proc", String.valueOf(pid));
            String stat = String.join("\n", Files.readAllLines(proc.resolve("stat")));
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

    /** The machine's CPU time so far ({@code /proc/stat}); zeros when unreadable. */
    public static MachineTicks machine() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
            return new MachineTicks(total - idle, total);
        } catch (IOException | RuntimeException e) {
            return new MachineTicks(0, 0);
        }
    }

    /** The 1- and 5-minute load averages, "?" when unreadable. */
    public static String loadAverage() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/loadavg")).get(0).split(" ");
            return f[0] + " " + f[1];
        } catch (IOException e) {
            return "?";
        }
    }
}
