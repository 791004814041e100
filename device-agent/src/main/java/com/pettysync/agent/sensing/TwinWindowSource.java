package com.pettysync.agent.sensing;

import com.pettysync.agent.voice.Episode;
import com.pettysync.agent.window.FaultCodes;
import com.pettysync.agent.window.WindowInputs;
import com.pettysync.contract.telemetry.Activity;
import com.pettysync.contract.telemetry.DeviceStatus;
import com.pettysync.contract.telemetry.HeartRate;
import com.pettysync.contract.telemetry.Location;
import com.pettysync.contract.telemetry.Mood;
import com.pettysync.contract.telemetry.MoodClass;
import com.pettysync.contract.telemetry.TrailPoint;
import com.pettysync.drivers.SensorFault;
import com.pettysync.drivers.SensorStatus;
import com.pettysync.drivers.battery.BatteryReading;
import com.pettysync.drivers.heartrate.PpgBatch;
import com.pettysync.drivers.heartrate.PpgSample;
import com.pettysync.drivers.motion.MotionSample;
import com.pettysync.drivers.poll.SensorPoller;
import com.pettysync.drivers.position.Fix;
import com.pettysync.drivers.twin.DogBehaviourModel;
import com.pettysync.drivers.twin.SimulatedClock;
import com.pettysync.drivers.twin.SimulatedCollar;
import com.pettysync.drivers.twin.TwinFault;
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
import java.time.Instant;
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
 * The {@code --simulated} window source: the register-level sensor twins of {@code sensor-drivers}
 * ({@link SimulatedCollar} over a {@link DogBehaviourModel}) read by the REAL drivers through a {@link SensorPoller},
 * and the samples fed to {@code edge-ml} (heart rate, activity, vocalisation classifier, mood) to give each
 * window's {@link WindowInputs}.
 *
 * <p><b>Time.</b> The twins run on their own {@link SimulatedClock}, anchored at the epoch second of the first
 * window. {@link #collect(long, int)} (called by the aggregator when the agent's injected clock closes the window
 * {@code [t0, t0 + dur)}) advances that clock to {@code t0 + dur} polling every sensor at its real period, as fast
 * as the CPU allows; the agent's clock therefore drives the twins, and a simulated agent clock gives deterministic
 * frames (no thread, no sleep). A gap (a window that was never collected) is skipped without polling.
 *
 * <p><b>Failure model.</b> A sensor fault (NACK, stuck FIFO, garbled NMEA, silent mic, or a driver throwing) is
 * caught by the poller, which retries with back-off; a sensor that was faulted at any moment of the window sets its
 * frame flag ({@code fault_hr}, {@code fault_imu}, {@code fault_gnss}, {@code fault_mic}; the battery gauge has no
 * flag and keeps its last reading) and the agent turns a rising flag into the sensor-fault event. An edge-ml
 * stage that throws costs only its own section of that window (logged). The window's samples are dropped after
 * each window; audio is streamed through the pipeline (the classifier runs only where the energy gate opens); each
 * episode goes to the {@link #onEpisode} sink as it is found (with its clip, in wall-clock time) and only counts are
 * kept here. A sink that throws is logged and costs nothing else. The TFLite model is loaded once, by the caller or
 * {@link #create}.
 *
 * <p>Not thread-safe; the agent calls it from its one window thread.
 */
public final class TwinWindowSource implements WindowInputs.Source, FaultCodes, Episode.Source, AutoCloseable {
    private static final Duration PPG_PERIOD = Duration.ofMillis(100);
    private static final Duration IMU_PERIOD = Duration.ofMillis(250);
    private static final Duration GNSS_PERIOD = Duration.ofMillis(250);
    private static final Duration MIC_PERIOD = Duration.ofMillis(100);
    private static final Duration BATTERY_PERIOD = Duration.ofSeconds(10);
    private static final int TRAIL_SPACING_S = 30;
    private static final int RSSI_DBM = -65; // no radio twin yet

    private final long seed;
    private final double homeLat;
    private final double homeLon;
    private final VocalizationClassifier classifier;
    private final boolean ownsClassifier;
    private final HeartRateEstimator hrEstimator = new HeartRateEstimator();
    private final ActivityEstimator activityEstimator = new ActivityEstimator();
    private final MoodEstimator moodEstimator = new MoodEstimator();
    private final HeartRateBaseline baseline = new HeartRateBaseline();
    private final Map<String, TwinFault> pendingFaults = new HashMap<>();

    private SimulatedClock clock;
    private SimulatedCollar collar;
    private SensorPoller poller;
    private VocalizationPipeline vocal;

    // per-window buffers
    private final DoubleBuffer ir = new DoubleBuffer(30_000);
    private final DoubleBuffer ax = new DoubleBuffer(16_000);
    private final DoubleBuffer ay = new DoubleBuffer(16_000);
    private final DoubleBuffer az = new DoubleBuffer(16_000);
    private final List<Fix> fixes = new ArrayList<>();
    private final EnumSet<DeviceStatus.Flag> windowFaults = EnumSet.noneOf(DeviceStatus.Flag.class);
    private final Map<DeviceStatus.Flag, Integer> faultCodes = new HashMap<>();
    private final Map<String, SensorStatus> statuses = new HashMap<>();
    private int barks;
    private int growls;
    private int whines;
    private int howls;
    private long stepCount = -1;
    private long stepCountAtStart = -1;
    private BatteryReading battery;
    private double dieTempC = 30.0;
    private Fix lastFix;
    private Consumer<Episode> episodeSink;
    private long streamSamples; // samples fed to the vocal pipeline so far

    /**
     * @param thingName  seeds the dog and the twins (the same collar always gives the same dog)
     * @param homeLat    the dog's home, degrees
     * @param homeLon    the dog's home, degrees
     * @param classifier the vocalisation classifier, loaded once (not closed by this source)
     */
    public TwinWindowSource(String thingName, double homeLat, double homeLon, VocalizationClassifier classifier) {
        this(thingName.hashCode(), homeLat, homeLon, classifier, false);
    }

    private TwinWindowSource(long seed, double homeLat, double homeLon, VocalizationClassifier classifier,
            boolean owns) {
        this.seed = seed;
        this.homeLat = homeLat;
        this.homeLon = homeLon;
        this.classifier = classifier;
        this.ownsClassifier = owns;
    }

    /** A source with the bundled TFLite model, closed with the source. */
    public static TwinWindowSource create(String thingName, double homeLat, double homeLon) {
        return new TwinWindowSource(thingName.hashCode(), homeLat, homeLon, VocalizationClassifier.bundled(), true);
    }

    /**
     * Injects a twin fault ({@code hr}, {@code motion}, {@code gnss}, {@code mic}, {@code battery}; see
     * {@link SimulatedCollar#inject}); applied at once, or when the twins start with the first window.
     */
    public void inject(String sensor, TwinFault fault) {
        if (collar != null) {
            collar.inject(sensor, fault);
        } else {
            pendingFaults.put(sensor, fault);
        }
    }

    /** The vocalisation model's own version (its metadata), reported as {@code fw.model} in every frame. */
    @Override
    public long modelVersion() {
        return classifier.metadata().version();
    }

    /** True when the GNSS twin gave a fix within the last minute of simulated time (for {@code clock_gnss}). */
    public boolean gnssTimeValid() {
        return lastFix != null && clock != null && clock.nanos() - lastFix.tNanos() <= 60_000_000_000L;
    }

    /** The driver's fault code ({@code FaultCode.code()}) behind a fault flag of the last window; 0 if none. */
    @Override
    public int codeOf(DeviceStatus.Flag faultFlag) {
        return faultCodes.getOrDefault(faultFlag, 0);
    }

    @Override
    public void onEpisode(Consumer<Episode> sink) {
        this.episodeSink = sink;
    }

    /** Current status of each sensor by name (empty before the first window). */
    public Map<String, SensorStatus> statuses() {
        return Map.copyOf(statuses);
    }

    @Override
    public WindowInputs collect(long t0, int dur) {
        if (collar == null) {
            start(t0);
        }
        long start = nanosAt(t0);
        long end = nanosAt(t0 + dur);
        if (clock.nanos() < start) {
            clock.advanceTo(start); // a window nobody collected: skip it without polling
        }
        beginWindow();
        long next = poller.runDue();
        while (next <= end) {
            clock.advanceTo(Math.max(next, clock.nanos()));
            next = poller.runDue();
        }
        if (clock.nanos() < end) {
            clock.advanceTo(end);
        }
        try {
            return summarise(t0, dur, end);
        } finally {
            clearWindow();
        }
    }

    private void start(long t0) {
        clock = new SimulatedClock(Instant.ofEpochSecond(t0));
        collar = new SimulatedCollar(new DogBehaviourModel(seed, homeLat, homeLon), clock, seed);
        pendingFaults.forEach(collar::inject);
        pendingFaults.clear();
        vocal = new VocalizationPipeline(classifier);
        poller = new SensorPoller(clock, SensorPoller.Backoff.DEFAULT, this::onStatus);
        poller.add(collar.heartRate(), PPG_PERIOD, this::pollPpg);
        poller.add(collar.motion(), IMU_PERIOD, this::pollImu);
        poller.add(collar.gnss(), GNSS_PERIOD, this::pollGnss);
        poller.add(collar.microphone(), MIC_PERIOD, this::pollMic);
        poller.add(collar.battery(), BATTERY_PERIOD, this::pollBattery);
    }

    private long nanosAt(long epochS) {
        return (epochS - clock.origin().getEpochSecond()) * 1_000_000_000L;
    }

    private void onStatus(String sensor, SensorStatus status) {
        statuses.put(sensor, status);
        flagFault(sensor, status);
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

    private void pollPpg() throws SensorFault {
        PpgBatch b = collar.heartRate().read();
        for (PpgSample s : b.samples()) {
            ir.add(s.ir());
        }
    }

    private void pollImu() throws SensorFault {
        for (MotionSample s : collar.motion().read()) {
            ax.add(s.ax() * 1000.0);
            ay.add(s.ay() * 1000.0);
            az.add(s.az() * 1000.0);
        }
        stepCount = collar.motion().stepCount();
        if (stepCountAtStart < 0) {
            stepCountAtStart = stepCount;
        }
    }

    private void pollGnss() throws SensorFault {
        for (Fix f : collar.gnss().read()) {
            if (f.latE7() != null && f.lonE7() != null) {
                fixes.add(f);
                lastFix = f;
            }
        }
    }

    private void pollMic() throws SensorFault {
        collar.microphone().pump();
        AudioBlock block = collar.microphone().read(1 << 16);
        if (block.samples().length > 0) {
            // stream ms -> Unix ms, anchored at this block's first sample (gaps before it are accounted for)
            long offsetMs = clock.origin().toEpochMilli() + Math.floorDiv(block.tNanos(), 1_000_000L)
                    - streamSamples * 1000 / LogMelSpectrogram.SAMPLE_RATE;
            streamSamples += block.samples().length;
            count(vocal.feed(block.samples()), offsetMs);
        }
    }

    private void pollBattery() throws SensorFault {
        battery = collar.battery().read();
        try {
            dieTempC = collar.heartRate().dieTemperature();
        } catch (SensorFault | RuntimeException e) {
            // the PPG's own poll reports its fault; the temperature keeps its last value
        }
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
        barks += c.barks();
        growls += c.growls();
        whines += c.whines();
        howls += c.howls();
    }

    private void beginWindow() {
        windowFaults.clear();
        faultCodes.clear();
        statuses.forEach(this::flagFault); // still faulted from an earlier window: flagged again
        stepCountAtStart = stepCount;
    }

    private void clearWindow() {
        ir.clear();
        ax.clear();
        ay.clear();
        az.clear();
        fixes.clear();
        barks = growls = whines = howls = 0;
    }

    private WindowInputs summarise(long t0, int dur, long endNanos) {
        AccelTrace accel = ax.size() == 0 ? null
                : new AccelTrace(collar.motion().sampleRate(), ax.toArray(), ay.toArray(), az.toArray());
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
            long t = clock.origin().getEpochSecond() + Math.floorDiv(f.tNanos(), 1_000_000_000L);
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

    @Override
    public void close() {
        if (ownsClassifier) {
            classifier.close();
        }
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
