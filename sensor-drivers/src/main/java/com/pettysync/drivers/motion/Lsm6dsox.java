package com.pettysync.drivers.motion;

import com.pettysync.drivers.FaultCode;
import com.pettysync.drivers.MonotonicClock;
import com.pettysync.drivers.SensorFault;
import com.pettysync.drivers.SensorStatus;
import com.pettysync.drivers.bus.BusException;
import com.pettysync.drivers.bus.I2cBus;
import java.util.ArrayList;
import java.util.List;

/**
 * Driver of the ST LSM6DSOX 6-axis IMU: accelerometer ±8 g and gyroscope ±500 dps, both at 52 Hz, read from its
 * FIFO in bursts, with the embedded pedometer enabled.
 *
 * <p>Registers (datasheet DS12814 rev. 3, section 8 "Register mapping" and section 9 "Register description"):
 * WHO_AM_I 0x0F = 0x6C; CTRL1_XL 0x10 (ODR_XL 0011 = 52 Hz, FS_XL 11 = ±8 g); CTRL2_G 0x11 (ODR_G 0011, FS_G 01 =
 * 500 dps); CTRL3_C 0x12 (BDU, IF_INC, SW_RESET); STATUS_REG 0x1E (XLDA bit 0, GDA bit 1); OUTX_L_G 0x22 ..
 * OUTZ_H_A 0x2D, little-endian two's complement. Sensitivities from table 2 "Mechanical characteristics":
 * 0.244 mg/LSB at ±8 g, 17.50 mdps/LSB at ±500 dps.
 *
 * <p>Pedometer (section 10 "Embedded functions registers", application note AN5272 "pedometer"): FUNC_CFG_ACCESS
 * 0x01 bit 7 switches to the embedded-functions bank, where EMB_FUNC_EN_A 0x04 bit 3 is PEDO_EN, STEP_COUNTER_L/H are
 * 0x62/0x63 and EMB_FUNC_SRC 0x64 bit 7 is PEDO_RST_STEP. The bank is switched back to the user bank after every
 * access, also when the access fails (a later {@link #open()} writes the user bank selection first).
 *
 * <p>FIFO (section 9 FIFO_CTRL1..4 0x07..0x0A, FIFO_STATUS1/2 0x3A/0x3B, FIFO_DATA_OUT_TAG 0x78 and
 * FIFO_DATA_OUT_X_L..Z_H 0x79..0x7E; application note AN5272 "First-in, first-out (FIFO) buffer"): accelerometer and
 * gyroscope are batched at 52 Hz in continuous mode, so a poll every few hundred milliseconds is enough (the 3 kbyte FIFO
 * holds 512 words, about 4.9 s of both sensors). Each FIFO word is a tag byte (sensor in bits 7..3: 0x01 gyroscope,
 * 0x02 accelerometer) and six data
 * bytes, read as one 7-byte burst. An accelerometer word makes a sample together with the latest gyroscope word.
 * The newest sample of a read gets the read time, earlier ones are spaced 1/52 s before it. When the FIFO filled up,
 * the oldest words were overwritten: {@link #overruns()} counts the reads that found FIFO_OVR set.
 *
 * <p>Faults: NO_ACK, WRONG_PART, STUCK when the FIFO stays empty for {@link #STUCK_AFTER_NANOS}.
 */
public final class Lsm6dsox implements MotionSensor {
    public static final int ADDRESS = 0x6A;
    public static final int ADDRESS_SDO_HIGH = 0x6B;
    public static final int SAMPLE_RATE = 52;
    public static final long STUCK_AFTER_NANOS = 1_000_000_000L;

    static final int FUNC_CFG_ACCESS = 0x01;
    static final int WHO_AM_I = 0x0F;
    static final int WHO_AM_I_VALUE = 0x6C;
    static final int CTRL1_XL = 0x10;
    static final int CTRL2_G = 0x11;
    static final int CTRL3_C = 0x12;
    static final int FIFO_CTRL3 = 0x09;
    static final int FIFO_CTRL4 = 0x0A;
    static final int FIFO_STATUS1 = 0x3A;
    static final int FIFO_DATA_OUT_TAG = 0x78;
    static final int FIFO_BDR_52HZ = 0x33; // BDR_GY = BDR_XL = 0011 (52 Hz)
    static final int FIFO_MODE_CONTINUOUS = 0x06;
    static final int TAG_GYRO = 0x01;
    static final int TAG_ACCEL = 0x02;
    static final int MAX_WORDS_PER_READ = 1024;
    // embedded functions bank
    static final int EMB_FUNC_EN_A = 0x04;
    static final int STEP_COUNTER_L = 0x62;
    static final int EMB_FUNC_SRC = 0x64;

    static final int CTRL1_XL_VALUE = 0b0011_11_00; // 52 Hz, ±8 g
    static final int CTRL2_G_VALUE = 0b0011_01_00; // 52 Hz, 500 dps
    static final int CTRL3_C_VALUE = 0b0100_0100; // BDU, IF_INC
    static final int SW_RESET = 0x01;
    static final int PEDO_EN = 0x08;
    static final int PEDO_RST_STEP = 0x80;

    static final float G_PER_LSB = 0.244e-3f;
    static final float DPS_PER_LSB = 17.5e-3f;

    private final I2cBus bus;
    private final int address;
    private final MonotonicClock clock;
    private final byte[] word = new byte[7];
    private final byte[] fifoStatus = new byte[2];
    private final float[] gyro = new float[3];
    private long overruns;
    private final byte[] steps = new byte[2];
    private volatile SensorStatus status = SensorStatus.fault(FaultCode.NO_ACK, "not opened");
    private long lastSampleNanos;
    private int lastRawSteps;
    private long totalSteps;

    public Lsm6dsox(I2cBus bus, int address, MonotonicClock clock) {
        this.bus = bus;
        this.address = address;
        this.clock = clock;
    }

    public Lsm6dsox(I2cBus bus, MonotonicClock clock) {
        this(bus, ADDRESS, clock);
    }

    @Override
    public String name() {
        return "motion";
    }

    @Override
    public int sampleRate() {
        return SAMPLE_RATE;
    }

    @Override
    public SensorStatus status() {
        return status;
    }

    @Override
    public void open() throws SensorFault {
        try {
            bus.writeRegister(address, FUNC_CFG_ACCESS, 0x00); // user bank, in case a failed access left it
            int id = bus.readRegister(address, WHO_AM_I);
            if (id != WHO_AM_I_VALUE) {
                throw fail(new SensorFault(FaultCode.WRONG_PART,
                        String.format("LSM6DSOX WHO_AM_I reads 0x%02x, expected 0x6c", id)));
            }
            bus.writeRegister(address, CTRL3_C, SW_RESET);
            for (int i = 0; i < 10 && (bus.readRegister(address, CTRL3_C) & SW_RESET) != 0; i++) {
                // SW_RESET clears itself (CTRL3_C description)
            }
            bus.writeRegister(address, CTRL3_C, CTRL3_C_VALUE);
            bus.writeRegister(address, CTRL1_XL, CTRL1_XL_VALUE);
            bus.writeRegister(address, CTRL2_G, CTRL2_G_VALUE);
            bus.writeRegister(address, FIFO_CTRL4, 0x00); // bypass mode empties the FIFO
            bus.writeRegister(address, FIFO_CTRL3, FIFO_BDR_52HZ);
            bus.writeRegister(address, FIFO_CTRL4, FIFO_MODE_CONTINUOUS);
            bus.writeRegister(address, FUNC_CFG_ACCESS, 0x80);
            try {
                bus.writeRegister(address, EMB_FUNC_EN_A, PEDO_EN);
                bus.writeRegister(address, EMB_FUNC_SRC, PEDO_RST_STEP);
            } finally {
                bus.writeRegister(address, FUNC_CFG_ACCESS, 0x00);
            }
        } catch (BusException e) {
            throw fail(SensorFault.of("LSM6DSOX", e));
        }
        lastSampleNanos = clock.nanos();
        lastRawSteps = 0;
        totalSteps = 0;
        overruns = 0;
        status = SensorStatus.OK;
    }

    @Override
    public List<MotionSample> read() throws SensorFault {
        long now = clock.nanos();
        List<float[]> accel = new ArrayList<>();
        try {
            bus.readBlock(address, FIFO_STATUS1, fifoStatus, 0, 2);
            int words = (fifoStatus[0] & 0xFF) | (fifoStatus[1] & 0x03) << 8;
            if ((fifoStatus[1] & 0x40) != 0) {
                overruns++;
            }
            if (words == 0) {
                if (now - lastSampleNanos > STUCK_AFTER_NANOS) {
                    throw fail(new SensorFault(FaultCode.STUCK, "LSM6DSOX FIFO has been empty for "
                            + (now - lastSampleNanos) / 1_000_000 + " ms"));
                }
                status = SensorStatus.OK;
                return List.of();
            }
            for (int i = 0; i < Math.min(words, MAX_WORDS_PER_READ); i++) {
                bus.readBlock(address, FIFO_DATA_OUT_TAG, word, 0, word.length);
                int tag = (word[0] & 0xFF) >>> 3;
                if (tag == TAG_ACCEL) {
                    accel.add(new float[] {word(1) * G_PER_LSB, word(3) * G_PER_LSB, word(5) * G_PER_LSB,
                        gyro[0], gyro[1], gyro[2]});
                } else if (tag == TAG_GYRO) {
                    gyro[0] = word(1) * DPS_PER_LSB;
                    gyro[1] = word(3) * DPS_PER_LSB;
                    gyro[2] = word(5) * DPS_PER_LSB;
                }
            }
        } catch (BusException e) {
            throw fail(SensorFault.of("LSM6DSOX", e));
        }
        lastSampleNanos = now;
        status = SensorStatus.OK;
        long period = 1_000_000_000L / SAMPLE_RATE;
        List<MotionSample> samples = new ArrayList<>(accel.size());
        for (int i = 0; i < accel.size(); i++) {
            float[] a = accel.get(i);
            samples.add(new MotionSample(now - (accel.size() - 1L - i) * period, a[0], a[1], a[2], a[3], a[4], a[5]));
        }
        return samples;
    }

    /** Reads that found the FIFO had overflowed (oldest data overwritten) since {@link #open()}. */
    public long overruns() {
        return overruns;
    }

    private int word(int offset) {
        return (short) ((word[offset] & 0xFF) | (word[offset + 1] << 8));
    }

    @Override
    public long stepCount() throws SensorFault {
        try {
            bus.writeRegister(address, FUNC_CFG_ACCESS, 0x80);
            try {
                bus.readBlock(address, STEP_COUNTER_L, steps, 0, 2);
            } finally {
                bus.writeRegister(address, FUNC_CFG_ACCESS, 0x00);
            }
        } catch (BusException e) {
            throw fail(SensorFault.of("LSM6DSOX", e));
        }
        int raw = (steps[0] & 0xFF) | (steps[1] & 0xFF) << 8;
        totalSteps += (raw - lastRawSteps) & 0xFFFF;
        lastRawSteps = raw;
        return totalSteps;
    }

    private SensorFault fail(SensorFault f) {
        status = SensorStatus.of(f);
        return f;
    }
}
