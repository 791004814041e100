package com.pettysync.agent.energy;

import com.pettysync.drivers.position.GnssPowerMode;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * The collar's energy estimate per component, from the agent's own counters and the {@link PowerModel}: CPU (this
 * process's CPU time, {@link ProcessCpu}), radio (exchanges, bytes, TLS handshakes, keep-alive pings while
 * connected), GNSS (time in each receiver mode), PPG, IMU, microphone and gauge (time each was working). Each
 * {@link #sample} integrates the interval since the previous one: counters by their difference, states (receiver
 * mode, sensors on) as they were at the interval's start. Reports mean milliwatts and mWh per day per component and
 * the battery hours at a configured capacity, above the board's idle floor.
 *
 * <p>An estimate, not a measurement: only the CPU time is measured (and it is measured on whatever CPU the agent
 * runs on — on a development PC it is smaller than on a Cortex-A53). Not thread-safe: one caller samples (the
 * status writer).
 */
public final class EnergyAccount {
    /** The components, in report order. */
    public enum Component {
        CPU, RADIO, GNSS, PPG, IMU, MIC, GAUGE;

        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One reading of the counters.
     *
     * @param cpuNanos       process CPU time so far
     * @param exchanges      radio exchanges so far (publishes sent + messages received)
     * @param bytes          bytes sent + received so far (MQTT topic + payload)
     * @param handshakes     TLS connections set up so far
     * @param connected      the broker connection is up (keep-alive pings are due)
     * @param keepAliveS     the MQTT keep-alive in force
     * @param gnss           the receiver's mode in force (null: no receiver)
     * @param ppg            the heart-rate sensor is working
     * @param imu            the IMU is working
     * @param mic            the microphone is capturing
     * @param gauge          the fuel gauge is working
     */
    public record Counters(long cpuNanos, long exchanges, long bytes, long handshakes, boolean connected,
            int keepAliveS, GnssPowerMode gnss, boolean ppg, boolean imu, boolean mic, boolean gauge) {
    }

    /**
     * The account so far.
     *
     * @param seconds       time covered
     * @param mw            mean power per component, above the idle floor
     * @param totalMw       their sum
     * @param idleFloorMw   the board's idle floor (the baseline)
     * @param cpuRadioPctOfFloor the agent's own CPU and radio as a share of the floor (the 3 % target)
     * @param batteryMah    the configured capacity
     * @param batteryHours  hours on a full battery at floor + total
     */
    public record Report(double seconds, Map<Component, Double> mw, double totalMw, double idleFloorMw,
            double cpuRadioPctOfFloor, int batteryMah, double batteryHours) {

        /** mWh per day of {@code c} at its mean power. */
        public double mwhPerDay(Component c) {
            return mw.getOrDefault(c, 0.0) * 24;
        }
    }

    private final PowerModel model;
    private final int batteryMah;
    private final EnumMap<Component, Double> millijoules = new EnumMap<>(Component.class);
    private Instant firstAt;
    private Instant lastAt;
    private Counters last;

    public EnergyAccount(PowerModel model, int batteryMah) {
        if (batteryMah <= 0) {
            throw new IllegalArgumentException("batteryMah must be > 0");
        }
        this.model = model;
        this.batteryMah = batteryMah;
        for (Component c : Component.values()) {
            millijoules.put(c, 0.0);
        }
    }

    /** Integrates the interval since the previous sample (the first sample only starts the account). */
    public void sample(Instant now, Counters c) {
        if (last == null) {
            firstAt = now;
            lastAt = now;
            last = c;
            return;
        }
        double s = Duration.between(lastAt, now).toNanos() / 1e9;
        if (s < 0) {
            s = 0; // the clock went backwards: the counters still count
        }
        add(Component.CPU, Math.max(0, c.cpuNanos() - last.cpuNanos()) / 1e9 * model.cpuCoreMw());
        double pings = last.connected() && last.keepAliveS() > 0 ? s / last.keepAliveS() : 0;
        double exchanges = Math.max(0, c.exchanges() - last.exchanges()) + pings;
        add(Component.RADIO, exchanges * model.radioPerExchangeMj()
                + Math.max(0, c.bytes() - last.bytes()) * model.radioPerByteUj() / 1000.0
                + Math.max(0, c.handshakes() - last.handshakes()) * model.radioHandshakeMj());
        add(Component.GNSS, model.gnssMw(last.gnss()) * s);
        add(Component.PPG, last.ppg() ? model.ppgMw() * s : 0);
        add(Component.IMU, last.imu() ? model.imuMw() * s : 0);
        add(Component.MIC, last.mic() ? model.micMw() * s : 0);
        add(Component.GAUGE, last.gauge() ? model.gaugeMw() * s : 0);
        lastAt = now.isAfter(lastAt) ? now : lastAt;
        last = c;
    }

    private void add(Component c, double mj) {
        millijoules.merge(c, mj, Double::sum);
    }

    /** The account so far (zeros before two samples). */
    public Report report() {
        double s = firstAt == null ? 0 : Duration.between(firstAt, lastAt).toNanos() / 1e9;
        EnumMap<Component, Double> mw = new EnumMap<>(Component.class);
        double total = 0;
        for (Component c : Component.values()) {
            double p = s > 0 ? millijoules.get(c) / s : 0;
            mw.put(c, p);
            total += p;
        }
        double cpuRadio = mw.get(Component.CPU) + mw.get(Component.RADIO);
        double hours = batteryMah * model.batteryVolts() * model.converterEfficiency() / (model.idleFloorMw() + total);
        return new Report(s, Map.copyOf(mw), total, model.idleFloorMw(), 100 * cpuRadio / model.idleFloorMw(),
                batteryMah, hours);
    }
}
