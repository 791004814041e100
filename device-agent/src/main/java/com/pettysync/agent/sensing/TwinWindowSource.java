package com.pettysync.agent.sensing;

import com.pettysync.agent.raw.RawSamples;
import com.pettysync.agent.voice.Episode;
import com.pettysync.agent.window.FaultCodes;
import com.pettysync.agent.window.WindowInputs;
import com.pettysync.contract.telemetry.DeviceStatus;
import com.pettysync.drivers.SensorStatus;
import com.pettysync.drivers.poll.SensorPoller;
import com.pettysync.drivers.position.GnssPowerMode;
import com.pettysync.drivers.twin.DogBehaviourModel;
import com.pettysync.drivers.twin.SimulatedClock;
import com.pettysync.drivers.twin.SimulatedCollar;
import com.pettysync.drivers.twin.TwinFault;
import com.pettysync.ml.vocal.VocalizationClassifier;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

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
public final class TwinWindowSource implements WindowInputs.Source, FaultCodes, Episode.Source, SensorStates,
        GnssDutyCycle, RawSamples.Source, AutoCloseable {
    private final long seed;
    private final double homeLat;
    private final double homeLon;
    private final VocalizationClassifier classifier;
    private final boolean ownsClassifier;
    private final Map<String, TwinFault> pendingFaults = new HashMap<>();

    private SimulatedClock clock;
    private SimulatedCollar collar;
    private SensorPoller poller;
    private volatile SensorWindow window; // set on the window thread, read by lostMode from any thread
    private Consumer<Episode> episodeSink;
    private RawSamples.Sink rawSink;
    private volatile Boolean lostMode; // null until the agent says; the twin receiver starts in live mode

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

    @Override
    public void lostMode(boolean on) {
        lostMode = on;
        SensorWindow w = window;
        if (w != null) {
            w.wantGnss(on ? GnssPowerMode.LIVE : GnssPowerMode.NORMAL);
        }
    }

    /** The vocalisation model's own version (its metadata), reported as {@code fw.model} in every frame. */
    @Override
    public long modelVersion() {
        return classifier.metadata().version();
    }

    /** True when the GNSS twin gave a fix within the last minute of simulated time (for {@code clock_gnss}). */
    public boolean gnssTimeValid() {
        return window != null && window.fixWithin(clock.nanos(), 60_000_000_000L);
    }

    /** The driver's fault code ({@code FaultCode.code()}) behind a fault flag of the last window; 0 if none. */
    @Override
    public int codeOf(DeviceStatus.Flag faultFlag) {
        return window == null ? 0 : window.codeOf(faultFlag);
    }

    @Override
    public void onEpisode(Consumer<Episode> sink) {
        this.episodeSink = sink;
        if (window != null) {
            window.onEpisode(sink);
        }
    }

    @Override
    public void onRawSamples(RawSamples.Sink sink) {
        this.rawSink = sink;
        if (window != null) {
            window.onRawSamples(sink);
        }
    }

    /** Current status of each sensor by name (empty before the first window). */
    @Override
    public Map<String, SensorStatus> statuses() {
        return window == null ? Map.of() : window.statuses();
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
        long next = poller.runDue();
        while (next <= end) {
            clock.advanceTo(Math.max(next, clock.nanos()));
            next = poller.runDue();
        }
        if (clock.nanos() < end) {
            clock.advanceTo(end);
        }
        return window.close(t0, dur, end);
    }

    private void start(long t0) {
        clock = new SimulatedClock(Instant.ofEpochSecond(t0));
        collar = new SimulatedCollar(new DogBehaviourModel(seed, homeLat, homeLon), clock, seed);
        pendingFaults.forEach(collar::inject);
        pendingFaults.clear();
        window = new SensorWindow(classifier, clock.origin().toEpochMilli(), 0);
        window.onEpisode(episodeSink);
        window.onRawSamples(rawSink);
        Boolean lost = lostMode;
        if (lost != null) {
            window.wantGnss(lost ? GnssPowerMode.LIVE : GnssPowerMode.NORMAL);
        }
        poller = new SensorPoller(clock, SensorPoller.Backoff.DEFAULT, window::onStatus);
        CollarSensors parts = new CollarSensors(collar.heartRate(), collar.motion(), collar.gnss(),
                collar.microphone(), collar.battery());
        window.register(poller, parts, collar.microphone()::pump);
    }

    private long nanosAt(long epochS) {
        return (epochS - clock.origin().getEpochSecond()) * 1_000_000_000L;
    }

    @Override
    public void close() {
        if (ownsClassifier) {
            classifier.close();
        }
    }
}
