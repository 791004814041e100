package com.pettysync.ml.hr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WindowRateTest {
    private static final int SEGMENT = HeartRateEstimator.SEGMENT;
    private static final int SAMPLES = 6000;

    private static double[] none() {
        double[] v = new double[SAMPLES / SEGMENT];
        Arrays.fill(v, Double.NaN);
        return v;
    }

    private static boolean[] allMoving() {
        boolean[] b = new boolean[SAMPLES / SEGMENT];
        Arrays.fill(b, true);
        return b;
    }

    @Test
    void twoAdjacentSegmentsAtAHighRateCannotSpeakForTheWindow() {
        double[] accepted = none();
        accepted[0] = 226;
        accepted[1] = 228;
        WindowRate.Estimate e = WindowRate.estimate(null, accepted, none(), 227, allMoving(), SEGMENT, SAMPLES, 100);
        assertFalse(e.trusted(), "bound " + e.boundBpm());
        // the same two segments at a slow rate: the drift they leave open is small in bpm
        accepted[0] = 60;
        accepted[1] = 61;
        e = WindowRate.estimate(null, accepted, none(), 60, allMoving(), SEGMENT, SAMPLES, 100);
        assertTrue(e.trusted(), "bound " + e.boundBpm());
    }

    @Test
    void segmentsSpreadOverTheWindowBoundItTightlyAndTheGapsAreInterpolated() {
        double[] accepted = none();
        accepted[0] = 200;
        accepted[3] = 230;
        accepted[6] = 200;
        WindowRate.Estimate e = WindowRate.estimate(null, accepted, none(), 210, allMoving(), SEGMENT, SAMPLES, 100);
        assertTrue(e.trusted() && e.boundBpm() < 3, "bound " + e.boundBpm());
        assertEquals(210, e.rates()[1], 1e-9, "a third of the way from 200 (at 4 s) to 230 (at 28 s), at 12 s");
        assertEquals(220, e.rates()[2], 1e-9);
        assertEquals(200, e.rates()[0], 1e-9, "accepted rates stay");
    }

    @Test
    void stillSegmentsAnchorTheWindowButAreNotReturned() {
        double[] accepted = none();
        double[] still = none();
        accepted[0] = 120;
        still[6] = 120;
        boolean[] fillable = allMoving();
        fillable[6] = false;
        WindowRate.Estimate e = WindowRate.estimate(null, accepted, still, 120, fillable, SEGMENT, SAMPLES, 100);
        assertTrue(Double.isNaN(e.rates()[6]));
        assertEquals(120, e.rates()[3], 1e-9);
        assertEquals(0, e.visibleFrames());
    }
}
