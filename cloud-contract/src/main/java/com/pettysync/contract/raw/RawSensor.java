package com.pettysync.contract.raw;

import com.pettysync.contract.frame.ContractViolation;
import java.util.Locale;

/**
 * A sensor whose raw samples a collar can stream (wire contract §9): the chunk's key 3 ({@link #code()}) and the
 * name in the shadow's {@code rawCapture.sensors} and in the decoded JSON ({@link #jsonName()}).
 */
public enum RawSensor {
    /** The MAX30102 photoplethysmograph, 100 samples/s. */
    PPG(RawSampleFormat.PPG_RED_IR_U18),
    /** The LSM6DSOX accelerometer + gyroscope, 52 samples/s. */
    IMU(RawSampleFormat.IMU_MG_DDPS_S16);

    private final RawSampleFormat format;

    RawSensor(RawSampleFormat format) {
        this.format = format;
    }

    /** The wire code: 0 ppg, 1 imu. */
    public int code() {
        return ordinal();
    }

    /** {@code ppg}, {@code imu}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The one sample format this sensor's chunks use. */
    public RawSampleFormat format() {
        return format;
    }

    /** The sensor of wire code {@code code}. */
    public static RawSensor ofCode(long code, String path) {
        if (code < 0 || code >= values().length) {
            throw new ContractViolation(path, "sensor must be 0 … " + (values().length - 1));
        }
        return values()[(int) code];
    }

    /** The sensor named {@code name}, or {@code null}. */
    public static RawSensor ofJsonName(String name) {
        for (RawSensor s : values()) {
            if (s.jsonName().equals(name)) {
                return s;
            }
        }
        return null;
    }
}
