package com.pettysync.simulator.scale;

/**
 * What one broker process and one fleet process cost, per process and per collar: the figures {@link ScalePlan}
 * sizes a run with and checks against {@link MachineLimits}. Every such constant lives here, measured as noted.
 *
 * @param brokerFilesBase        files a broker holds besides its collars' sockets (jars, SQLite stores, epoll, logs;
 *                               measured 109, rounded up)
 * @param fleetFilesBase         the same for a fleet process (measured 106)
 * @param outboxFilesPerCollar   files each collar's outbox keeps open in a fleet process: 3 with a SQLite outbox per
 *                               collar (database, WAL, shared memory), 0 when the outboxes share one database per
 *                               process; a fleet process holds 1 socket + this per collar
 * @param mapsBase               memory maps of a JVM before its collars (libraries, heap, code cache, thread stacks
 *                               with guard pages, malloc arenas: a few hundred measured; 1,000 allowed)
 * @param brokerMapsPerCollar    maps per connection on the broker (Netty shares its threads and pooled buffers:
 *                               0.06 per connection measured by {@code bench.ConnectionCeiling}, rounded up)
 * @param fleetMapsPerCollar     maps per collar in a fleet process: the client's 0.06 + 1 for a SQLite outbox's
 *                               WAL index (the {@code -shm} file is mmapped per connection)
 * @param brokerBaseRssKib       resident memory of an idle broker (191 MB measured)
 * @param brokerRssKibPerCollar  a broker's resident memory per connected collar above idle (18.9 KiB measured)
 * @param fleetBaseRssKib        resident memory of a fleet process before its collars (a JVM with the agent's classes)
 * @param fleetRssKibPerCollar   a fleet process's resident memory per added collar (41 KiB measured with the shard's
 *                               one outbox database; 397 KiB with a SQLite outbox per collar)
 * @param orchestratorRssKib     the orchestrating JVM ({@code -Xmx1g}, mostly idle until the merge)
 * @param usableShare            share of a limit a plan may use (the rest: other processes, growth, estimates' error)
 */
public record ResourceBudget(int brokerFilesBase, int fleetFilesBase, int outboxFilesPerCollar, int mapsBase,
        double brokerMapsPerCollar, double fleetMapsPerCollar, long brokerBaseRssKib, double brokerRssKibPerCollar,
        long fleetBaseRssKib, double fleetRssKibPerCollar, long orchestratorRssKib, double usableShare) {

    /**
     * Today's fleet: the collars of a fleet process share one SQLite outbox database ({@code fleet.ShardOutboxStore},
     * no file per collar) and run with {@link ProcessSizing}'s JVM options. Measured at 3,000 collars per process
     * (2026-12-06, simulator README "Memory per collar"): a shard 41 KiB per added collar over ≈ 175 MiB, a broker
     * 18.9 KiB over its 191 MiB idle; rounded up here.
     */
    public static final ResourceBudget MEASURED = new ResourceBudget(250, 250, 0, 1_000, 0.1, 0.1, 200 * 1024, 20,
            180 * 1024, 45, 512 * 1024, 0.9);

    /** The MQTT client's maps per connection in a fleet process (0.06 measured, rounded up). */
    private static final double CLIENT_MAPS_PER_COLLAR = 0.1;

    public ResourceBudget {
        if (outboxFilesPerCollar < 0 || !(usableShare > 0 && usableShare <= 1)) {
            throw new IllegalArgumentException("outbox files per collar ≥ 0, usable share in (0, 1]");
        }
    }

    /** The same budget with {@code files} outbox files per collar (and a WAL-index map only when there are any). */
    public ResourceBudget withOutboxFilesPerCollar(int files) {
        double maps = files > 0 ? CLIENT_MAPS_PER_COLLAR + 1 : CLIENT_MAPS_PER_COLLAR; // + the WAL index's map
        return new ResourceBudget(brokerFilesBase, fleetFilesBase, files, mapsBase, brokerMapsPerCollar, maps,
                brokerBaseRssKib, brokerRssKibPerCollar, fleetBaseRssKib, fleetRssKibPerCollar, orchestratorRssKib,
                usableShare);
    }

    /** Files a broker with {@code collars} connections holds. */
    public long brokerFiles(long collars) {
        return brokerFilesBase + collars;
    }

    /** Files a fleet process with {@code collars} collars holds. */
    public long fleetFiles(long collars) {
        return fleetFilesBase + collars * (1L + outboxFilesPerCollar);
    }

    public long brokerMaps(long collars) {
        return mapsBase + (long) Math.ceil(collars * brokerMapsPerCollar);
    }

    public long fleetMaps(long collars) {
        return mapsBase + (long) Math.ceil(collars * fleetMapsPerCollar);
    }

    public long brokerRssKib(long collars) {
        return brokerBaseRssKib + (long) Math.ceil(collars * brokerRssKibPerCollar);
    }

    public long fleetRssKib(long collars) {
        return fleetBaseRssKib + (long) Math.ceil(collars * fleetRssKibPerCollar);
    }
}
