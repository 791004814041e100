package com.pettysync.simulator.scale;

import com.pettysync.simulator.cloud.ListenPorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What this machine allows the processes a scale run starts (they inherit this process's limits).
 *
 * @param openFiles         RLIMIT_NOFILE of this process, soft limit (files and sockets per process)
 * @param maxMapCount       {@code vm.max_map_count}: memory maps per process (each thread stack, mapped file, malloc
 *                          arena, SQLite WAL index is one or more)
 * @param ephemeralPortLow  {@code net.ipv4.ip_local_port_range}, first port
 * @param ephemeralPortHigh the same, last port
 * @param memAvailableKib   {@code MemAvailable} of {@code /proc/meminfo}: what can be used without swapping
 * @param cores             processors available to this JVM
 */
public record MachineLimits(long openFiles, long maxMapCount, int ephemeralPortLow, int ephemeralPortHigh,
        long memAvailableKib, int cores) {

    /** Ephemeral ports a source address has ({@code high − low + 1}). */
    public int ephemeralPorts() {
        return ephemeralPortHigh - ephemeralPortLow + 1;
    }

    /** This machine's limits, from {@code /proc}. */
    public static MachineLimits read() throws IOException {
        long files = -1;
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                files = soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        if (files < 0) {
            throw new IOException("no 'Max open files' in /proc/self/limits");
        }
        long maps = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/vm/max_map_count")).get(0).trim());
        ListenPorts.EphemeralRange range = ListenPorts.EphemeralRange.read();
        long available = -1;
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemAvailable:")) {
                available = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        if (available < 0) {
            throw new IOException("no MemAvailable in /proc/meminfo");
        }
        return new MachineLimits(files, maps, range.low(), range.high(), available,
                Runtime.getRuntime().availableProcessors());
    }
}
