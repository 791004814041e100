package com.pettysync.agent.runtime;

import com.pettysync.agent.window.WindowInputs;
import com.pettysync.contract.telemetry.Activity;
import com.pettysync.contract.telemetry.HeartRate;
import com.pettysync.contract.telemetry.Location;
import com.pettysync.contract.telemetry.Mood;
import com.pettysync.contract.telemetry.MoodClass;
import com.pettysync.contract.telemetry.TrailPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A cheap synthetic window source: plausible per-window summaries of a dog (rest / walk / run / play
 * with matching heart rate, steps, a short GNSS trail, a mood estimate and a slowly draining battery), drawn from
 * a random generator seeded by the thing name and the window start, so the same collar and window always give the
 * same values.
 *
 * <p>{@code --simulated} no longer uses it: the agent runs the real pipeline
 * ({@link com.pettysync.agent.sensing.TwinWindowSource}: sensor twins, drivers, edge-ml). This class stays for tests
 * and soak runs that need many windows of inputs without the sensor simulation's CPU cost (no TFLite, no drivers);
 * it exercises everything downstream of edge-ml (aggregator, contract encoder, outbox, uplink) but none of the
 * sensor loops.
 */
public final class SimulatedWindowSource implements com.pettysync.agent.sensing.CollarSource {
    private final long seed;
    private final int homeLatE7;
    private final int homeLonE7;

    public SimulatedWindowSource(String thingName, int homeLatE7, int homeLonE7) {
        this.seed = thingName.hashCode();
        this.homeLatE7 = homeLatE7;
        this.homeLonE7 = homeLonE7;
    }

    @Override
    public WindowInputs collect(long t0, int dur) {
        SplittableRandom r = new SplittableRandom(seed * 31 + t0);
        int run = r.nextInt(0, Math.max(1, dur / 10));
        int play = r.nextInt(0, Math.max(1, dur / 10));
        int walk = r.nextInt(0, Math.max(1, dur / 3));
        int rest = dur - run - play - walk;
        int mean = 70 + (walk + 3 * run + 2 * play) * 80 / Math.max(1, dur);
        HeartRate hr = new HeartRate(mean, mean - r.nextInt(5, 15), mean + r.nextInt(5, 40), r.nextInt(20, 90),
                r.nextInt(60, 100));
        Activity act = new Activity(walk * 2L + run * 3L + play, rest, walk, run, play, 1000 + run * 20);
        int lat = homeLatE7 + r.nextInt(-20000, 20000);
        int lon = homeLonE7 + r.nextInt(-20000, 20000);
        List<TrailPoint> trail = new ArrayList<>();
        long t = t0 + dur - Math.min(4, dur);
        int plat = (lat + 50) / 100;
        int plon = (lon + 50) / 100;
        for (int i = 0; i < 5 && t - 30 >= t0; i++) {
            t -= 30;
            plat -= r.nextInt(-30, 30);
            plon -= r.nextInt(-30, 30);
            trail.add(new TrailPoint(plat, plon, t));
        }
        Location loc = new Location(lat, lon, r.nextInt(20, 80), Math.min(4, dur), trail);
        Mood mood = new Mood(MoodClass.values()[r.nextInt(MoodClass.values().length)], r.nextInt(40, 95),
                r.nextInt(0, 4), 0, r.nextInt(0, 2), 0);
        int battery = (int) Math.max(5, 100 - Math.floorMod(t0 / 3600, 48) * 2);
        return new WindowInputs(hr, act, loc, mood, battery, 3300 + battery * 9, 300 + r.nextInt(-20, 20),
                -60 - r.nextInt(0, 20), false, Set.of());
    }
}
