package com.pettysync.ml;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class AccelTraceTest {
    @Test
    void resamplesFiftyTwoHertzToTheHeartRateGridExactlyForARamp() {
        int n = 52 * 4;
        double[] x = new double[n], y = new double[n], z = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;            // 1 per 1/52 s
            y[i] = -2 * i;
            z[i] = 1000;
        }
        AccelTrace r = new AccelTrace(52, x, y, z).resample(100, 400);
        assertEquals(400, r.length());
        assertEquals(100, r.sampleRateHz());
        for (int i = 0; i < 390; i++) {
            assertEquals(i * 0.52, r.x()[i], 1e-9);
            assertEquals(-2 * i * 0.52, r.y()[i], 1e-9);
            assertEquals(1000, r.z()[i], 1e-9);
        }
        assertEquals(n - 1, r.x()[399], 1e-9); // past the end: last value
    }

    @Test
    void rejectsUnequalAxes() {
        assertThrows(IllegalArgumentException.class,
                () -> new AccelTrace(52, new double[3], new double[2], new double[3]));
    }
}
