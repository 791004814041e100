package com.pettysync.simulator.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The progress line a shard prints is the line the orchestrator reads back, field for field. */
class ProgressLineTest {
    @Test
    void aLineWithStoredFramesRoundTrips() {
        var line = new ProgressLine(3 * 3600 + 25 * 60 + 9, 998, 1000, 9406, 9410, 9400, 9399, 498, 497, 487.2, 669.7);
        String text = line.format();
        assertEquals("[sim 03:25:09] connected 998/1000 | made 9406 sent 9410 acked 9400 stored 9399 | 498 acked/s "
                + "497 stored/s | PUBACK p50 487.2 ms p99 669.7 ms", text);
        assertEquals(Optional.of(line), ProgressLine.parse(text));
    }

    @Test
    void aLineWithoutAFrameStoreSaysNotAvailableAndRoundTrips() {
        var line = new ProgressLine(59, 3, 40, 0, 0, 0, ProgressLine.UNKNOWN, 0, 0, 0.0, 0.0);
        String text = line.format();
        assertTrue(text.contains("stored n/a | 0 acked/s | PUBACK"), text);
        assertEquals(Optional.of(line), ProgressLine.parse(text));
    }

    @Test
    void findsTheLineBehindALogPrefixAndRejectsOtherLines() {
        var line = new ProgressLine(125, 2, 2, 1, 1, 1, 1, 0, 0, 12.5, 12.5);
        assertEquals(Optional.of(line), ProgressLine.parse("12:00:01.000 INFO [main] x: " + line.format()));
        assertEquals(Optional.empty(), ProgressLine.parse("simulated 01:00:00 reached; draining the outboxes"));
        assertEquals(Optional.empty(), ProgressLine.parse("[sim 00:00:01] connected x/2"));
    }
}
