package com.pettysync.drivers.diag;

import com.pettysync.drivers.retry.Backoff;
import com.pettysync.drivers.SensorStatus;
import com.pettysync.drivers.battery.BatteryReading;
import com.pettysync.drivers.battery.BatterySensor;
import com.pettysync.drivers.heartrate.HeartRateSensor;
import com.pettysync.drivers.heartrate.PpgBatch;
import com.pettysync.drivers.heartrate.PpgSample;
import com.pettysync.drivers.motion.MotionSample;
import com.pettysync.drivers.motion.MotionSensor;
import com.pettysync.drivers.poll.SensorPoller;
import com.pettysync.drivers.position.Fix;
import com.pettysync.drivers.position.NmeaCounters;
import com.pettysync.drivers.position.PositionSensor;
import com.pettysync.drivers.voice.AudioBlock;
import com.pettysync.drivers.voice.Microphone;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The factory test behind {@code diag sensors}: polls every part for a while through a {@link SensorPoller} and
 * judges each one: found (no fault at the end), delivering (at least 80 % of its nominal rate) and in range.
 *
 * <p>A sensor that faulted at any time during the check fails, even if it recovered (showing its last fault).
 *
 * <p>Ranges: PPG IR and red means within 1 000..260 000 counts (not dark, not saturated); mean acceleration
 * magnitude 0.7..1.3 g; cell 3.0..4.35 V and SOC 0..101 %; GNSS at least one line with a valid checksum and more
 * valid than corrupt lines (a missing fix is reported, not failed: factories are indoors); microphone RMS above
 * -90 dBFS.
 */
final class SensorCheck {

    /** One line of the report. */
    record Result(String sensor, String part, boolean pass, String detail) {
        String line() {
            return String.format(Locale.ROOT, "%-8s %-16s %-4s %s", sensor, part, pass ? "ok" : "FAIL", detail);
        }
    }

    private final HeartRateSensor hr;
    private final MotionSensor motion;
    private final BatterySensor battery;
    private final PositionSensor gnss;
    private final Microphone mic;
    private final boolean pumpMic;

    private long ppgSamples;
    private long ppgLost;
    private double irSum;
    private double redSum;
    private double dieTemp = Double.NaN;
    private long motionSamples;
    private double magnitudeSum;
    private long steps;
    private BatteryReading lastBattery;
    private long fixes;
    private Fix lastFix;
    private long micSamples;
    private double micSquares;

    SensorCheck(HeartRateSensor hr, MotionSensor motion, BatterySensor battery, PositionSensor gnss, Microphone mic,
            boolean pumpMic) {
        this.hr = hr;
        this.motion = motion;
        this.battery = battery;
        this.gnss = gnss;
        this.mic = mic;
        this.pumpMic = pumpMic;
    }

    private SensorPoller poller;

    SensorPoller poller(com.pettysync.drivers.MonotonicClock clock) {
        SensorPoller p = poller = new SensorPoller(clock, Backoff.doubling(Duration.ofMillis(250), Duration.ofSeconds(2)),
                (s, st) -> { });
        p.add(hr, Duration.ofMillis(100), () -> {
            PpgBatch b = hr.read();
            ppgLost += b.lostSamples();
            for (PpgSample s : b.samples()) {
                ppgSamples++;
                irSum += s.ir();
                redSum += s.red();
            }
            double t = hr.dieTemperature();
            if (!Double.isNaN(t)) {
                dieTemp = t;
            }
        });
        p.add(motion, Duration.ofMillis(250), () -> {
            for (MotionSample s : motion.read()) {
                motionSamples++;
                magnitudeSum += s.accelerationMagnitude();
            }
            steps = motion.stepCount();
        });
        p.add(battery, Duration.ofSeconds(1), () -> lastBattery = battery.read());
        p.add(gnss, Duration.ofMillis(200), () -> {
            for (Fix f : gnss.read()) {
                fixes++;
                lastFix = f;
            }
        });
        p.add(mic, Duration.ofMillis(50), () -> {
            if (pumpMic) {
                mic.pump();
            }
            AudioBlock b = mic.read(16_000);
            for (short s : b.samples()) {
                micSquares += (double) s * s;
            }
            micSamples += b.samples().length;
        });
        return p;
    }

    List<Result> results(double seconds) {
        List<Result> r = new ArrayList<>();
        r.add(judge(hr.status(), "hr", "MAX30102 @0x57", () -> {
            double ir = irSum / Math.max(1, ppgSamples);
            double red = redSum / Math.max(1, ppgSamples);
            boolean ok = ppgSamples >= 0.8 * hr.sampleRate() * seconds && inRange(ir, 1000, 260_000)
                    && inRange(red, 1000, 260_000);
            return new Result("hr", "MAX30102 @0x57", ok, String.format(Locale.ROOT,
                    "%d samples in %.1f s, IR %.0f red %.0f counts, lost %d, die %.2f C", ppgSamples, seconds, ir,
                    red, ppgLost, dieTemp));
        }));
        r.add(judge(motion.status(), "motion", "LSM6DSOX @0x6a", () -> {
            double g = magnitudeSum / Math.max(1, motionSamples);
            boolean ok = motionSamples >= 0.8 * motion.sampleRate() * seconds && inRange(g, 0.7, 1.3);
            return new Result("motion", "LSM6DSOX @0x6a", ok, String.format(Locale.ROOT,
                    "%d samples in %.1f s, mean |a| %.3f g, %d steps", motionSamples, seconds, g, steps));
        }));
        r.add(judge(battery.status(), "battery", "MAX17048 @0x36", () -> {
            BatteryReading b = lastBattery;
            boolean ok = b != null && inRange(b.volts(), 3.0, 4.35) && inRange(b.stateOfChargePercent(), 0, 101);
            return new Result("battery", "MAX17048 @0x36", ok, b == null ? "no reading" : String.format(Locale.ROOT,
                    "%.3f V, %.1f %%", b.volts(), b.stateOfChargePercent()));
        }));
        r.add(judge(gnss.status(), "gnss", "u-blox NMEA", () -> {
            NmeaCounters c = gnss.counters();
            long corrupt = c.badChecksum() + c.skipped() - c.unknown();
            long valid = c.sentences() - corrupt;
            boolean ok = valid > 0 && valid > corrupt;
            String fix = lastFix == null ? "no fix yet" : String.format(Locale.ROOT,
                    "%d fixes, last %.6f,%.6f ±%s m, %s sats", fixes,
                    lastFix.latE7() == null ? Double.NaN : lastFix.latE7() / 1e7,
                    lastFix.lonE7() == null ? Double.NaN : lastFix.lonE7() / 1e7,
                    lastFix.haccDm() == null ? "?" : String.format(Locale.ROOT, "%.1f", lastFix.haccDm() / 10.0),
                    lastFix.sats() == null ? "?" : lastFix.sats());
            return new Result("gnss", "u-blox NMEA", ok, String.format(Locale.ROOT,
                    "%d sentences, %d bad checksum, %d skipped; %s", c.sentences(), c.badChecksum(), c.skipped(), fix));
        }));
        r.add(judge(mic.status(), "mic", "I2S mic", () -> {
            double rms = Math.sqrt(micSquares / Math.max(1, micSamples)) / 32768.0;
            double dbfs = 20 * Math.log10(Math.max(rms, 1e-9));
            boolean ok = micSamples >= 0.8 * 16_000 * seconds && dbfs > -90;
            return new Result("mic", "I2S mic", ok, String.format(Locale.ROOT,
                    "%d samples in %.1f s, %.1f dBFS RMS, %d overruns", micSamples, seconds, dbfs, mic.overruns()));
        }));
        return r;
    }

    /** Fails a sensor that is faulted now, or was at any time during the check (then it shows the last fault). */
    private Result judge(SensorStatus status, String sensor, String part, java.util.function.Supplier<Result> ifOk) {
        if (!status.isOk()) {
            return new Result(sensor, part, false, status.toString());
        }
        SensorPoller.Counters c = poller.counters(sensor);
        if (c.lastFault() != null) {
            return new Result(sensor, part, false, c.lastFault() + ", recovered " + c.recoveries() + " time(s)");
        }
        return ifOk.get();
    }

    private static boolean inRange(double v, double lo, double hi) {
        return v >= lo && v <= hi;
    }
}
