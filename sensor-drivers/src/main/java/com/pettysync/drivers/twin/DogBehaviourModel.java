package com.pettysync.drivers.twin;

import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic model of one dog's day: the same seed and home point give the same dog, instant by instant,
 * in any order of queries and in any process.
 *
 * <p>Each UTC day gets its own plan, drawn from {@code (seed, day)}: asleep until 06:00–07:00 (with short waking
 * rests), a morning walk to a park (walk there, 15–35 minutes of walking, running and play, walk back), a day of
 * naps, rests and short play at home, an evening walk around 17:30–18:45, rest and play until bed at 21:30–22:45.
 * The park lies 400–900 m from home in a direction fixed by the seed; in the park the dog circles a loop of
 * 60–120 m radius at the speed of its activity. Heart rate approaches the activity's target with a 30 s time
 * constant and wanders slowly, within 55–160 bpm asleep or resting and up to 220 bpm active; vocal episodes (bark, growl, whine, howl) fall in 20-second slots with a probability
 * that depends on the activity (barking and growling at play, whining and the odd howl at rest, never asleep).
 *
 * <p>Cost: a day plan is built once per day touched (cached, a few dozen segments); {@link #stateAt} is a binary
 * search plus arithmetic. Thread-safe.
 */
public final class DogBehaviourModel {
    private static final double M_PER_DEG_LAT = 111_320.0;
    private static final long DAY = 86_400;

    private final long seed;
    private final double homeLat;
    private final double homeLon;
    private final double parkLat;
    private final double parkLon;
    private final double parkRadius;
    private final int hrOffset;
    private volatile Plan cached;

    public DogBehaviourModel(long seed, double homeLatitude, double homeLongitude) {
        if (!(Math.abs(homeLatitude) <= 85) || !(Math.abs(homeLongitude) <= 180)) {
            throw new IllegalArgumentException("home must be a latitude within ±85° and a longitude within ±180°");
        }
        this.seed = seed;
        this.homeLat = homeLatitude;
        this.homeLon = homeLongitude;
        SplittableRandom r = new SplittableRandom(seed);
        double bearing = r.nextDouble(0, 2 * Math.PI);
        double distance = r.nextDouble(400, 900);
        this.parkLat = homeLat + distance * Math.cos(bearing) / M_PER_DEG_LAT;
        this.parkLon = homeLon + distance * Math.sin(bearing) / metresPerDegLon(homeLat);
        this.parkRadius = r.nextDouble(60, 120);
        this.hrOffset = r.nextInt(-8, 9);
    }

    public long seed() {
        return seed;
    }

    public double homeLatitude() {
        return homeLat;
    }

    public double homeLongitude() {
        return homeLon;
    }

    /** Centre of the park loop. */
    public double[] park() {
        return new double[] {parkLat, parkLon};
    }

    private static double metresPerDegLon(double lat) {
        return M_PER_DEG_LAT * Math.cos(Math.toRadians(lat));
    }

    /** The dog at {@code t}. */
    public DogState stateAt(Instant t) {
        long epochSecond = t.getEpochSecond();
        long day = Math.floorDiv(epochSecond, DAY);
        double sec = Math.floorMod(epochSecond, DAY) + t.getNano() / 1e9;
        Plan plan = plan(day);
        int i = plan.indexAt(sec);
        Segment s = plan.segments.get(i);
        Activity prevActivity = i > 0 ? plan.segments.get(i - 1).activity : Activity.SLEEP;
        double since = sec - s.start;

        double target = targetHr(s.activity) + hrOffset + s.intensity * 10;
        double prevTarget = targetHr(prevActivity) + hrOffset;
        double hr = target + (prevTarget - target) * Math.exp(-since / 30.0);
        double absolute = day * (double) DAY + sec;
        hr += 4 * Math.sin(2 * Math.PI * absolute / 317.0 + (seed & 0xFF)) + 2 * Math.sin(2 * Math.PI * absolute / 41.0);
        double ceiling = s.activity == Activity.SLEEP || s.activity == Activity.REST ? 160 : 220;
        int bpm = (int) Math.round(Math.max(55, Math.min(ceiling, hr)));

        double cadence = switch (s.activity) {
            case SLEEP, REST -> 0;
            case WALK -> 105 + 15 * s.intensity;
            case RUN -> 200 + 30 * s.intensity;
            case PLAY -> 130 + 40 * s.intensity + 25 * Math.sin(2 * Math.PI * absolute / 7.0);
        };

        double[] pos = position(s, since, absolute);
        return new DogState(t, s.activity, bpm, cadence, vocalization(s.activity, absolute), pos[0], pos[1],
                s.place);
    }

    private static double targetHr(Activity a) {
        return switch (a) {
            case SLEEP -> 66;
            case REST -> 88;
            case WALK -> 118;
            case PLAY -> 158;
            case RUN -> 198;
        };
    }

    private Vocalization vocalization(Activity a, double absoluteSecond) {
        long slot = (long) Math.floor(absoluteSecond / 20.0);
        double inSlot = absoluteSecond - slot * 20.0;
        long h = mix(seed ^ (slot * 0x9E3779B97F4A7C15L));
        double p = (h >>> 11) * 0x1.0p-53;
        double duration = 1 + ((h >>> 3) & 0x7); // 1..8 s
        Vocalization kind = switch (a) {
            case SLEEP -> Vocalization.NONE;
            case REST -> p < 0.015 ? Vocalization.WHINE : p < 0.018 ? Vocalization.HOWL : Vocalization.NONE;
            case WALK -> p < 0.03 ? Vocalization.BARK : p < 0.04 ? Vocalization.GROWL : Vocalization.NONE;
            case RUN -> p < 0.03 ? Vocalization.BARK : Vocalization.NONE;
            case PLAY -> p < 0.15 ? Vocalization.BARK : p < 0.20 ? Vocalization.GROWL : Vocalization.NONE;
        };
        double limit = switch (kind) {
            case BARK -> Math.min(duration, 3);
            case GROWL -> Math.min(duration, 4);
            case WHINE -> Math.min(duration, 5);
            case HOWL -> Math.max(duration, 3);
            case NONE -> 0;
        };
        return inSlot < limit ? kind : Vocalization.NONE;
    }

    private double[] position(Segment s, double since, double absolute) {
        double length = s.end - s.start;
        double entryLat = parkLat - parkRadius / M_PER_DEG_LAT; // southernmost point of the loop
        double entryLon = parkLon;
        return switch (s.place) {
            case HOME -> {
                // pottering about the house and garden: a slow figure within ~8 m
                double dn = 6 * Math.sin(2 * Math.PI * absolute / 900.0);
                double de = 5 * Math.sin(2 * Math.PI * absolute / 1300.0 + 1);
                yield new double[] {homeLat + dn / M_PER_DEG_LAT, homeLon + de / metresPerDegLon(homeLat)};
            }
            case ROUTE -> {
                double f = Math.max(0, Math.min(1, since / length));
                if (s.towardsHome) {
                    f = 1 - f;
                }
                yield new double[] {homeLat + (entryLat - homeLat) * f, homeLon + (entryLon - homeLon) * f};
            }
            case PARK -> {
                double angle = s.phaseStart + s.speed * since / parkRadius;
                double dn = -parkRadius * Math.cos(angle);
                double de = parkRadius * Math.sin(angle);
                yield new double[] {parkLat + dn / M_PER_DEG_LAT, parkLon + de / metresPerDegLon(parkLat)};
            }
        };
    }

    private Plan plan(long day) {
        Plan p = cached;
        if (p != null && p.day == day) {
            return p;
        }
        p = buildPlan(day);
        cached = p;
        return p;
    }

    private Plan buildPlan(long day) {
        SplittableRandom r = new SplittableRandom(mix(seed * 31 + day));
        List<Segment> segs = new ArrayList<>();
        Builder b = new Builder(segs, r);
        double wake = r.nextDouble(6 * 3600, 7 * 3600);
        // night with a few short waking rests
        double t = 0;
        while (t < wake - 1800) {
            double sleep = r.nextDouble(1800, 7200);
            t = b.home(Activity.SLEEP, Math.min(wake, t + sleep), 0);
            if (t < wake - 900) {
                t = b.home(Activity.REST, t + r.nextDouble(300, 900), 0);
            }
        }
        t = b.home(Activity.SLEEP, wake, 0);
        t = b.home(Activity.REST, t + r.nextDouble(600, 2400), 0.2);
        t = b.walk(t);
        double evening = r.nextDouble(17.5 * 3600, 18.75 * 3600);
        while (t < evening - 1200) {
            double u = r.nextDouble();
            Activity a = u < 0.45 ? Activity.SLEEP : u < 0.85 ? Activity.REST : Activity.PLAY;
            double len = switch (a) {
                case SLEEP -> r.nextDouble(1800, 5400);
                case REST -> r.nextDouble(900, 3600);
                default -> r.nextDouble(240, 900);
            };
            t = b.home(a, Math.min(evening, t + len), r.nextDouble());
        }
        t = b.home(Activity.REST, evening, 0.2);
        t = b.walk(t);
        double bed = r.nextDouble(21.5 * 3600, 22.75 * 3600);
        while (t < bed - 600) {
            Activity a = r.nextDouble() < 0.8 ? Activity.REST : Activity.PLAY;
            t = b.home(a, Math.min(bed, t + (a == Activity.REST ? r.nextDouble(600, 2400) : r.nextDouble(180, 600))),
                    r.nextDouble());
        }
        b.home(Activity.SLEEP, DAY, 0);
        return new Plan(day, segs);
    }

    private final class Builder {
        final List<Segment> segs;
        final SplittableRandom r;
        double t;

        Builder(List<Segment> segs, SplittableRandom r) {
            this.segs = segs;
            this.r = r;
        }

        double home(Activity a, double end, double intensity) {
            return add(new Segment(t, end, a, DogState.Place.HOME, intensity, false, 0, 0));
        }

        double add(Segment s) {
            if (s.end > s.start) {
                segs.add(s);
                t = s.end;
            }
            return t;
        }

        double walk(double start) {
            double entryLat = parkLat - parkRadius / M_PER_DEG_LAT;
            double dn = (entryLat - homeLat) * M_PER_DEG_LAT;
            double de = (parkLon - homeLon) * metresPerDegLon(homeLat);
            double routeSeconds = Math.hypot(dn, de) / 1.3;
            add(new Segment(start, start + routeSeconds, Activity.WALK, DogState.Place.ROUTE, 0.5, false, 0, 1.3));
            double parkEnd = t + r.nextDouble(15 * 60, 35 * 60);
            double phase = 0;
            while (t < parkEnd - 30) {
                double u = r.nextDouble();
                Activity a = u < 0.45 ? Activity.WALK : u < 0.7 ? Activity.RUN : Activity.PLAY;
                double speed = switch (a) {
                    case RUN -> 4.5;
                    case PLAY -> 2.0;
                    default -> 1.3;
                };
                double len = Math.min(parkEnd - t, r.nextDouble(60, 300));
                Segment s = new Segment(t, t + len, a, DogState.Place.PARK, r.nextDouble(), false, phase, speed);
                phase += speed * len / parkRadius;
                add(s);
            }
            // close the loop back to the entry point before walking home
            double back = (2 * Math.PI - (phase % (2 * Math.PI))) * parkRadius / 1.3;
            add(new Segment(t, t + back, Activity.WALK, DogState.Place.PARK, 0.3, false, phase % (2 * Math.PI), 1.3));
            return add(new Segment(t, t + routeSeconds, Activity.WALK, DogState.Place.ROUTE, 0.5, true, 0, 1.3));
        }
    }

    private record Segment(double start, double end, Activity activity, DogState.Place place, double intensity,
            boolean towardsHome, double phaseStart, double speed) {
    }

    private record Plan(long day, List<Segment> segments) {
        int indexAt(double sec) {
            int lo = 0;
            int hi = segments.size() - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (segments.get(mid).start <= sec) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            return lo;
        }
    }

    /** A walk's start time of day on the UTC day of {@code t} (for demos that want to start at a walk). */
    public LocalTime morningWalkStart(Instant t) {
        Plan p = plan(Math.floorDiv(t.getEpochSecond(), DAY));
        for (Segment s : p.segments) {
            if (s.place == DogState.Place.ROUTE) {
                return LocalTime.ofSecondOfDay((long) s.start);
            }
        }
        throw new IllegalStateException("a day plan always has a walk");
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
