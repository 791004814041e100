package com.pettysync.ml.mood;

import static org.junit.jupiter.api.Assertions.*;

import com.pettysync.ml.activity.ActivitySummary;
import com.pettysync.ml.hr.HeartRateSummary;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class MoodEstimatorTest {
    private final MoodEstimator mood = new MoodEstimator();
    private static final ActivitySummary RESTING = new ActivitySummary(0, 290, 0, 0, 0, 1050, false);
    private static final ActivitySummary PLAYING = new ActivitySummary(300, 60, 60, 20, 160, 3000, false);
    private static final OptionalDouble BASELINE = OptionalDouble.of(80);

    private static Optional<HeartRateSummary> hr(int bpm) {
        return Optional.of(new HeartRateSummary(bpm, bpm - 5, bpm + 5, 40, 80, 300));
    }

    @Test
    void quietRestingDogWithNormalHeartRateIsRelaxed() {
        MoodEstimate e = mood.estimate(VocalCounts.NONE, hr(78), BASELINE, Optional.of(RESTING));
        assertEquals(Mood.RELAXED, e.mood());
        assertTrue(e.confPct() >= 60, "conf " + e.confPct());
        assertFalse(e.reasons().isEmpty());
    }

    @Test
    void playWithBarksIsHappy() {
        assertEquals(Mood.HAPPY, mood.estimate(new VocalCounts(4, 0, 0, 0), hr(140), BASELINE, Optional.of(PLAYING)).mood());
    }

    @Test
    void growlsMakeAngry() {
        assertEquals(Mood.ANGRY, mood.estimate(new VocalCounts(2, 3, 0, 0), hr(120), BASELINE, Optional.of(RESTING)).mood());
    }

    @Test
    void whiningWithRaisedRestingHeartRateIsAnxious() {
        MoodEstimate e = mood.estimate(new VocalCounts(0, 0, 3, 0), hr(110), BASELINE, Optional.of(RESTING));
        assertEquals(Mood.ANXIOUS, e.mood());
        assertTrue(e.reasons().stream().anyMatch(r -> r.contains("above baseline")), e.reasons().toString());
    }

    @Test
    void howlingAloneIsSad() {
        assertEquals(Mood.SAD, mood.estimate(new VocalCounts(0, 0, 1, 3), hr(80), BASELINE, Optional.of(RESTING)).mood());
    }

    @Test
    void raisedHeartRateDuringExerciseDoesNotMakeAnxious() {
        MoodEstimate e = mood.estimate(VocalCounts.NONE, hr(160), BASELINE, Optional.of(PLAYING));
        assertEquals(Mood.HAPPY, e.mood());
    }

    @Test
    void sameHeartRateMovesMoreWithTheBaselineThanWithoutIt() {
        MoodEstimate with = mood.estimate(VocalCounts.NONE, hr(115), BASELINE, Optional.of(RESTING));
        MoodEstimate without = mood.estimate(VocalCounts.NONE, hr(115), OptionalDouble.empty(), Optional.of(RESTING));
        assertEquals(Mood.RELAXED, without.mood());
        assertNotEquals(Mood.RELAXED, with.mood());
    }

    @Test
    void noEvidenceGivesLowConfidence() {
        MoodEstimate e = mood.estimate(VocalCounts.NONE, Optional.empty(), OptionalDouble.empty(), Optional.empty());
        assertEquals(Mood.RELAXED, e.mood());
        assertTrue(e.confPct() <= 30, "conf " + e.confPct());
    }

    @Test
    void baselineLearnsOnlyFromRestingWindowsWithAGoodSignal() {
        HeartRateBaseline b = new HeartRateBaseline();
        assertFalse(b.offer(150, 90, 0.2));
        assertFalse(b.offer(70, 20, 1.0));
        assertTrue(b.value().isEmpty());
        b.offer(70, 90, 1.0);
        b.offer(74, 90, 0.9);
        b.offer(72, 90, 0.95);
        assertEquals(72, b.value().orElseThrow(), 0.01);
    }
}
