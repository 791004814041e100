package com.pettysync.drivers;

import java.util.Objects;

/**
 * A sensor's health: {@link #OK} or a fault with its code and a one-line detail.
 *
 * @param fault null when healthy
 * @param detail human-readable, one line, empty when healthy
 */
public record SensorStatus(FaultCode fault, String detail) {
    public static final SensorStatus OK = new SensorStatus(null, "");

    public SensorStatus {
        detail = Objects.requireNonNullElse(detail, "");
    }

    public static SensorStatus fault(FaultCode code, String detail) {
        return new SensorStatus(Objects.requireNonNull(code), detail);
    }

    public static SensorStatus of(SensorFault f) {
        return fault(f.code(), f.getMessage());
    }

    public boolean isOk() {
        return fault == null;
    }

    @Override
    public String toString() {
        return isOk() ? "ok" : "fault " + fault.code() + " (" + fault.name().toLowerCase() + ": " + detail + ")";
    }
}
