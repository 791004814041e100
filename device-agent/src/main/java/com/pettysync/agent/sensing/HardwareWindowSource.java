package com.pettysync.agent.sensing;

import com.pettysync.agent.config.AgentConfig;
import com.pettysync.agent.raw.RawSamples;
import com.pettysync.agent.voice.Episode;
import com.pettysync.agent.window.FaultCodes;
import com.pettysync.agent.window.WindowInputs;
import com.pettysync.contract.telemetry.DeviceStatus;
import com.pettysync.drivers.MonotonicClock;
import com.pettysync.drivers.SensorStatus;
import com.pettysync.drivers.battery.Max17048;
import com.pettysync.drivers.bus.BusException;
import com.pettysync.drivers.bus.I2cBus;
import com.pettysync.drivers.bus.JSerialCommStream;
import com.pettysync.drivers.bus.Pi4jI2cBus;
import com.pettysync.drivers.bus.ReopeningSerialStream;
import com.pettysync.drivers.heartrate.Max30102;
import com.pettysync.drivers.motion.Lsm6dsox;
import com.pettysync.drivers.poll.SensorPoller;
import com.pettysync.drivers.position.GnssPowerMode;
import com.pettysync.drivers.position.SerialGnss;
import com.pettysync.drivers.voice.I2sFormat;
import com.pettysync.drivers.voice.JavaSoundSource;
import com.pettysync.drivers.voice.Microphone;
import com.pettysync.ml.vocal.VocalizationClassifier;
import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import org.tinylog.Logger;

/**
 * The {@code sensors: real} window source: the collar's own parts (MAX30102, LSM6DSOX and MAX17048 on I2C through
 * Pi4J's linuxfs provider, the u-blox receiver's NMEA on its UART through jSerialComm, the I2S microphone through
 * ALSA / Java Sound), polled by a {@link SensorPoller} with <b>one thread per sensor</b> on the real monotonic clock,
 * so a bus call that hangs in the kernel stalls only its own sensor. The samples go to the same {@link SensorWindow}
 * as the twins' (edge-ml: heart rate, activity, vocalisations, mood); {@link #collect} summarises what arrived since
 * the previous window.
 *
 * <p>Failure model: a part that is missing, NACKs, stalls or sends garbage is a fault of that sensor (its frame flag
 * and the sensor-fault event; retried with back-off 0.5 s … 60 s), never of the agent; a UART that cannot be opened
 * is opened again on the next attempt; a driver that throws a runtime exception is caught by the poller like a
 * fault. The agent starts and publishes frames (with fault flags) even on a board with none of the parts.
 */
public final class HardwareWindowSource implements WindowInputs.Source, FaultCodes, Episode.Source, SensorStates,
        RawSamples.Source, GnssDutyCycle, AutoCloseable {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);

    private final CollarSensors parts;
    private final MonotonicClock clock;
    private final SensorWindow window;
    private final SensorPoller poller;
    private final VocalizationClassifier classifier;
    private final boolean ownsClassifier;
    private final List<AutoCloseable> resources;
    private boolean started;

    /**
     * A source over these drivers; nothing runs until {@link #start} (or, in tests, {@link #runDue}).
     *
     * @param wall       Unix time of the monotonic clock's current reading (trail points, voice clips)
     * @param resources  closed by {@link #close}, in order, after the sensors stop (buses, ports, Pi4J context)
     */
    HardwareWindowSource(CollarSensors parts, MonotonicClock clock, Clock wall, VocalizationClassifier classifier,
            boolean ownsClassifier, List<AutoCloseable> resources) {
        this.parts = parts;
        this.clock = clock;
        this.classifier = classifier;
        this.ownsClassifier = ownsClassifier;
        this.resources = List.copyOf(resources);
        this.window = new SensorWindow(classifier, wall.millis(), clock.nanos());
        window.wantGnss(GnssPowerMode.NORMAL); // a receiver's mode after boot is unknown: set it on the first poll
        this.poller = new SensorPoller(clock, SensorPoller.Backoff.DEFAULT, window::onStatus);
        window.register(poller, parts, () -> { });
    }

    /**
     * Opens the collar's buses as {@code hw} says and starts polling (one platform thread per sensor, plus the
     * microphone's capture thread). Missing parts are sensor faults, not errors.
     */
    public static HardwareWindowSource open(AgentConfig.Hardware hw, Clock wall) {
        MonotonicClock clock = MonotonicClock.system();
        List<AutoCloseable> resources = new ArrayList<>();
        I2cBus i2c;
        try {
            Context context = Pi4J.newAutoContext();
            Pi4jI2cBus bus = new Pi4jI2cBus(context, hw.i2cBus());
            i2c = bus;
            resources.add(bus);
            resources.add(context::shutdown);
        } catch (RuntimeException | LinkageError e) {
            // no Pi4J platform at all: the I2C parts are faults (retried), the agent still runs
            Logger.error("Pi4J could not start ({}); I2C sensors unavailable", e.toString());
            i2c = unavailableBus("Pi4J could not start: " + e);
        }
        ReopeningSerialStream uart = new ReopeningSerialStream(hw.gnssSerial(),
                () -> JSerialCommStream.open(hw.gnssSerial(), hw.gnssBaud(), 50));
        I2sFormat format = "ics43434".equals(hw.microphone()) ? I2sFormat.ics43434() : I2sFormat.sph0645();
        Microphone mic = new Microphone(() -> JavaSoundSource.open(hw.audioMixer(), format), format, clock, 1 << 16);
        SerialGnss gnss = new SerialGnss(uart, clock);
        resources.add(0, uart);
        resources.add(0, mic::close); // closed first: mic, UART, then the I2C bus and the Pi4J context
        CollarSensors parts = new CollarSensors(new Max30102(i2c, clock), new Lsm6dsox(i2c, clock), gnss, mic,
                new Max17048(i2c, clock));
        HardwareWindowSource source = new HardwareWindowSource(parts, clock, wall, VocalizationClassifier.bundled(),
                true, resources);
        source.start(Thread.ofPlatform().daemon().factory());
        Logger.info("sensors: I2C bus {}, GNSS {} at {} Bd, microphone {}{}", hw.i2cBus(), hw.gnssSerial(),
                hw.gnssBaud(), hw.microphone(), hw.audioMixer().isEmpty() ? "" : " on " + hw.audioMixer());
        return source;
    }

    private static I2cBus unavailableBus(String why) {
        return new I2cBus() {
            @Override
            public int readRegister(int address, int register) throws BusException {
                throw BusException.unavailable(why, null);
            }

            @Override
            public void writeRegister(int address, int register, int value) throws BusException {
                throw BusException.unavailable(why, null);
            }

            @Override
            public void readBlock(int address, int register, byte[] destination, int offset, int length)
                    throws BusException {
                throw BusException.unavailable(why, null);
            }
        };
    }

    /** Starts the polling threads (and the microphone's capture thread, when it has one). */
    public synchronized void start(ThreadFactory threads) {
        if (started) {
            return;
        }
        started = true;
        if (parts.microphone() instanceof Microphone mic) {
            mic.start(Thread.ofPlatform().name("mic-capture").daemon().factory());
        }
        poller.start(threads);
    }

    /** Polls every sensor that is due, in the caller's thread (tests, without {@link #start}). */
    long runDue() {
        return poller.runDue();
    }

    /** Poll, fault and recovery counts of one sensor. */
    public SensorPoller.Counters counters(String sensor) {
        return poller.counters(sensor);
    }

    /** The window {@code [t0, t0 + dur)}: what the sensors delivered since the previous call. */
    @Override
    public WindowInputs collect(long t0, int dur) {
        return window.close(t0, dur, clock.nanos());
    }

    /** True when the receiver gave a fix within the last minute (for {@code clock_gnss}). */
    public boolean gnssTimeValid() {
        return window.fixWithin(clock.nanos(), 60_000_000_000L);
    }

    @Override
    public void lostMode(boolean on) {
        window.wantGnss(on ? GnssPowerMode.LIVE : GnssPowerMode.NORMAL);
    }

    @Override
    public long modelVersion() {
        return classifier.metadata().version();
    }

    @Override
    public int codeOf(DeviceStatus.Flag faultFlag) {
        return window.codeOf(faultFlag);
    }

    @Override
    public void onEpisode(Consumer<Episode> sink) {
        window.onEpisode(sink);
    }

    @Override
    public void onRawSamples(RawSamples.Sink sink) {
        window.onRawSamples(sink);
    }

    @Override
    public Map<String, SensorStatus> statuses() {
        return window.statuses();
    }

    /** Stops the sensor threads (2 s at most), then closes the parts' buses and the classifier. */
    @Override
    public synchronized void close() {
        try {
            poller.stop(STOP_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                Logger.warn("closing a sensor bus failed: {}", e.toString());
            }
        }
        if (ownsClassifier) {
            classifier.close();
        }
    }
}
