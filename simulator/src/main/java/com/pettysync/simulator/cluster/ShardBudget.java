package com.pettysync.simulator.cluster;

/**
 * The memory a fleet shard is given on a cluster: the JVM's base plus a fixed budget per virtual collar (and, when the
 * shard brings its own cloud, the broker's base plus its budget per connection). The one home of these numbers for
 * the cluster manifests; the pod's request and limit are both {@link #memoryMib()} (a shard that
 * outgrows its budget is OOM-killed and its index fails, rather than slowing its neighbours on the node).
 *
 * @param collars       collars in the shard
 * @param perCollarKib  fleet RSS budget per collar, KiB
 */
public record ShardBudget(int collars, int perCollarKib) {
    /** The fleet's memory target per collar (issue 14: ≤ 60 KiB RSS per virtual collar). */
    public static final int FLEET_RSS_PER_COLLAR_KIB = com.pettysync.simulator.scale.ProcessSizing.FLEET_RSS_KIB_PER_COLLAR;
    /**
     * The shard JVM without collars: runtime, classes of the agent, the MQTT client's Netty loop, SQLite, thread
     * stacks. A budget with headroom over the 226 MiB peak RSS of a 20-collar shard from the image (2026-12-06).
     */
    public static final int JVM_BASE_MIB = 384;

    /** The broker's memory target per collar (issue 14: ≤ 30 KiB RSS per connection). */
    public static final int BROKER_RSS_PER_COLLAR_KIB =
            com.pettysync.simulator.scale.ProcessSizing.BROKER_RSS_KIB_PER_COLLAR;
    /**
     * A {@code pettysync cloud} process without connections (HiveMQ CE, the sink, the registry), with headroom over
     * the 253 MiB peak RSS of the in-pod cloud of a 20-collar shard from the image (2026-12-06).
     */
    public static final int BROKER_BASE_MIB = 512;

    public ShardBudget {
        if (collars < 1 || perCollarKib < 1) {
            throw new IllegalArgumentException("a shard needs ≥ 1 collar and ≥ 1 KiB per collar");
        }
    }

    /** Base + collars × per-collar budget, rounded up to whole MiB. */
    public long memoryMib() {
        return JVM_BASE_MIB + ((long) collars * perCollarKib + 1023) / 1024;
    }

    /** As a Kubernetes quantity, e.g. {@code "590Mi"}. */
    public String memoryQuantity() {
        return memoryMib() + "Mi";
    }

    /** A shard's own {@code pettysync cloud} (the in-pod target) for these collars, as a Kubernetes quantity. */
    public String brokerMemoryQuantity() {
        return (BROKER_BASE_MIB + ((long) collars * BROKER_RSS_PER_COLLAR_KIB + 1023) / 1024) + "Mi";
    }
}
