package com.pettysync.simulator.scale;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How big the processes of a scale run are: the JVM options and environment of a broker ({@code pettysync cloud})
 * and of a fleet shard ({@code pettysync simulate --shard}), and what one collar may cost in each — one home for
 * these numbers (the measured figures behind them are in the simulator README, "Memory per collar").
 *
 * <h2>What a collar costs, and why these options</h2>
 * <ul>
 * <li><b>Heap.</b> A collar's live objects (fleet: the agent's window aggregator, uplink and outbox view, the
 * HiveMQ client and its Netty channel and TLS engine; broker: HiveMQ's connection, channel pipeline, TLS engine
 * and session) are most of what it costs. Serial GC (one GC thread, no G1 remembered sets), a small fixed young
 * generation ({@code -Xmn}: eden is touched whole between collections, so its size is resident memory) and tight
 * free ratios (the old generation is kept within {@value #MAX_FREE_PERCENT} % above what is live, and given back
 * after a full collection) keep the committed heap close to the live set. {@code -Xms} is small: the JVM's default
 * initial heap (1/64 of the machine's memory) would be resident from the start. {@code -Xmx} is a cap sized from
 * the collars the process holds ({@link #heapCapMib}), with headroom for a reconnect storm.</li>
 * <li><b>Netty's buffer pools.</b> Pooled buffers hold a TLS record only while it is read or written; idle
 * connections hold none, but the pools keep whole chunks per arena. Chunks of 1 MiB instead of 4 and 2 arenas
 * of each kind took ≈ 20 MB off a broker and ≈ 25 MB off a shard at 3,000 collars; {@code -XX:MaxDirectMemorySize}
 * caps the direct pools.</li>
 * <li><b>malloc arenas.</b> {@code MALLOC_ARENA_MAX=2}: glibc would otherwise give threads that allocate natively
 * (SQLite, zlib, the JIT) up to 8 arenas per core, each growing and keeping its own free memory.</li>
 * <li><b>Files.</b> One socket per collar in each process: a fleet shard's collars share one SQLite outbox database
 * ({@code fleet.ShardOutboxStore}), so no per-collar files (counted in {@link ResourceBudget}).</li>
 * </ul>
 */
public final class ProcessSizing {
    /** Resident memory a collar may cost in a fleet shard process, all of the process counted (issue 14). */
    public static final int FLEET_RSS_KIB_PER_COLLAR = 60;
    /** Resident memory a collar may cost in a broker process, all of the process counted (issue 14). */
    public static final int BROKER_RSS_KIB_PER_COLLAR = 30;

    /**
     * Heap cap per collar, KiB: 3–4 × the live heap a collar adds (measured: 29 KiB in a shard, 16 KiB in a broker,
     * class histograms at 1,000 and 3,000 collars; README "Memory per collar"), room for a reconnect storm's TLS
     * handshakes and a backlog in flight.
     */
    static final int FLEET_HEAP_KIB_PER_COLLAR = 96;
    static final int BROKER_HEAP_KIB_PER_COLLAR = 64;
    /**
     * Heap cap of a process with no collars yet, MiB: about twice its fixed live heap (measured 38 MiB in a shard,
     * 46 MiB in a broker: classes' static data, Netty's buffer pools, the HiveMQ and SQLite machinery).
     */
    static final int FLEET_BASE_HEAP_MIB = 96;
    static final int BROKER_BASE_HEAP_MIB = 128;
    /** Young generation, MiB. */
    static final int FLEET_YOUNG_MIB = 24;
    static final int BROKER_YOUNG_MIB = 32;
    static final int MIN_FREE_PERCENT = 10;
    static final int MAX_FREE_PERCENT = 20;
    static final int MAX_DIRECT_MIB = 128;
    /** Netty pool chunks of 8 KiB × 2^7 = 1 MiB (default 4 MiB): less pooled memory held for few buffers in use. */
    static final int NETTY_MAX_ORDER = 7;
    /** Netty heap and direct arenas (default 2 × cores): each holds its own chunks. */
    static final int NETTY_ARENAS = 2;

    /** The environment every child process gets. */
    public static final Map<String, String> ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

    private ProcessSizing() {
    }

    /** JVM options of a fleet shard holding {@code collars} collars. */
    public static List<String> fleetJvm(int collars) {
        return options(heapCapMib(FLEET_BASE_HEAP_MIB, FLEET_HEAP_KIB_PER_COLLAR, collars), FLEET_YOUNG_MIB);
    }

    /** JVM options of a broker serving {@code collars} collars. */
    public static List<String> brokerJvm(int collars) {
        return options(heapCapMib(BROKER_BASE_HEAP_MIB, BROKER_HEAP_KIB_PER_COLLAR, collars), BROKER_YOUNG_MIB);
    }

    /** {@code given} when the user chose JVM options ({@code --fleet-jvm}, {@code --broker-jvm}), else sized. */
    public static List<String> orSized(List<String> given, List<String> sized) {
        return given.isEmpty() ? sized : given;
    }

    /** The heap cap for {@code collars}: a base plus a budget per collar, in MiB. */
    static int heapCapMib(int baseMib, int kibPerCollar, int collars) {
        if (collars < 0) {
            throw new IllegalArgumentException("collars must be >= 0");
        }
        return baseMib + (int) ((long) collars * kibPerCollar / 1024);
    }

    private static List<String> options(int heapCapMib, int youngMib) {
        List<String> o = new ArrayList<>();
        o.add("-XX:+UseSerialGC");
        o.add("-Xss512k");
        o.add("-Xms" + (youngMib + 16) + "m");
        o.add("-Xmn" + youngMib + "m");
        o.add(String.format(Locale.ROOT, "-Xmx%dm", heapCapMib));
        o.add("-XX:MinHeapFreeRatio=" + MIN_FREE_PERCENT);
        o.add("-XX:MaxHeapFreeRatio=" + MAX_FREE_PERCENT);
        o.add("-XX:MaxDirectMemorySize=" + MAX_DIRECT_MIB + "m");
        o.add("-Dio.netty.allocator.maxOrder=" + NETTY_MAX_ORDER);
        o.add("-Dio.netty.allocator.numHeapArenas=" + NETTY_ARENAS);
        o.add("-Dio.netty.allocator.numDirectArenas=" + NETTY_ARENAS);
        return List.copyOf(o);
    }
}
