package com.pettysync.agent.sensing;

import com.pettysync.agent.raw.RawSamples;
import com.pettysync.agent.voice.Episode;
import com.pettysync.contract.raw.RawSensor;
import com.pettysync.contract.telemetry.Activity;
import com.pettysync.contract.telemetry.DeviceStatus;
import com.pettysync.contract.telemetry.HeartRate;
import com.pettysync.contract.telemetry.Location;
import com.pettysync.contract.telemetry.Mood;
import com.pettysync.contract.telemetry.MoodClass;
import com.pettysync.contract.telemetry.TrailPoint;
import com.pettysync.agent.window.WindowInputs;
import com.pettysync.drivers.SensorStatus;
import com.pettysync.drivers.battery.BatteryReading;
import com.pettysync.drivers.heartrate.PpgBatch;
import com.pettysync.drivers.heartrate.PpgSample;
import com.pettysync.drivers.motion.MotionSample;
import com.pettysync.drivers.poll.SensorPoller;
import com.pettysync.drivers.position.Fix;
import com.pettysync.drivers.position.GnssPowerMode;
import com.pettysync.drivers.voice.AudioBlock;
import com.pettysync.ml.AccelTrace;
import com.pettysync.ml.activity.ActivityEstimator;
import com.pettysync.ml.activity.ActivitySummary;
import com.pettysync.ml.hr.HeartRateEstimator;
import com.pettysync.ml.hr.HeartRateSummary;
import com.pettysync.ml.mood.HeartRateBaseline;
import com.pettysync.ml.mood.MoodEstimate;
import com.pettysync.ml.mood.MoodEstimator;
import com.pettysync.ml.mood.VocalCounts;
import com.pettysync.ml.vocal.LogMelSpectrogram;
import com.pettysync.ml.vocal.VocalEpisode;
import com.pettysync.ml.vocal.VocalizationClassifier;
import com.pettysync.ml.vocal.VocalizationPipeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;
import org.tinylog.Logger;

/**
 * One window of a collar's sensor samples and what edge-ml makes of them (heart rate, activity, vocalisations,
 * mood, position trail): the part shared by {@link TwinWindowSource} (the twins, stepped on a simulated clock in
 * the window thread) and {@link HardwareWindowSource} (the real parts, one polling thread per sensor).
 *
 * <p>{@link #register} adds the five sensors to a {@link SensorPoller} with their poll periods; each poll appends
 * to this window. {@link #close} summarises the window, clears its samples and begins the next one (a sensor
 * still faulted is flagged again in the next window). Polls append under this object's lock, briefly; the
 * estimators run under it once per window (tens of milliseconds), so a poll may wait that long, which the parts'
 * FIFOs absorb (MAX30102: 32 samples = 320 ms, LSM6DSOX FIFO, the UART and ALSA buffers). The vocal pipeline and
 * the episode sink run on the microphone's poll outside the lock (only its counts are added under it).
 *
 * <p>Time: samples carry {@link com.pettysync.drivers.MonotonicClock} nanoseconds; {@code epochMsAt} maps them to
 * Unix time through the anchor given at construction (for trail points and voice clips).
 */
final class SensorWindow {
    static final Duration PPG_PERIOD = Duration.ofMillis(100);
    static final Duration IMU_PERIOD = Duration.ofMillis(250);
    static final Duration GNSS_PERIOD = Duration.ofMillis(250);
    static final Duration MIC_PERIOD = Duration.ofMillis(100);
    static final Duration BATTERY_PERIOD = Duration.ofSeconds(10);
    private static final int TRAIL_SPACING_S = 30;
    private static final int RSSI_DBM = -65; // no radio reading yet

    private final HeartRateEstimator hrEstimator = new HeartRateEstimator();
    private final ActivityEstimator activityEstimator = new ActivityEstimator();
    private final MoodEstimator moodEstimator = new MoodEstimator();
    private final HeartRateBaseline baseline = new HeartRateBaseline();
    private final VocalizationPipeline vocal;
    private final long originEpochMs;
    private final long originNanos;

    private final DoubleBuffer ir = new DoubleBuffer(30_000);
    private final DoubleBuffer ax = new DoubleBuffer(16_000);
    private final DoubleBuffer ay = new DoubleBuffer(16_000);
    private final DoubleBuffer az = new DoubleBuffer(16_000);
    private final List<Fix> fixes = new ArrayList<>();
    private final EnumSet<DeviceStatus.Flag> windowFaults = EnumSet.noneOf(DeviceStatus.Flag.class);
    private final Map<DeviceStatus.Flag, Integer> faultCodes = new HashMap<>();
    private final Map<String, SensorStatus> statuses = new HashMap<>();
    private int motionRate = 52;
    private int barks;
    private int growls;
    private int whines;
    private int howls;
    private long stepCount = -1;
    private long stepCountAtStart = -1;
    private BatteryReading battery;
    private double dieTempC = 30.0;
    private Fix lastFix;
    private volatile Consumer<Episode> episodeSink;
    private volatile RawSamples.Sink rawSink; // a raw capture's tap (contract §9), null when none
    private volatile GnssPowerMode wantedGnss; // null: leave the receiver as it is
    private long streamSamples; // samples fed to the vocal pipeline so far (the microphone's poll only)

    /**
     * @param classifier    the vocalisation classifier (not closed here)
     * @param originEpochMs Unix time, ms, at monotonic time {@code originNanos}
     * @param originNanos   the monotonic clock's reading at {@code originEpochMs}
     */
    SensorWindow(VocalizationClassifier classifier, long originEpochMs, long originNanos) {
        this.vocal = new VocalizationPipeline(classifier);
        this.originEpochMs = originEpochMs;
        this.originNanos = originNanos;
    }

    /**
     * Adds every sensor to {@code poller} with its period; {@code beforeMicRead} runs before each microphone read
     * (the twin's synchronous capture pump; nothing for a microphone with its own capture thread).
     */
    void register(SensorPoller poller, CollarSensors s, Runnable beforeMicRead) {
        long[] ppgPolls = {0};
        poller.add(s.heartRate(), PPG_PERIOD, () -> {
            addPpg(s.heartRate().read(), s.heartRate().sampleRate());
            // the die temperature every 10 s, on the PPG's own poll: one thread per driver, never two
            if (ppgPolls[0]++ % (BATTERY_PERIOD.toMillis() / PPG_PERIOD.toMillis()) == 0) {
                setDieTemperature(s.heartRate().dieTemperature());
            }
        });
        poller.add(s.motion(), IMU_PERIOD, () -> {
            List<MotionSample> samples = s.motion().read();
            addMotion(samples, s.motion().stepCount(), s.motion().sampleRate());
        });
        poller.add(s.gnss(), GNSS_PERIOD, () -> {
            GnssPowerMode want = wantedGnss;
            if (want != null && want != s.gnss().powerMode()) {
                s.gnss().setPowerMode(want); // a UART that is gone throws: a GNSS fault, retried with back-off
                Logger.info("GNSS duty cycle: {}", want.name().toLowerCase(java.util.Locale.ROOT));
            }
            addFixes(s.gnss().read());
        });
        poller.add(s.microphone(), MIC_PERIOD, () -> {
            beforeMicRead.run();
            addAudio(s.microphone().read(1 << 16));
        });
        poller.add(s.battery(), BATTERY_PERIOD, () -> setBattery(s.battery().read()));
    }

    /** The GNSS power mode to switch to on the next GNSS poll. */
    void wantGnss(GnssPowerMode mode) {
        wantedGnss = mode;
    }

    long epochMsAt(long nanos) {
        return originEpochMs + Math.floorDiv(nanos - originNanos, 1_000_000L);
    }

    synchronized void onStatus(String sensor, SensorStatus status) {
        statuses.put(sensor, status);
        flagFault(sensor, status);
    }

    void onEpisode(Consumer<Episode> sink) {
        this.episodeSink = sink;
    }

    void onRawSamples(RawSamples.Sink sink) {
        this.rawSink = sink;
    }

    synchronized Map<String, SensorStatus> statuses() {
        return Map.copyOf(statuses);
    }

    synchronized int codeOf(DeviceStatus.Flag faultFlag) {
        return faultCodes.getOrDefault(faultFlag, 0);
    }

    /** True when a fix arrived within {@code maxAgeNanos} of monotonic time {@code nowNanos}. */
    synchronized boolean fixWithin(long nowNanos, long maxAgeNanos) {
        return lastFix != null && nowNanos - lastFix.tNanos() <= maxAgeNanos;
    }

    private synchronized void addPpg(PpgBatch b, int rateHz) {
        RawSamples.Sink raw = rawSink;
        if (raw != null && b.overflowed()) {
            raw.gap(RawSensor.PPG);
        }
        for (PpgSample s : b.samples()) {
            ir.add(s.ir());
            if (raw != null) {
                raw.sample(RawSensor.PPG, epochMsAt(s.tNanos()), rateHz, new int[] {s.red(), s.ir()});
            }
        }
    }

    private synchronized void addMotion(List<MotionSample> samples, long steps, int rate) {
        RawSamples.Sink raw = rawSink;
        for (MotionSample s : samples) {
            ax.add(s.ax() * 1000.0);
            ay.add(s.ay() * 1000.0);
            az.add(s.az() * 1000.0);
            if (raw != null) { // contract §9 imu_mg_ddps_s16: milli-g and deci-degrees per second
                raw.sample(RawSensor.IMU, epochMsAt(s.tNanos()), rate, new int[] {Math.round(s.ax() * 1000f),
                    Math.round(s.ay() * 1000f), Math.round(s.az() * 1000f), Math.round(s.gx() * 10f),
                    Math.round(s.gy() * 10f), Math.round(s.gz() * 10f)});
            }
        }
        motionRate = rate;
        stepCount = steps;
        if (stepCountAtStart < 0) {
            stepCountAtStart = stepCount;
        }
    }

    private synchronized void addFixes(List<Fix> read) {
        for (Fix f : read) {
            if (f.latE7() != null && f.lonE7() != null) {
                fixes.add(f);
                lastFix = f;
            }
        }
    }

    /**
     * The microphone's poll only (one thread): the vocal pipeline (TFLite) and the episode sink (clip files) run
     * outside the window's lock, so the other sensors' polls never wait for an inference or a disk write.
     */
    private void addAudio(AudioBlock block) {
        if (block.samples().length > 0) {
            // stream ms -> Unix ms, anchored at this block's first sample (gaps before it are accounted for)
            long offsetMs = epochMsAt(block.tNanos()) - streamSamples * 1000 / LogMelSpectrogram.SAMPLE_RATE;
            streamSamples += block.samples().length;
            count(vocal.feed(block.samples()), offsetMs);
        }
    }

    private synchronized void setBattery(BatteryReading b) {
        battery = b;
    }

    private synchronized void setDieTemperature(double celsius) {
        if (!Double.isNaN(celsius)) {
            dieTempC = celsius; // NaN before the first conversion: keep the last value
        }
    }

    private void flagFault(String sensor, SensorStatus status) {
        DeviceStatus.Flag flag = flagOf(sensor);
        if (!status.isOk() && flag != null) {
            windowFaults.add(flag);
            faultCodes.put(flag, status.fault().code());
        }
    }

    private static DeviceStatus.Flag flagOf(String sensor) {
        return switch (sensor) {
            case "hr" -> DeviceStatus.Flag.FAULT_HR;
            case "motion" -> DeviceStatus.Flag.FAULT_IMU;
            case "gnss" -> DeviceStatus.Flag.FAULT_GNSS;
            case "mic" -> DeviceStatus.Flag.FAULT_MIC;
            default -> null;
        };
    }

    private void count(List<VocalEpisode> episodes, long offsetMs) {
        Consumer<Episode> sink = episodeSink;
        if (sink != null) {
            for (VocalEpisode e : episodes) {
                if (e.vocalClass().ordinal() > 3) {
                    continue; // never OTHER, by the pipeline's contract
                }
                try {
                    sink.accept(new Episode(e.startMs() + offsetMs, e.vocalClass().ordinal(), e.confPct(),
                            e.clipStartMs() + offsetMs, e.clip()));
                } catch (RuntimeException x) {
                    Logger.error(x, "vocal episode sink failed; episode counted only");
                }
            }
        }
        VocalCounts c = VocalCounts.of(episodes); // the clips went to the sink (if any); counts only here
        synchronized (this) {
            barks += c.barks();
            growls += c.growls();
            whines += c.whines();
            howls += c.howls();
        }
    }

    /**
     * Summarises the window {@code [t0, t0 + dur)} that ends at monotonic time {@code endNanos}, then clears the
     * samples and begins the next window.
     */
    synchronized WindowInputs close(long t0, int dur, long endNanos) {
        try {
            return summarise(t0, dur, endNanos);
        } finally {
            ir.clear();
            ax.clear();
            ay.clear();
            az.clear();
            fixes.clear();
            barks = growls = whines = howls = 0;
            windowFaults.clear();
            faultCodes.clear();
            statuses.forEach(this::flagFault); // still faulted from this window: flagged again in the next
            stepCountAtStart = stepCount;
        }
    }

    private WindowInputs summarise(long t0, int dur, long endNanos) {
        AccelTrace accel = ax.size() == 0 ? null
                : new AccelTrace(motionRate, ax.toArray(), ay.toArray(), az.toArray());
        Optional<HeartRateSummary> hrs = Optional.empty();
        Optional<ActivitySummary> acts = Optional.empty();
        try {
            if (accel != null && accel.length() >= 2 * ActivityEstimator.EPOCH_S * accel.sampleRateHz()) {
                OptionalInt pedometer = stepCountAtStart >= 0 && stepCount >= stepCountAtStart
                        ? OptionalInt.of((int) Math.min(Integer.MAX_VALUE, stepCount - stepCountAtStart))
                        : OptionalInt.empty();
                acts = Optional.of(activityEstimator.window(accel, pedometer));
            }
        } catch (RuntimeException e) {
            Logger.error(e, "activity estimate failed; window {} without act", t0);
        }
        try {
            if (ir.size() >= HeartRateEstimator.SEGMENT) {
                double[] irs = ir.toArray();
                AccelTrace a = accel == null ? null : accel.resample(HeartRateEstimator.SAMPLE_RATE_HZ, irs.length);
                hrs = hrEstimator.window(irs, a);
            }
        } catch (RuntimeException e) {
            Logger.error(e, "heart-rate estimate failed; window {} without hr", t0);
        }
        HeartRate hr = hrs.map(h -> new HeartRate(h.meanBpm(), h.minBpm(), h.maxBpm(), h.rmssdMs(), h.qualityPct()))
                .orElse(null);
        Activity act = acts.map(a -> activity(a, dur)).orElse(null);
        if (hrs.isPresent()) {
            double rest = acts.map(a -> a.restS() / (double) Math.max(1, a.restS() + a.walkS() + a.runS()
                    + a.playS())).orElse(0.0);
            baseline.offer(hrs.get().meanBpm(), hrs.get().qualityPct(), rest);
        }
        Mood mood = null;
        try {
            VocalCounts counts = new VocalCounts(barks, growls, whines, howls);
            MoodEstimate m = moodEstimator.estimate(counts, hrs, baseline.value(), acts);
            mood = new Mood(MoodClass.values()[m.mood().ordinal()], m.confPct(), Math.min(barks, 255),
                    Math.min(growls, 255), Math.min(whines, 255), Math.min(howls, 255));
        } catch (RuntimeException e) {
            Logger.error(e, "mood estimate failed; window {} without mood", t0);
        }
        Location loc = location(t0, dur, endNanos);
        int pct = battery == null ? 0 : (int) Math.round(Math.max(0, Math.min(100, battery.stateOfChargePercent())));
        int mv = battery == null ? 0 : (int) Math.round(battery.volts() * 1000);
        Set<DeviceStatus.Flag> faults = EnumSet.copyOf(windowFaults.isEmpty()
                ? EnumSet.noneOf(DeviceStatus.Flag.class) : windowFaults);
        return new WindowInputs(hr, act, loc, mood, pct, mv, (int) Math.round(dieTempC * 10), RSSI_DBM, false,
                faults);
    }

    /** Epoch durations are whole 2 s epochs; trims rest (then the rest) so the total never exceeds dur. */
    private static Activity activity(ActivitySummary a, int dur) {
        int rest = a.restS();
        int walk = a.walkS();
        int run = a.runS();
        int play = a.playS();
        int over = rest + walk + run + play - dur;
        int[] parts = {rest, walk, run, play};
        for (int i = 0; i < parts.length && over > 0; i++) {
            int cut = Math.min(over, parts[i]);
            parts[i] -= cut;
            over -= cut;
        }
        return new Activity(a.steps(), parts[0], parts[1], parts[2], parts[3], a.peakMg());
    }

    /** The newest fix of the window and, newest first, earlier fixes at least 30 s apart. */
    private Location location(long t0, int dur, long endNanos) {
        if (fixes.isEmpty()) {
            return null;
        }
        Fix newest = fixes.get(fixes.size() - 1);
        int age = (int) Math.max(0, Math.min(dur, (endNanos - newest.tNanos()) / 1_000_000_000L));
        long newestT = t0 + dur - age;
        List<TrailPoint> trail = new ArrayList<>();
        long lastT = newestT;
        for (int i = fixes.size() - 2; i >= 0; i--) {
            Fix f = fixes.get(i);
            long t = Math.floorDiv(epochMsAt(f.tNanos()), 1000L);
            if (t < t0 || lastT - t < TRAIL_SPACING_S) {
                continue;
            }
            trail.add(new TrailPoint((int) Math.floorDiv(f.latE7() + 50L, 100L),
                    (int) Math.floorDiv(f.lonE7() + 50L, 100L), t));
            lastT = t;
        }
        int hacc = newest.haccDm() == null ? 0 : Math.min(newest.haccDm(), 65_535);
        return new Location(newest.latE7(), newest.lonE7(), hacc, age, trail);
    }

    /** A growable primitive array, reused from window to window. */
    private static final class DoubleBuffer {
        private double[] a;
        private int n;

        DoubleBuffer(int initial) {
            a = new double[initial];
        }

        void add(double v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[n++] = v;
        }

        int size() {
            return n;
        }

        double[] toArray() {
            return Arrays.copyOf(a, n);
        }

        void clear() {
            n = 0;
        }
    }
}
