package com.pettysync.contract.telemetry;

import com.pettysync.contract.frame.ContractViolation;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Key 8 {@code dev}: battery (percent, millivolts), temperature (deci-°C), radio RSSI (dBm), outbox backlog
 * (frames) and status flags. {@link #flags()} is an unmodifiable set in bit order.
 */
public record DeviceStatus(int batteryPct, int batteryMv, int tempDc, int rssiDbm, long backlog, Set<Flag> flags) {
    public DeviceStatus {
        Objects.requireNonNull(flags, "flags");
        EnumSet<Flag> copy = EnumSet.noneOf(Flag.class);
        copy.addAll(flags);
        flags = Collections.unmodifiableSet(copy);
    }

    /** The wire value of {@link #flags()}. */
    public int flagBits() {
        return Flag.bits(flags);
    }

    /** A status flag; {@link #bit()} is its value in the {@code flags} integer. */
    public enum Flag {
        CHARGING, LOST_MODE, CLOCK_GNSS, CLOCK_UNSYNCED, FAULT_HR, FAULT_IMU, FAULT_GNSS, FAULT_MIC, OUTBOX_DROPPED;

        /** All defined bits: 1 … 256. */
        public static final int ALL_BITS = (1 << values().length) - 1;

        public int bit() {
            return 1 << ordinal();
        }

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static int bits(Set<Flag> flags) {
            int bits = 0;
            for (Flag f : flags) {
                bits |= f.bit();
            }
            return bits;
        }

        /** The flags of {@code bits}; a bit above 256 is a violation at {@code path}. */
        public static Set<Flag> ofBits(long bits, String path) {
            if (bits < 0 || (bits & ~ALL_BITS) != 0) {
                throw new ContractViolation(path, "flags must be 0 … " + ALL_BITS + " (bits 1 … 256)");
            }
            EnumSet<Flag> set = EnumSet.noneOf(Flag.class);
            for (Flag f : values()) {
                if ((bits & f.bit()) != 0) {
                    set.add(f);
                }
            }
            return set;
        }

        /** The flag named {@code name} in the decoded form, or a violation at {@code path}. */
        public static Flag ofJsonName(String name, String path) {
            for (Flag f : values()) {
                if (f.jsonName().equals(name)) {
                    return f;
                }
            }
            throw new ContractViolation(path, "unknown flag name");
        }
    }
}
