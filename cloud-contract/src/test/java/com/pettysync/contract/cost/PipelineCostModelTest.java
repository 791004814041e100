package com.pettysync.contract.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.contract.topic.TopicMode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineCostModelTest {
    private static BigDecimal line(List<PipelineCostModel.Line> lines, String item) {
        return lines.stream().filter(l -> l.item().equals(item)).findFirst().orElseThrow().usd()
                .setScale(2, RoundingMode.HALF_UP);
    }

    @Test
    void seedFleetLinesReDerivedByHand() {
        List<PipelineCostModel.Line> m = PipelineCostModel.monthly(PipelineCostModel.Profile.of(28_000,
                TopicMode.DIRECT), PriceTable.US_EAST_1, PipelinePrices.US_EAST_1);
        // invocations: 28,000 × (288 frames + 4 events + 6 voice parts) × 30 = 250,320,000 × $0.20 / M
        assertEquals(new BigDecimal("50.06"), line(m, "invocations"));
        // GB-s: 250,320,000 × 0.125 GB × 0.020 s = 625,800 × $0.0000166667
        assertEquals(new BigDecimal("10.43"), line(m, "duration"));
        // hot store: (288 + 4) × 28,000 × 30 items, written and deleted, 1 WRU each: 490,560,000 × $0.625 / M
        assertEquals(new BigDecimal("306.60"), line(m, "writes + archive deletes"));
        // archive PUTs: 28,000 × (3 day objects + 2 clips × 2) × 30 = 5,880,000 × $0.005 / 1000
        assertEquals(new BigDecimal("29.40"), line(m, "PUT"));
        assertEquals(new BigDecimal("176.40"), line(m, "Glacier transitions"), "one transition per object");
        assertEquals(PipelineCostModel.total(m), m.stream().map(PipelineCostModel.Line::usd)
                .reduce(BigDecimal.ZERO, BigDecimal::add));
    }

    @Test
    void basicIngestSavesOnlyTelemetryMessaging() {
        List<PipelineCostModel.Line> direct = PipelineCostModel.monthly(PipelineCostModel.Profile.of(28_000,
                TopicMode.DIRECT), PriceTable.US_EAST_1, PipelinePrices.US_EAST_1);
        List<PipelineCostModel.Line> basic = PipelineCostModel.monthly(PipelineCostModel.Profile.of(28_000,
                TopicMode.BASIC_INGEST), PriceTable.US_EAST_1, PipelinePrices.US_EAST_1);
        BigDecimal saved = PipelineCostModel.total(direct).subtract(PipelineCostModel.total(basic));
        // 28,000 × 8,640 telemetry publishes a month, one 5 KB unit each, at $1.00 / M
        assertEquals(new BigDecimal("241.92"), saved.setScale(2, RoundingMode.HALF_UP));
    }

    @Test
    void tableHasEveryTierAndThePriceDates() {
        String t = PipelineCostModel.table(new long[] {10, 1_000, 28_000, 1_000_000}, PriceTable.US_EAST_1,
                PipelinePrices.US_EAST_1);
        assertTrue(t.contains("us-east-1") && t.contains("2026-11-24") && t.contains("2026-12-06"), t);
        assertTrue(t.contains("1,000,000") && t.contains("per collar, Basic Ingest"), t);
    }
}
