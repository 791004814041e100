package com.pettysync.drivers.twin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DogBehaviourModelTest {
    static final Instant DAY = Instant.parse("2026-06-01T00:00:00Z");
    final DogBehaviourModel dog = new DogBehaviourModel(42, 52.52, 13.405);

    static double metres(double lat1, double lon1, double lat2, double lon2) {
        double dn = (lat2 - lat1) * 111_320;
        double de = (lon2 - lon1) * 111_320 * Math.cos(Math.toRadians(lat1));
        return Math.hypot(dn, de);
    }

    @Test
    void sameSeedSameDogInAnyQueryOrder() {
        DogBehaviourModel other = new DogBehaviourModel(42, 52.52, 13.405);
        Instant late = DAY.plusSeconds(80_000);
        Instant early = DAY.plusSeconds(30_000);
        assertEquals(dog.stateAt(early), other.stateAt(early));
        other.stateAt(DAY.plusSeconds(86_400 * 5));
        assertEquals(dog.stateAt(late), other.stateAt(late));
        DogBehaviourModel different = new DogBehaviourModel(43, 52.52, 13.405);
        assertNotEquals(dog.morningWalkStart(DAY), different.morningWalkStart(DAY));
    }

    @Test
    void aDayHasSleepRestWalksRunsAndPlayWithPlausibleVitals() {
        Map<Activity, Integer> seconds = new EnumMap<>(Activity.class);
        Map<Activity, int[]> hrRange = new EnumMap<>(Activity.class);
        int vocal = 0;
        double farthest = 0;
        DogState prev = null;
        for (int s = 0; s < 86_400; s++) {
            DogState st = dog.stateAt(DAY.plusSeconds(s));
            seconds.merge(st.activity(), 1, Integer::sum);
            int[] r = hrRange.computeIfAbsent(st.activity(), a -> new int[] {999, 0});
            r[0] = Math.min(r[0], st.heartRateBpm());
            r[1] = Math.max(r[1], st.heartRateBpm());
            if (st.vocalization() != Vocalization.NONE) {
                vocal++;
                assertNotEquals(Activity.SLEEP, st.activity(), "no barking in its sleep");
            }
            farthest = Math.max(farthest, metres(52.52, 13.405, st.latitude(), st.longitude()));
            if (st.place() == DogState.Place.HOME) {
                assertTrue(metres(52.52, 13.405, st.latitude(), st.longitude()) < 15, "home means home");
            }
            if (prev != null) {
                assertTrue(metres(prev.latitude(), prev.longitude(), st.latitude(), st.longitude()) < 10,
                        "no teleporting at " + st.time());
            }
            prev = st;
        }
        assertTrue(seconds.get(Activity.SLEEP) > 8 * 3600, "dogs sleep a lot: " + seconds);
        assertTrue(seconds.get(Activity.WALK) > 20 * 60 && seconds.get(Activity.RUN) > 60, seconds.toString());
        assertTrue(seconds.containsKey(Activity.PLAY) && seconds.containsKey(Activity.REST), seconds.toString());
        assertTrue(hrRange.get(Activity.SLEEP)[0] >= 55 && hrRange.get(Activity.REST)[1] <= 160);
        assertTrue(hrRange.get(Activity.RUN)[1] <= 220 && hrRange.get(Activity.RUN)[1] > 180, "run HR "
                + hrRange.get(Activity.RUN)[1]);
        assertTrue(vocal > 0, "some barking or whining in a day");
        assertTrue(farthest > 300 && farthest < 1200, "walks reach the park: " + farthest + " m");
    }

    @Test
    void cadenceIsZeroAtRestAndHigherRunningThanWalking() {
        double walk = 0;
        double run = 0;
        for (int s = 0; s < 86_400; s += 5) {
            DogState st = dog.stateAt(DAY.plusSeconds(s));
            switch (st.activity()) {
                case SLEEP, REST -> assertEquals(0, st.cadenceStepsPerMinute());
                case WALK -> walk = Math.max(walk, st.cadenceStepsPerMinute());
                case RUN -> run = Math.max(run, st.cadenceStepsPerMinute());
                default -> { }
            }
        }
        assertTrue(run > walk && walk > 90, walk + " / " + run);
    }
}
