package com.pettysync.drivers.position;

import java.util.List;

/**
 * The receiver's power modes of {@code hardware.md}, each with the UBX commands that select it on a u-blox M10
 * (see {@link Ubx} for the interface description relied on).
 *
 * <ul>
 *   <li>{@code OFF}: UBX-RXM-PMREQ into backup until UART activity wakes it.</li>
 *   <li>{@code ECO}: a fix every 60 s: CFG-PM-OPERATEMODE = PSMOO (on/off), CFG-PM-POSUPDATEPERIOD = 60 s.</li>
 *   <li>{@code NORMAL}: a fix every 10 s: CFG-PM-OPERATEMODE = PSMCT (cyclic tracking), CFG-RATE-MEAS = 10000 ms.</li>
 *   <li>{@code LIVE}: continuous, 1 Hz: CFG-PM-OPERATEMODE = FULL, CFG-RATE-MEAS = 1000 ms (lost-dog mode).</li>
 * </ul>
 * Settings go to the RAM layer only, so a power cycle returns the receiver to its defaults.
 */
public enum GnssPowerMode {
    OFF(0),
    ECO(60),
    NORMAL(10),
    LIVE(1);

    /** A few 0xFF bytes on RX wake a receiver in backup (it ignores them), sent before the first command. */
    static final byte[] WAKE = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
            (byte) 0xFF, (byte) 0xFF};

    private final int fixIntervalSeconds;

    GnssPowerMode(int fixIntervalSeconds) {
        this.fixIntervalSeconds = fixIntervalSeconds;
    }

    /** Seconds between fixes; 0 for OFF. */
    public int fixIntervalSeconds() {
        return fixIntervalSeconds;
    }

    /** The UBX frames that put the receiver into this mode, in order. */
    public List<byte[]> commands() {
        return switch (this) {
            case OFF -> List.of(Ubx.powerOff(0));
            case ECO -> List.of(Ubx.valset(Ubx.CFG_RATE_MEAS, 1000, Ubx.CFG_PM_POSUPDATEPERIOD, 60,
                    Ubx.CFG_PM_OPERATEMODE, 1));
            case NORMAL -> List.of(Ubx.valset(Ubx.CFG_RATE_MEAS, 10_000, Ubx.CFG_PM_OPERATEMODE, 2));
            case LIVE -> List.of(Ubx.valset(Ubx.CFG_RATE_MEAS, 1000, Ubx.CFG_PM_OPERATEMODE, 0));
        };
    }
}
