package com.pettysync.simulator.scale;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How many broker and fleet processes a scale run starts, which collars and which broker each shard gets, the
 * loopback source addresses and ports, and what each process will need — sized from the machine's limits and a
 * {@link ResourceBudget}, and checked against them before anything starts.
 *
 * <h2>Sizing</h2>
 * <ul>
 * <li>A broker holds one socket per collar: at most {@code (share × open-file limit − base)} collars, fewer if its
 * memory maps would run out first.</li>
 * <li>A fleet process holds one socket plus {@code outboxFilesPerCollar} files per collar; same rule.</li>
 * <li>The shard count is rounded up to a multiple of the broker count, so every broker serves the same number of
 * contiguous shards.</li>
 * <li>Source addresses: with more than one, the fleet binds each connection to its address before connecting, so
 * the kernel reserves an ephemeral port on that address whatever the destination: at most {@code share ×} the
 * ephemeral range's size of collars per address (127.0.0.1 … 127.0.0.254).</li>
 * </ul>
 * Counts given explicitly in the {@link Request} are used as given; the check then says whether the machine holds
 * them.
 *
 * @param collars         fleet size
 * @param brokers         broker processes; broker {@code b} listens on {@code basePort + b}
 * @param shards          fleet processes
 * @param sourceAddresses loopback source addresses the fleet's connections are spread over
 * @param basePort        the first broker's port
 * @param budget          per-process and per-collar costs
 */
public record ScalePlan(int collars, int brokers, int shards, int sourceAddresses, int basePort,
        ResourceBudget budget) {

    /**
     * What was asked; 0 = size it from the limits.
     *
     * @param outboxFilesPerCollar files each collar's outbox keeps open in a fleet process (3 with a SQLite outbox
     *                             per collar, 0 with one database per process)
     */
    public record Request(int collars, int brokers, int shards, int collarsPerBroker, int collarsPerShard,
            int sourceAddresses, int basePort, int outboxFilesPerCollar) {
        public Request {
            if (collars < 1) {
                throw new IllegalArgumentException("--collars must be ≥ 1");
            }
            if (brokers < 0 || shards < 0 || collarsPerBroker < 0 || collarsPerShard < 0 || sourceAddresses < 0
                    || outboxFilesPerCollar < 0) {
                throw new IllegalArgumentException("--brokers, --shards, --collars-per-broker, --collars-per-shard, "
                        + "--source-addresses and --outbox-files-per-collar must be ≥ 0 (0 = sized automatically)");
            }
            if (basePort < 1024 || basePort > 65535) {
                throw new IllegalArgumentException("--base-port must be 1024…65535");
            }
        }
    }

    public ScalePlan {
        if (collars < 1 || brokers < 1 || shards < brokers || shards > collars || sourceAddresses < 1) {
            throw new IllegalArgumentException("a plan needs ≥ 1 collar, ≥ 1 broker, brokers ≤ shards ≤ collars, "
                    + "≥ 1 source address");
        }
    }

    /** Sizes a run of {@code r.collars()} for {@code limits}. */
    public static ScalePlan size(Request r, MachineLimits limits, ResourceBudget base) {
        ResourceBudget budget = base.withOutboxFilesPerCollar(r.outboxFilesPerCollar());
        double share = budget.usableShare();
        long files = (long) (Math.min(limits.openFiles(), Integer.MAX_VALUE) * share);
        long maps = (long) (limits.maxMapCount() * share);
        long perBroker = r.collarsPerBroker() > 0 ? r.collarsPerBroker() : Math.max(1, Math.min(
                files - budget.brokerFilesBase(), (long) ((maps - budget.mapsBase()) / budget.brokerMapsPerCollar())));
        long perShard = r.collarsPerShard() > 0 ? r.collarsPerShard() : Math.max(1, Math.min(
                (files - budget.fleetFilesBase()) / (1 + budget.outboxFilesPerCollar()),
                (long) ((maps - budget.mapsBase()) / budget.fleetMapsPerCollar())));
        int brokers = r.brokers() > 0 ? r.brokers() : (int) Math.min(r.collars(), ceil(r.collars(), perBroker));
        int shards;
        if (r.shards() > 0) {
            shards = Math.min(r.collars(), Math.max(r.shards(), brokers));
        } else {
            // a shard's collars all go to one broker: a multiple of the broker count keeps the brokers even
            long n = ceil(r.collars(), perShard);
            shards = (int) Math.min(r.collars(), ceil(n, brokers) * brokers);
        }
        int addresses = r.sourceAddresses() > 0 ? r.sourceAddresses()
                : (int) ceil(r.collars(), Math.max(1, (long) (limits.ephemeralPorts() * share)));
        return new ScalePlan(r.collars(), brokers, shards, addresses, r.basePort(), budget);
    }

    /** The broker shard {@code i} connects to (contiguous blocks of shards per broker). */
    public int brokerOf(int shard) {
        return (int) ((long) shard * brokers / shards);
    }

    public int brokerPort(int broker) {
        return basePort + broker;
    }

    /** First global collar index of shard {@code i}. */
    public long shardStart(int i) {
        return (long) i * collars / shards;
    }

    public int shardCollars(int i) {
        return (int) (shardStart(i + 1) - shardStart(i));
    }

    public int brokerCollars(int broker) {
        int n = 0;
        for (int i = 0; i < shards; i++) {
            if (brokerOf(i) == broker) {
                n += shardCollars(i);
            }
        }
        return n;
    }

    private int maxBrokerCollars() {
        int m = 0;
        for (int b = 0; b < brokers; b++) {
            m = Math.max(m, brokerCollars(b));
        }
        return m;
    }

    private int maxShardCollars() {
        return (int) ceil(collars, shards);
    }

    /** Resident memory the whole run is expected to need. */
    public long memoryKib() {
        long kib = budget.orchestratorRssKib();
        for (int b = 0; b < brokers; b++) {
            kib += budget.brokerRssKib(brokerCollars(b));
        }
        for (int i = 0; i < shards; i++) {
            kib += budget.fleetRssKib(shardCollars(i));
        }
        return kib;
    }

    /** What the machine lacks for this plan, one line each (what, needed, available, short by); empty: it fits. */
    public List<String> shortfalls(MachineLimits limits) {
        List<String> s = new ArrayList<>();
        double share = budget.usableShare();
        long files = (long) (Math.min(limits.openFiles(), Integer.MAX_VALUE) * share);
        long maps = (long) (limits.maxMapCount() * share);
        String ofFiles = String.format(Locale.ROOT, "%s%% of the open-file limit %,d (ulimit -n)", pct(share),
                limits.openFiles());
        String ofMaps = String.format(Locale.ROOT, "%s%% of vm.max_map_count %,d", pct(share), limits.maxMapCount());
        shortOf(s, "open files of a broker process", budget.brokerFiles(maxBrokerCollars()), files, ofFiles,
                String.format(Locale.ROOT, "%,d collars × 1 socket + %,d", maxBrokerCollars(),
                        budget.brokerFilesBase()), "raise ulimit -n or add --brokers");
        shortOf(s, "open files of a fleet process", budget.fleetFiles(maxShardCollars()), files, ofFiles,
                String.format(Locale.ROOT, "%,d collars × (1 socket + %d outbox files) + %,d", maxShardCollars(),
                        budget.outboxFilesPerCollar(), budget.fleetFilesBase()), "raise ulimit -n or add --shards");
        shortOf(s, "memory maps of a broker process", budget.brokerMaps(maxBrokerCollars()), maps, ofMaps,
                "estimate", "raise vm.max_map_count or add --brokers");
        shortOf(s, "memory maps of a fleet process", budget.fleetMaps(maxShardCollars()), maps, ofMaps, "estimate",
                "raise vm.max_map_count or add --shards");
        long perAddress = ceil(collars, sourceAddresses);
        shortOf(s, "ephemeral ports per source address", perAddress, (long) (limits.ephemeralPorts() * share),
                String.format(Locale.ROOT, "%s%% of ip_local_port_range %d–%d", pct(share), limits.ephemeralPortLow(),
                        limits.ephemeralPortHigh()), String.format(Locale.ROOT, "%,d collars over %d address(es)",
                        collars, sourceAddresses), "add --source-addresses");
        shortOf(s, "loopback source addresses", sourceAddresses, 254, "127.0.0.1–127.0.0.254", "one per "
                + "ephemeral range", "widen ip_local_port_range");
        int lastPort = brokerPort(brokers - 1);
        shortOf(s, "broker ports", lastPort, 65535, "port 65535", "--base-port + brokers − 1", "lower --base-port");
        if (basePort <= limits.ephemeralPortHigh() && lastPort >= limits.ephemeralPortLow()) {
            s.add(String.format(Locale.ROOT, "broker ports %d–%d overlap the ephemeral range %d–%d (an outgoing "
                    + "connection may hold one): choose --base-port outside it", basePort, lastPort,
                    limits.ephemeralPortLow(), limits.ephemeralPortHigh()));
        }
        shortOf(s, "memory (MiB)", memoryKib() / 1024, (long) (limits.memAvailableKib() * share) / 1024,
                String.format(Locale.ROOT, "%s%% of MemAvailable %,d MiB", pct(share), limits.memAvailableKib() / 1024),
                memoryFormula(), "fewer --collars, or a smaller fleet budget per collar");
        return s;
    }

    /** The plan, one line per role and per limit, for {@code --dry-run} and the run's header. */
    public String describe(MachineLimits limits) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "plan for %,d collars (limits: %,d open files and %,d memory maps per "
                + "process, ephemeral ports %d–%d, MemAvailable %,d MiB, %d cores; %s%% of each used)%n", collars,
                limits.openFiles(), limits.maxMapCount(), limits.ephemeralPortLow(), limits.ephemeralPortHigh(),
                limits.memAvailableKib() / 1024, limits.cores(), pct(budget.usableShare())));
        int mb = maxBrokerCollars();
        b.append(String.format(Locale.ROOT, "  brokers: %d process(es) on localhost:%d–%d, up to %,d collars each; "
                + "files ≈ %,d each (1 socket per collar + %d), memory maps ≈ %,d, RSS ≈ %,d MiB%n", brokers,
                basePort, brokerPort(brokers - 1), mb, budget.brokerFiles(mb), budget.brokerFilesBase(),
                budget.brokerMaps(mb), budget.brokerRssKib(mb) / 1024));
        int ms = maxShardCollars();
        b.append(String.format(Locale.ROOT, "  fleet:   %d process(es), %,d–%,d collars each, %d per broker; files ≈ "
                + "%,d each (1 socket + %d outbox files per collar + %d), memory maps ≈ %,d, RSS ≈ %,d MiB%n", shards,
                collars / shards, ms, shards / brokers, budget.fleetFiles(ms), budget.outboxFilesPerCollar(),
                budget.fleetFilesBase(), budget.fleetMaps(ms), budget.fleetRssKib(ms) / 1024));
        b.append(String.format(Locale.ROOT, "  source addresses: 127.0.0.1–127.0.0.%d, %,d connections each (of %,d "
                + "ephemeral ports)%n", sourceAddresses, ceil(collars, sourceAddresses), limits.ephemeralPorts()));
        b.append(String.format(Locale.ROOT, "  memory: %s = %,d MiB of %,d MiB available%n", memoryFormula(),
                memoryKib() / 1024, limits.memAvailableKib() / 1024));
        List<String> missing = shortfalls(limits);
        b.append(missing.isEmpty() ? "  check: the machine holds this plan" : "  check: SHORT —");
        for (String line : missing) {
            b.append(System.lineSeparator()).append("    ").append(line);
        }
        return b.toString();
    }

    private String memoryFormula() {
        return String.format(Locale.ROOT, "%d brokers × (%,d MiB + %.0f KiB per collar) + %d fleet × (%,d MiB + "
                + "%.0f KiB per collar) + %,d MiB orchestrator", brokers, budget.brokerBaseRssKib() / 1024,
                budget.brokerRssKibPerCollar(), shards, budget.fleetBaseRssKib() / 1024,
                budget.fleetRssKibPerCollar(), budget.orchestratorRssKib() / 1024);
    }

    private static void shortOf(List<String> into, String what, long needed, long available, String availableIs,
            String neededIs, String remedy) {
        if (needed > available) {
            into.add(String.format(Locale.ROOT, "%s: needs %,d (%s), has %,d (%s): short by %,d — %s", what, needed,
                    neededIs, available, availableIs, needed - available, remedy));
        }
    }

    private static String pct(double share) {
        return String.format(Locale.ROOT, "%.0f", share * 100);
    }

    private static long ceil(long a, long b) {
        return (a + b - 1) / b;
    }
}
