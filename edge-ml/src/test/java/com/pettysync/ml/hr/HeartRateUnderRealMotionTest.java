package com.pettysync.ml.hr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.ml.MotionPpgGenerator;
import com.pettysync.ml.MotionPpgGenerator.Scenario;
import org.junit.jupiter.api.Test;

/**
 * Heart rate under motion artefacts that are not linear in the accelerometer ({@link MotionPpgGenerator}: optical
 * saturation, coupling that jumps with fit and posture, 100–250 ms lag, IMU clipping while the artefact does not
 * clip, cadence on the pulse). The rule under test: a reported rate is right (3 bpm at rest, 8 bpm moving), and
 * where the signal cannot give one, nothing is reported. Coverage numbers are in the accuracy report.
 */
class HeartRateUnderRealMotionTest {
    @Test
    void everyReportedRateIsWithinToleranceAtRest() {
        RealMotionScenarios.Score s = RealMotionScenarios.REST.score(101, 10, 60);
        assertEquals(s.windows(), s.reported(), "rest must always give a rate: " + s);
        assertEquals(s.reported(), s.withinTolerance(), s.toString());
    }

    @Test
    void walkingWithNonLinearLaggedArtefactsGivesRightRatesOrNone() {
        RealMotionScenarios.Score s = RealMotionScenarios.WALK.score(102, 12, 60);
        assertEquals(s.reported(), s.withinTolerance(), s.toString());
        assertTrue(s.reported() >= 4, "walking must give a rate in some windows: " + s);
    }

    @Test
    void runningWithAClippedImuGivesRightRatesOrNone() {
        RealMotionScenarios.Score s = RealMotionScenarios.RUN_IMU_CLIPPED.score(103, 10, 60);
        assertEquals(s.reported(), s.withinTolerance(), s.toString());
        assertTrue(s.reported() >= 4, "running must give a rate in some windows: " + s);
    }

    @Test
    void cadenceOnThePulseReportsNoWrongRate() {
        RealMotionScenarios.Score s = RealMotionScenarios.TROT_ON_PULSE.score(104, 10, 60);
        assertEquals(s.reported(), s.withinTolerance(), s.toString());
    }

    /**
     * The goal over a held-out generated set (60 one-minute windows per scenario, seed 7000 + ordinal — not
     * the seeds the rules were developed on, 2000 + ordinal): every resting window gives a mean within 3 bpm; at
     * least 80 % of the moving windows, all scenarios together (the adversarial ones included), give a rate; and at
     * most 1 % of the reported moving means lie beyond 8 bpm. "None beyond 8 bpm" is not met: the 500-window tables
     * in the README show 0.5 % (the half-rate windows of CADENCE_HALF_PULSE and cadence-locked beat-path rates).
     */
    @Test
    void goalOverAHeldOutGeneratedSet() {
        RealMotionScenarios.Score rest = RealMotionScenarios.REST.score(7000, 60, 60);
        assertEquals(rest.windows(), rest.reported(), rest.toString());
        assertTrue(rest.worstError() <= 3.0, rest.toString());
        int moving = 0;
        int reported = 0;
        int beyond = 0;
        StringBuilder scores = new StringBuilder();
        for (RealMotionScenarios sc : RealMotionScenarios.values()) {
            if (sc == RealMotionScenarios.REST) {
                continue;
            }
            RealMotionScenarios.Score s = sc.score(7000 + sc.ordinal(), 60, 60);
            moving += s.windows();
            reported += s.reported();
            beyond += s.reported() - s.withinTolerance();
            scores.append('\n').append(sc).append(": ").append(s);
        }
        assertTrue(reported >= 0.8 * moving, "moving windows with a rate: " + reported + "/" + moving + scores);
        assertTrue(beyond <= 0.01 * reported, beyond + " of " + reported + " beyond 8 bpm" + scores);
    }

    @Test
    void slowAndFastPulsesAreTrackedWhileWalking() {
        for (double bpm : new double[] {42, 200}) {
            Scenario walk = new Scenario(bpm, bpm < 100 ? 1.9 : 2.6, 2.5, 150, 4000, 500, 1500);
            MotionPpgGenerator.Ppg ppg = MotionPpgGenerator.generate(7, walk, 60);
            HeartRateSummary s = new HeartRateEstimator().window(ppg.ir(), ppg.accel()).orElseThrow();
            assertEquals(ppg.trueBpm(), s.meanBpm(), 8, "at " + bpm + " bpm");
        }
    }
}
