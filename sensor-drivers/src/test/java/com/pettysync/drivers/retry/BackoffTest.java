package com.pettysync.drivers.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublingWaitsTheCeilingFromMinToMax() {
        Backoff b = Backoff.doubling(Duration.ofMillis(500), Duration.ofSeconds(4));
        assertEquals(java.util.List.of(500L, 500L, 1000L, 2000L, 4000L, 4000L, 4000L),
                java.util.stream.IntStream.of(0, 1, 2, 3, 4, 5, 1000).mapToObj(n -> b.delay(n).toMillis()).toList());
    }

    @Test
    void fullJitterStaysWithinTheCeilingAndSpreads() {
        Backoff b = Backoff.fullJitter(Duration.ofSeconds(1), Duration.ofSeconds(120), new SplittableRandom(7));
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 1000; i++) {
            long d = b.delay(4).toMillis();
            assertTrue(d >= 0 && d <= 8000, String.valueOf(d));
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertTrue(min < 800 && max > 7200, "uniform over [0, 8 s]: " + min + " .. " + max);
        assertEquals(Duration.ofSeconds(120), b.ceiling(62));
        assertEquals(Duration.ofSeconds(120), b.ceiling(Integer.MAX_VALUE));
    }

    @Test
    void refusesMaxBelowMin() {
        assertThrows(IllegalArgumentException.class, () -> Backoff.doubling(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }
}
