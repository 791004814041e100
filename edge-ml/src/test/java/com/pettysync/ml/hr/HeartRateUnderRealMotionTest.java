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
     * The goal over a generated set (16 one-minute windows per scenario, seed 105): every reported mean within
     * 3 bpm at rest and 8 bpm moving, a rate for at least 80 % of the moving windows of the everyday scenarios; the
     * adversarial ones (cadence on half the pulse or on the pulse over 40–240 bpm) must give right rates or none.
     * The 500-window run per scenario is in the README (it is not met everywhere there).
     */
    @Test
    void goalOverTheGeneratedSet() {
        RealMotionScenarios.Score rest = RealMotionScenarios.REST.score(105, 16, 60);
        assertEquals(16, rest.reported(), rest.toString());
        assertTrue(rest.worstError() <= 3.0, rest.toString());
        int moving = 0;
        int reported = 0;
        for (RealMotionScenarios sc : RealMotionScenarios.values()) {
            if (sc == RealMotionScenarios.REST) {
                continue;
            }
            RealMotionScenarios.Score s = sc.score(105 + sc.ordinal(), 16, 60);
            assertTrue(s.worstError() <= 8.0, sc + ": " + s);
            if (sc != RealMotionScenarios.CADENCE_HALF_PULSE && sc != RealMotionScenarios.CADENCE_ON_PULSE_FULL_RANGE) {
                moving += s.windows();
                reported += s.reported();
            }
        }
        assertTrue(reported >= 0.8 * moving, "moving windows with a rate: " + reported + "/" + moving);
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
