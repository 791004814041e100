package com.pettysync.contract.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.contract.topic.TopicMode;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class CostModelTest {

    private static void assertUsd(String expected, BigDecimal actual) {
        assertEquals(0, new BigDecimal(expected).compareTo(actual), "expected " + expected + " got " + actual);
    }

    /**
     * The seed fleet by hand: 28,000 collars × 30 days × 1,440 min = 1,209,600,000 min × $0.08/M = $96.768;
     * 28,000 × 2,592,000 s / 300 s = 241,920,000 frames, each 182 B + 42 B topic = one 5 KB message; plus
     * 28,000 × 30 sessions × 9 = 7,560,000 session messages → 249,480,000 × $1.00/M = $249.48; shadow 840,000
     * sessions × 2 = 1,680,000 ops × $1.25/M = $2.10; rules 241,920,000 × $0.15/M = $36.288 twice.
     * Total $420.924.
     */
    @Test
    void seedFleetDirectMatchesTheHandCalculation() {
        CostEstimate e = CostModel.forFleet(28_000, 300, TopicMode.DIRECT);
        Usage u = e.usage();
        assertEquals(1_209_600_000L, u.connectionMinutes());
        assertEquals(249_480_000L, u.messages());
        assertEquals(1_680_000L, u.shadowOperations());
        assertEquals(241_920_000L, u.rulesTriggered());
        assertEquals(241_920_000L, u.ruleActions());
        assertEquals(0, u.jobRemoteActions());
        assertUsd("96.768", e.item("connectivity").costUsd());
        assertUsd("249.48", e.item("messaging").costUsd());
        assertUsd("2.10", e.item("device shadow").costUsd());
        assertUsd("36.288", e.item("rules triggered").costUsd());
        assertUsd("36.288", e.item("rule actions").costUsd());
        assertUsd("0", e.item("jobs").costUsd());
        assertUsd("420.924", e.totalUsd());
        assertEquals(List.of("connectivity", "messaging", "device shadow", "rules triggered", "rule actions", "jobs"),
                e.items().stream().map(LineItem::name).toList());
    }

    /** Basic Ingest drops the telemetry messages (241,920,000) but not the rules: total $179.004. */
    @Test
    void seedFleetThroughBasicIngestPaysNoTelemetryMessaging() {
        CostEstimate e = CostModel.forFleet(28_000, 300, TopicMode.BASIC_INGEST);
        assertEquals(7_560_000L, e.usage().messages());
        assertUsd("7.56", e.item("messaging").costUsd());
        assertUsd("36.288", e.item("rules triggered").costUsd());
        assertUsd("179.004", e.totalUsd());
    }

    @Test
    void messagingTiersApplyToTheMonthsTotal() {
        Usage six = new Usage(0, 6_000_000_000L, 0, 0, 0, 0);
        // 1,000 M × $1.00 + 4,000 M × $0.80 + 1,000 M × $0.70
        assertUsd("4900", CostModel.monthly(six, PriceTable.US_EAST_1).item("messaging").costUsd());
        Usage oneBillionAndOne = new Usage(0, 1_000_000_001L, 0, 0, 0, 0);
        assertUsd("1000.0000008", CostModel.monthly(oneBillionAndOne, PriceTable.US_EAST_1).totalUsd());
    }

    @Test
    void metersMessagesIn5KbAndShadowIn1KbIncrements() {
        assertEquals(1, CostModel.messageUnits(0, 10));
        assertEquals(1, CostModel.messageUnits(5120 - 42, 42));
        assertEquals(2, CostModel.messageUnits(5121 - 42, 42));
        assertEquals(2, CostModel.messageUnits(8 * 1024, 40)); // AWS's own example: an 8 KB message is 2
        assertEquals(26, CostModel.messageUnits(128 * 1024, 40));
        assertEquals(1, CostModel.shadowUnits(1024));
        assertEquals(2, CostModel.shadowUnits(1536));
    }

    @Test
    void eventsVoiceJobsAndOfflineTimeAreCounted() {
        FleetProfile f = FleetProfile.of(1000, 300, TopicMode.DIRECT).withEventsPerDay(2).withVoiceParts(1, 20_000)
                .withJobsPerMonth(1).withConnectedFraction(0.5).withConnectsPerDay(2);
        Usage u = CostModel.usage(f);
        assertEquals(1000L * 30 * 1440 / 2, u.connectionMinutes());
        long frames = 1000L * 8640;
        long events = 1000L * 2 * 30;
        long voice = 1000L * 30 * 4; // 20,000 B + 38 B topic = 4 units of 5 KB each
        long sessions = 1000L * 2 * 30;
        assertEquals(frames + events + voice + sessions * 9 + 1000L * 12, u.messages());
        assertEquals(sessions * 2, u.shadowOperations());
        assertEquals(frames + events + 1000L * 30, u.rulesTriggered());
        assertEquals(1000, u.jobRemoteActions());
        assertUsd("3", CostModel.monthly(u, PriceTable.US_EAST_1).item("jobs").costUsd());
    }

    @Test
    void formatsOneLinePerItemAndATotal() {
        String text = CostModel.forFleet(28_000, 300, TopicMode.DIRECT).format();
        assertTrue(text.contains("connectivity") && text.contains("1,209,600,000") && text.contains("$96.77"), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("total") && l.endsWith("$420.92")), text);
        assertEquals(7, text.lines().count());
        assertEquals("$1,234.57", CostEstimate.usd(new BigDecimal("1234.565")));
    }

    @Test
    void countedUsageScalesToAMonth() {
        // one simulated hour of 1,000 collars at 300 s: 12,000 frames, 60,000 connection minutes
        Usage hour = new Usage(60_000, 12_000, 2_000, 12_000, 12_000, 0);
        Usage month = hour.scaledToMonth(java.time.Duration.ofHours(1));
        assertEquals(new Usage(43_200_000, 8_640_000, 1_440_000, 8_640_000, 8_640_000, 0), month);
        assertEquals(CostModel.usage(FleetProfile.of(1000, 300, TopicMode.DIRECT).withConnectsPerDay(0)).messages(),
                month.messages());
        assertThrows(IllegalArgumentException.class, () -> hour.scaledToMonth(java.time.Duration.ZERO));
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> FleetProfile.of(-1, 300, TopicMode.DIRECT));
        assertThrows(IllegalArgumentException.class, () -> FleetProfile.of(1, 0, TopicMode.DIRECT));
        assertThrows(IllegalArgumentException.class,
                () -> FleetProfile.of(1, 300, TopicMode.DIRECT).withConnectedFraction(1.5));
        assertThrows(IllegalArgumentException.class, () -> new Usage(-1, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new PriceTable("x", "d", BigDecimal.ONE,
                List.of(new PriceTable.Tier(10, BigDecimal.ONE)), BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE,
                BigDecimal.ONE));
        assertThrows(IllegalArgumentException.class, () -> CostModel.forFleet(1, 300, TopicMode.DIRECT).item("tax"));
    }
}
