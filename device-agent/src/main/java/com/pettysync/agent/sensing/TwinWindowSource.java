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
 * <p><b>Time.</b> The twins run on their own {@link SimulatedClock}. Two ways to drive it:
 * <ul>
 * <li><b>Real time</b> ({@link #runInRealTime}, what {@code --simulated} does on the real clock): the twins are
 * anchored at the wall clock's second and a thread ({@code sensor-twins}) keeps the simulated clock on the wall
 * clock, polling each sensor when it is due, as a collar's polling threads do; observations (fixes, sliding heart
 * rate, gauge readings, sensor states) reach the {@link #observe observer} within a poll period of happening, and
 * {@link #collect} only summarises the window.</li>
 * <li><b>Stepped</b> (the default, for tests on a simulated agent clock): anchored at the epoch second of the first
 * window; {@link #collect(long, int)} (called when the agent's injected clock closes the window {@code [t0, t0 + dur)})
 * advances the twins to {@code t0 + dur} polling every sensor at its real period, as fast as the CPU allows, so a
 * simulated agent clock gives deterministic frames and observations (no thread, no sleep). A gap (a window that was
 * never collected) is skipped without polling.</li>
 * </ul>
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
 * <p>Thread-safe: the window thread collects, the {@code sensor-twins} thread polls (in real time), the shadow sets
 * the receiver mode.
 */
public final class TwinWindowSource implements CollarSource, FaultCodes {
    private final long seed;
    private final double homeLat;
    private final double homeLon;
    private final VocalModel model;
    private final boolean ownsClassifier;
    private final Map<String, TwinFault> pendingFaults = new HashMap<>();

    private SimulatedClock clock;
    private SimulatedCollar collar;
    private SensorPoller poller;
    private volatile SensorWindow window; // set on the window thread, read by lostMode from any thread
    private Consumer<Episode> episodeSink;
    private RawSamples.Sink rawSink;
    private volatile GnssPowerMode gnssMode; // null until the agent says
    private Observations observations = Observations.NONE;
    private Thread realTime; // the sensor-twins thread, when running in real time
    private volatile boolean running = true;

    /**
     * @param thingName  seeds the dog and the twins (the same collar always gives the same dog)
     * @param homeLat    the dog's home, degrees
     * @param homeLon    the dog's home, degrees
     * @param classifier the vocalisation classifier, loaded once (not closed by this source)
     */
    public TwinWindowSource(String thingName, double homeLat, double homeLon, VocalizationClassifier classifier) {
        this(thingName.hashCode(), homeLat, homeLon, VocalModel.of(classifier), false);
    }

    /** A source over {@code model} (present or absent); not closed by this source. */
    public TwinWindowSource(String thingName, double homeLat, double homeLon, VocalModel model) {
        this(thingName.hashCode(), homeLat, homeLon, model, false);
    }

    private TwinWindowSource(long seed, double homeLat, double homeLon, VocalModel model, boolean owns) {
        this.seed = seed;
        this.homeLat = homeLat;
        this.homeLon = homeLon;
        this.model = model;
        this.ownsClassifier = owns;
    }

    /** A source with the bundled TFLite model (or none, where TFLite cannot load), closed with the source. */
    public static TwinWindowSource create(String thingName, double homeLat, double homeLon) {
        return create(thingName, homeLat, homeLon, VocalModel.bundled());
    }

    /** A source with the given vocalisation model (a kept OTA model, or none), closed with the source. */
    public static TwinWindowSource create(String thingName, double homeLat, double homeLon, VocalModel model) {
        return new TwinWindowSource(thingName.hashCode(), homeLat, homeLon, model, true);
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
    public void gnssMode(GnssPowerMode mode) {
        gnssMode = mode;
        SensorWindow w = window;
        if (w != null) {
            w.wantGnss(mode);
        }
    }

    @Override
    public GnssState gnss() {
        SensorWindow w = window;
        return w == null ? GnssState.NONE : w.gnssState();
    }

    @Override
    public com.fasterxml.jackson.databind.node.ObjectNode moodInputs() {
        SensorWindow w = window;
        return w == null ? null : w.moodInputs();
    }

    @Override
    public ClassifierState classifier() {
        return model.state();
    }

    /** Where observations go as they are made (the agent's event rules). */
    @Override
    public void observe(Observations o) {
        observations = o;
        SensorWindow w = window;
        if (w != null) {
            w.observe(o);
        }
    }

    /**
     * Runs the twins in real time on {@code wall} from now on (a {@code sensor-twins} thread polls each sensor when
     * it is due); {@link #collect} then only summarises. Call once, before the first window closes.
     */
    public synchronized void runInRealTime(java.time.Clock wall) {
        if (realTime != null) {
            return;
        }
        start(Math.floorDiv(wall.millis(), 1000L));
        long originMs = clock.origin().toEpochMilli();
        realTime = Thread.ofPlatform().name("sensor-twins").daemon(true).start(() -> {
            while (running) {
                try {
                    long target = (wall.millis() - originMs) * 1_000_000L;
                    long next;
                    synchronized (this) {
                        next = poller.runDue();
                        while (next <= target) {
                            clock.advanceTo(Math.max(next, clock.nanos()));
                            next = poller.runDue();
                        }
                        if (clock.nanos() < target) {
                            clock.advanceTo(target);
                        }
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(Math.max(1_000_000L, next - target));
                } catch (RuntimeException e) {
                    org.tinylog.Logger.error(e, "sensor twins: poll round failed");
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000_000L);
                }
            }
        });
    }

    /** The vocalisation model's own version (its metadata), reported as {@code fw.model} in every frame. */
    @Override
    public long modelVersion() {
        return model.version();
    }

    /** True when the GNSS twin gave a fix within the last minute of simulated time (for {@code clock_gnss}). */
    @Override
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
    public synchronized WindowInputs collect(long t0, int dur) {
        if (realTime != null) {
            return window.close(t0, dur, clock.nanos());
        }
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
        window = new SensorWindow(model.classifier(), clock, clock.origin().toEpochMilli(), 0);
        window.onEpisode(episodeSink);
        window.onRawSamples(rawSink);
        window.observe(observations);
        GnssPowerMode wanted = gnssMode;
        if (wanted != null) {
            window.wantGnss(wanted);
        }
        poller = new SensorPoller(clock, SensorPoller.DEFAULT_BACKOFF, window::onStatus);
        CollarSensors parts = new CollarSensors(collar.heartRate(), collar.motion(), collar.gnss(),
                collar.microphone(), collar.battery());
        window.register(poller, parts, collar.microphone()::pump);
    }

    private long nanosAt(long epochS) {
        return (epochS - clock.origin().getEpochSecond()) * 1_000_000_000L;
    }

    @Override
    public void close() {
        running = false;
        Thread t = realTime;
        if (t != null) {
            java.util.concurrent.locks.LockSupport.unpark(t);
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (ownsClassifier) {
            model.close();
        }
    }
}
