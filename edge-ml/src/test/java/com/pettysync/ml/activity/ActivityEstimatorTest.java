package com.pettysync.ml.activity;

import static com.pettysync.ml.ImuGenerator.State.*;
import static org.junit.jupiter.api.Assertions.*;

import com.pettysync.ml.ImuGenerator;
import com.pettysync.ml.ImuGenerator.Bout;
import java.util.OptionalInt;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ActivityEstimatorTest {
    private final ActivityEstimator estimator = new ActivityEstimator();

    @Test
    void splitsAWindowIntoRestWalkRunAndPlay() {
        var imu = ImuGenerator.generate(1, new Bout(REST, 120, 0), new Bout(WALK, 100, 2.0), new Bout(RUN, 40, 3.6),
                new Bout(PLAY, 40, 0));
        ActivitySummary s = estimator.window(imu.accel());
        assertEquals(120, s.restS(), 4);
        assertEquals(100, s.walkS(), 4);
        assertEquals(40, s.runS(), 4);
        assertEquals(40, s.playS(), 4);
        assertTrue(s.restS() + s.walkS() + s.runS() + s.playS() <= 300);
        assertEquals(imu.trueSteps(), s.steps(), 0.03 * imu.trueSteps() + 8);
        assertTrue(s.peakMg() > 1900 && s.peakMg() < 3500, "peak " + s.peakMg());
        assertFalse(s.stepsFromPedometer());
    }

    @Test
    void restingDogTakesNoStepsAndPeakIsGravity() {
        ActivitySummary s = estimator.window(ImuGenerator.generate(2, new Bout(REST, 300, 0)).accel());
        assertEquals(0, s.steps());
        assertEquals(300, s.restS());
        assertEquals(1000, s.peakMg(), 60);
    }

    @Test
    void agreeingPedometerIsReportedDisagreeingOneIsNot() {
        var imu = ImuGenerator.generate(3, new Bout(WALK, 60, 2.2));
        int own = estimator.window(imu.accel()).steps();
        ActivitySummary agree = estimator.window(imu.accel(), OptionalInt.of(own + 5));
        assertEquals(own + 5, agree.steps());
        assertTrue(agree.stepsFromPedometer());
        ActivitySummary disagree = estimator.window(imu.accel(), OptionalInt.of(own * 3));
        assertEquals(own, disagree.steps());
        assertFalse(disagree.stepsFromPedometer());
    }

    @Test
    void peakIsClampedToTheWireRange() {
        var imu = ImuGenerator.generate(4, new Bout(REST, 10, 0));
        imu.accel().z()[100] = 40_000;
        assertEquals(16_000, estimator.window(imu.accel()).peakMg());
    }

    @Property(tries = 30)
    void walkingStepsMatchCadence(@ForAll @DoubleRange(min = 1.2, max = 3.0) double hz,
            @ForAll @IntRange(min = 20, max = 120) int seconds) {
        var imu = ImuGenerator.generate(hz > 2 ? 5 : 6, new Bout(WALK, seconds, hz));
        ActivitySummary s = estimator.window(imu.accel());
        double countedSeconds = (seconds / 2) * 2;
        assertEquals(hz * countedSeconds, s.steps(), 0.04 * hz * countedSeconds + 2);
        assertTrue(s.restS() + s.walkS() + s.runS() + s.playS() <= seconds);
    }
}
