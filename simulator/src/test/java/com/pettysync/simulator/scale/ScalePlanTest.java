package com.pettysync.simulator.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Sizing from the machine's limits, and the check that says what is short before anything starts. */
class ScalePlanTest {
    /** This machine's limits (2026-12-06) with 24 GiB available. */
    private static final MachineLimits HERE = new MachineLimits(20_000, 65_530, 32_768, 60_999, 24L << 20, 2);

    private static ScalePlan plan(int collars, MachineLimits limits) {
        return ScalePlan.size(new ScalePlan.Request(collars, 0, 0, 0, 0, 0, 18_900, 3), limits,
                ResourceBudget.MEASURED);
    }

    @Test
    void sizesBrokersShardsAndAddressesFromTheFileAndPortLimits() {
        ScalePlan p = plan(28_000, HERE);
        // 90 % of 20,000 files: a broker holds 17,750 sockets; a shard 4,437 collars (a socket + 3 outbox files each)
        assertEquals(2, p.brokers());
        assertEquals(8, p.shards(), "7 by the file limit, rounded up to a multiple of the brokers");
        assertEquals(2, p.sourceAddresses(), "28,000 over 90 % of 28,232 ephemeral ports");
        assertEquals(List.of(0, 0, 0, 0, 1, 1, 1, 1), IntStream.range(0, 8).map(p::brokerOf).boxed().toList());
        assertEquals(14_000, p.brokerCollars(0));
        assertEquals(3_500, p.shardCollars(7));
        assertEquals(18_901, p.brokerPort(1));
        assertEquals(List.of(), p.shortfalls(HERE), p.describe(HERE));
    }

    @Test
    void oneDatabasePerShardLetsAShardHoldFourTimesTheCollars() {
        ScalePlan p = ScalePlan.size(new ScalePlan.Request(100_000, 0, 0, 0, 0, 0, 18_900, 0), HERE,
                ResourceBudget.MEASURED);
        assertEquals(6, p.brokers());
        assertEquals(6, p.shards(), "17,750 collars per fleet process with 1 file each");
        assertEquals(4, p.sourceAddresses());
    }

    @Test
    void aHundredThousandWithTooLittleMemorySaysWhatIsShortAndByHowMuch() {
        MachineLimits small = new MachineLimits(20_000, 65_530, 32_768, 60_999, 8L << 20, 2); // 8 GiB available
        ScalePlan p = plan(100_000, small);
        List<String> shortfalls = p.shortfalls(small);
        assertEquals(1, shortfalls.size(), String.join("\n", shortfalls));
        String memory = shortfalls.getFirst();
        long neededMib = p.memoryKib() / 1024;
        long usableMib = (long) ((8L << 20) * 0.9) / 1024;
        assertTrue(memory.startsWith("memory (MiB): needs " + String.format(Locale.ROOT, "%,d", neededMib)), memory);
        assertTrue(memory.contains("short by " + String.format(Locale.ROOT, "%,d", neededMib - usableMib)), memory);
        assertTrue(p.describe(small).contains("check: SHORT"), p.describe(small));
    }

    @Test
    void forcedCountsBeyondTheFileLimitAreReportedNotStarted() {
        MachineLimits fewFiles = new MachineLimits(4_096, 65_530, 32_768, 60_999, 64L << 20, 2);
        ScalePlan p = ScalePlan.size(new ScalePlan.Request(100_000, 2, 10, 0, 0, 0, 18_900, 3), fewFiles,
                ResourceBudget.MEASURED);
        List<String> shortfalls = p.shortfalls(fewFiles);
        String all = String.join("\n", shortfalls);
        // 10,000 collars × (1 + 3) + 250 = 40,250 files, 50,000 + 250 on a broker, against 90 % of 4,096 = 3,686
        assertTrue(shortfalls.stream().anyMatch(s -> s.startsWith("open files of a fleet process: needs 40,250")
                && s.contains("short by 36,564")), all);
        assertTrue(shortfalls.stream().anyMatch(s -> s.startsWith("open files of a broker process: needs 50,250")
                && s.contains("short by 46,564")), all);
        assertEquals(2, shortfalls.size(), all);
    }

    @Test
    void brokerPortsInTheEphemeralRangeAreShort() {
        ScalePlan p = ScalePlan.size(new ScalePlan.Request(1_000, 0, 0, 0, 0, 0, 40_000, 3), HERE,
                ResourceBudget.MEASURED);
        assertTrue(p.shortfalls(HERE).stream().anyMatch(s -> s.startsWith("broker ports 40000–40000 overlap")),
                p.describe(HERE));
    }
}
