package com.pettysync.drivers.twin;

import com.pettysync.drivers.battery.Max17048;
import com.pettysync.drivers.heartrate.Max30102;
import com.pettysync.drivers.motion.Lsm6dsox;
import com.pettysync.drivers.position.SerialGnss;
import com.pettysync.drivers.voice.I2sFormat;
import com.pettysync.drivers.voice.Microphone;
import java.util.Locale;

/**
 * A whole collar in simulation: the twins of every part, driven by one {@link DogBehaviourModel} and one
 * {@link SimulatedClock}, and the REAL drivers wired to them (the I2C drivers over a {@link FakeI2cBus}, the GNSS
 * reader over the {@link NmeaTwin} stream, the microphone over the {@link VocalizationSynth}). Deterministic for a
 * given model, clock origin and seed, as long as the clock is advanced the same way.
 *
 * <p>The microphone is driven synchronously: call {@code microphone().pump()} before reading it (no thread).
 */
public final class SimulatedCollar {
    private final SimulatedClock clock;
    private final DogBehaviourModel model;
    private final FakeI2cBus bus = new FakeI2cBus();
    private final FakeMax30102 ppgTwin;
    private final FakeLsm6dsox imuTwin;
    private final FakeMax17048 gaugeTwin;
    private final NmeaTwin gnssTwin;
    private final VocalizationSynth micTwin;
    private final Max30102 heartRate;
    private final Lsm6dsox motion;
    private final Max17048 battery;
    private final SerialGnss gnss;
    private final Microphone microphone;

    public SimulatedCollar(DogBehaviourModel model, SimulatedClock clock, long seed) {
        this.clock = clock;
        this.model = model;
        ppgTwin = new FakeMax30102(clock, model, seed + 1);
        imuTwin = new FakeLsm6dsox(clock, model, seed + 2);
        gaugeTwin = new FakeMax17048(clock, 80, 2.5);
        gnssTwin = new NmeaTwin(clock, model, seed + 3);
        micTwin = new VocalizationSynth(clock, model, seed + 4);
        bus.attach(Max30102.ADDRESS, ppgTwin).attach(Lsm6dsox.ADDRESS, imuTwin).attach(Max17048.ADDRESS, gaugeTwin);
        heartRate = new Max30102(bus, clock);
        motion = new Lsm6dsox(bus, clock);
        battery = new Max17048(bus, clock);
        gnss = new SerialGnss(gnssTwin, clock);
        microphone = new Microphone(() -> micTwin, I2sFormat.sph0645(), clock, 1 << 16);
    }

    /**
     * Injects a fault into one twin. Sensors: {@code hr}, {@code motion}, {@code gnss}, {@code mic},
     * {@code battery}; faults as {@link TwinFault} names.
     *
     * @throws IllegalArgumentException for an unknown sensor or a fault that sensor cannot show
     */
    public void inject(String sensor, TwinFault fault) {
        boolean ok = switch (sensor) {
            case "hr" -> fault == TwinFault.NONE || fault == TwinFault.NACK || fault == TwinFault.STUCK;
            case "motion" -> fault == TwinFault.NONE || fault == TwinFault.NACK || fault == TwinFault.STUCK;
            case "battery" -> fault == TwinFault.NONE || fault == TwinFault.NACK;
            case "gnss" -> fault == TwinFault.NONE || fault == TwinFault.NACK || fault == TwinFault.GARBLED
                    || fault == TwinFault.NO_FIX;
            case "mic" -> fault == TwinFault.NONE || fault == TwinFault.NACK || fault == TwinFault.SILENCE;
            default -> throw new IllegalArgumentException("unknown sensor '" + sensor
                    + "' (hr, motion, gnss, mic, battery)");
        };
        if (!ok) {
            throw new IllegalArgumentException("sensor " + sensor + " cannot show fault "
                    + fault.name().toLowerCase(Locale.ROOT));
        }
        switch (sensor) {
            case "hr" -> ppgTwin.inject(fault);
            case "motion" -> imuTwin.inject(fault);
            case "battery" -> gaugeTwin.inject(fault);
            case "gnss" -> gnssTwin.inject(fault);
            default -> micTwin.inject(fault);
        }
    }

    public SimulatedClock clock() {
        return clock;
    }

    public DogBehaviourModel model() {
        return model;
    }

    public FakeI2cBus bus() {
        return bus;
    }

    public FakeMax30102 ppgTwin() {
        return ppgTwin;
    }

    public FakeLsm6dsox imuTwin() {
        return imuTwin;
    }

    public FakeMax17048 gaugeTwin() {
        return gaugeTwin;
    }

    public NmeaTwin gnssTwin() {
        return gnssTwin;
    }

    public VocalizationSynth micTwin() {
        return micTwin;
    }

    public Max30102 heartRate() {
        return heartRate;
    }

    public Lsm6dsox motion() {
        return motion;
    }

    public Max17048 battery() {
        return battery;
    }

    public SerialGnss gnss() {
        return gnss;
    }

    public Microphone microphone() {
        return microphone;
    }
}
