package com.pettysync.simulator.fleet;

import com.pettysync.agent.window.WindowInputs;
import com.pettysync.contract.telemetry.Activity;
import com.pettysync.contract.telemetry.HeartRate;
import com.pettysync.contract.telemetry.Location;
import com.pettysync.contract.telemetry.Mood;
import com.pettysync.contract.telemetry.MoodClass;
import com.pettysync.contract.telemetry.TrailPoint;
import com.pettysync.drivers.twin.DogBehaviourModel;
import com.pettysync.drivers.twin.DogState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Window summaries straight from sensor-drivers' {@link DogBehaviourModel} (fleet scale: no signal pipeline): the
 * model is sampled every {@value #STEP_S} s of the window; heart rate, activity seconds, steps, the newest position
 * with a trail and a mood follow from the samples. Deterministic for a (seed, window). The battery drains 2 % an hour
 * and recharges every 48 h.
 */
public final class DogModelWindowSource implements WindowInputs.Source {
    static final int STEP_S = 30;
    private final DogBehaviourModel dog;

    public DogModelWindowSource(DogBehaviourModel dog) {
        this.dog = dog;
    }

    @Override
    public WindowInputs collect(long t0, int dur) {
        int samples = Math.max(1, dur / STEP_S);
        int step = Math.max(1, dur / samples);
        int hrSum = 0;
        int hrMin = Integer.MAX_VALUE;
        int hrMax = 0;
        int rest = 0;
        int walk = 0;
        int run = 0;
        int play = 0;
        double steps = 0;
        int barks = 0;
        int growls = 0;
        int whines = 0;
        int howls = 0;
        List<TrailPoint> trail = new ArrayList<>();
        DogState last = null;
        for (int i = 0; i < samples; i++) {
            DogState s = dog.stateAt(Instant.ofEpochSecond(t0 + (long) i * step));
            last = s;
            hrSum += s.heartRateBpm();
            hrMin = Math.min(hrMin, s.heartRateBpm());
            hrMax = Math.max(hrMax, s.heartRateBpm());
            steps += s.cadenceStepsPerMinute() * step / 60.0;
            switch (s.activity()) {
                case SLEEP, REST -> rest += step;
                case WALK -> walk += step;
                case RUN -> run += step;
                case PLAY -> play += step;
            }
            switch (s.vocalization()) {
                case BARK -> barks++;
                case GROWL -> growls++;
                case WHINE -> whines++;
                case HOWL -> howls++;
                default -> { }
            }
            if (i >= samples - 5 && i < samples - 1) {
                trail.add(new TrailPoint((int) Math.round(s.latitude() * 1e5), (int) Math.round(s.longitude() * 1e5),
                        s.time().getEpochSecond()));
            }
        }
        rest += dur - (rest + walk + run + play);
        int mean = hrSum / samples;
        HeartRate hr = new HeartRate(mean, Math.min(hrMin, mean), Math.max(hrMax, mean), 40, 90);
        Activity act = new Activity(Math.round(steps), rest, walk, run, play, 1000 + run * 5 + play * 3);
        Location loc = new Location((int) Math.round(last.latitude() * 1e7), (int) Math.round(last.longitude() * 1e7),
                30, Math.min(dur, dur - (samples - 1) * step), trail.reversed());
        MoodClass moodClass = play + run > dur / 4 ? MoodClass.HAPPY : MoodClass.RELAXED;
        Mood mood = new Mood(moodClass, 70, barks, growls, whines, howls);
        int battery = (int) Math.max(5, 100 - Math.floorMod(t0 / 3600, 48) * 2);
        return new WindowInputs(hr, act, loc, mood, battery, 3300 + battery * 9, 300, -65, false, Set.of());
    }
}
