package com.pettysync.agent.sensing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.voice.Episode;
import com.pettysync.agent.window.WindowInputs;
import com.pettysync.drivers.twin.DogBehaviourModel;
import com.pettysync.drivers.twin.Vocalization;
import com.pettysync.ml.vocal.VocalizationClassifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Vocal episodes leave the twin pipeline with their clip, in wall-clock time: the sink gets every episode the
 * window's counts include, inside the window, with a clip of at most 10 s that starts before the episode.
 */
class TwinEpisodesTest {
    static final int DUR = 60;

    /** The first 20 s slot from {@code from} in which the model's dog vocalises. */
    static long firstVocalSecond(DogBehaviourModel dog, long from) {
        for (long t = from; t < from + 7 * 86_400; t += 5) {
            if (dog.stateAt(Instant.ofEpochSecond(t)).vocalization() != Vocalization.NONE) {
                return t;
            }
        }
        throw new AssertionError("the model's dog never vocalises");
    }

    @Test
    void everyCountedEpisodeReachesTheSinkWithItsClipInsideTheWindow() {
        DogBehaviourModel dog = new DogBehaviourModel(TwinWindowSourceTest.THING.hashCode(),
                TwinWindowSourceTest.HOME_LAT, TwinWindowSourceTest.HOME_LON);
        long walk = TwinWindowSourceTest.walkStart();
        long vocal = firstVocalSecond(dog, walk);
        long t0 = vocal - Math.floorMod(vocal, DUR);
        List<Episode> got = new ArrayList<>();
        int counted = 0;
        try (VocalizationClassifier classifier = VocalizationClassifier.bundled()) {
            TwinWindowSource source = new TwinWindowSource(TwinWindowSourceTest.THING,
                    TwinWindowSourceTest.HOME_LAT, TwinWindowSourceTest.HOME_LON, classifier);
            source.onEpisode(got::add);
            for (int w = 0; w < 2; w++) {
                long start = t0 + (long) w * DUR;
                int before = got.size();
                WindowInputs in = source.collect(start, DUR);
                int window = in.mood().barks() + in.mood().growls() + in.mood().whines() + in.mood().howls();
                assertEquals(window, got.size() - before, "the sink sees what the window counts");
                counted += window;
                for (Episode e : got.subList(before, got.size())) {
                    assertTrue(e.startMs() >= start * 1000 - 1000 && e.startMs() < (start + DUR) * 1000,
                            e.startMs() + " outside window " + start);
                    assertTrue(e.clipStartMs() <= e.startMs());
                    assertFalse(e.clip().length == 0);
                    assertTrue(e.clip().length <= 160_000, e.clip().length + " samples");
                    assertTrue(e.vocalClass() >= 0 && e.vocalClass() <= 3);
                }
            }
            source.close();
        }
        assertTrue(counted > 0, "the dog vocalised at " + Instant.ofEpochSecond(vocal) + " but nothing was found");
        assertTrue(got.stream().anyMatch(e -> Math.abs(e.startMs() / 1000 - vocal) <= 25),
                "an episode near the model's slot at " + vocal + ": " + got.stream().map(Episode::startMs).toList());
    }
}
