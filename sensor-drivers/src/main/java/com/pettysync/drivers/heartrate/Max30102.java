package com.pettysync.drivers.heartrate;

import com.pettysync.drivers.FaultCode;
import com.pettysync.drivers.MonotonicClock;
import com.pettysync.drivers.SensorFault;
import com.pettysync.drivers.SensorStatus;
import com.pettysync.drivers.bus.BusException;
import com.pettysync.drivers.bus.I2cBus;
import java.util.ArrayList;
import java.util.List;

/**
 * Driver of the Maxim/Analog MAX30102 pulse-oximetry front end (also the MAX30101 in its red/IR mode).
 *
 * <p>Configuration (datasheet MAX30102 rev. 1, "Register Maps and Descriptions", table 1): SpO2 mode (red + IR),
 * ADC at 400 samples/s with 4-sample FIFO averaging, so {@value #SAMPLE_RATE} samples/s reach the FIFO; 411 µs
 * pulses (18-bit); ADC range 4096 nA; FIFO roll-over disabled so that a full FIFO keeps its oldest samples and the
 * part counts the lost ones in OVF_COUNTER instead of silently overwriting.
 *
 * <p>Reading ("FIFO Configuration" / "FIFO Data" sections): the number of unread samples is
 * {@code (FIFO_WR_PTR - FIFO_RD_PTR) mod 32}; when OVF_COUNTER is non-zero the FIFO is full (32 samples, even
 * though the pointers are equal). All samples are fetched in one burst read of FIFO_DATA (6 bytes per sample:
 * red then IR, 3 bytes each, MSB first, 18 valid bits); the part advances FIFO_RD_PTR itself.
 *
 * <p>A FIFO that holds exactly 32 samples with nothing lost yet also has equal pointers and reads as empty (the
 * part's own ambiguity; only A_FULL would tell): poll at least every 250 ms (25 samples) to stay clear of it.
 *
 * <p>Timestamps: the newest sample of a burst gets the read time, earlier ones are spaced 10 ms before it. After an
 * overflow the gap shows up as {@link PpgBatch#lostSamples()}, never as invented samples.
 *
 * <p>Faults: no ACK → {@link FaultCode#NO_ACK}; PART_ID other than 0x15 → {@link FaultCode#WRONG_PART}; a write
 * pointer that does not move and no overflow for {@link #STUCK_AFTER_NANOS} → {@link FaultCode#STUCK}.
 */
public final class Max30102 implements HeartRateSensor {
    public static final int ADDRESS = 0x57;
    public static final int SAMPLE_RATE = 100;
    public static final long STUCK_AFTER_NANOS = 1_000_000_000L;

    // Register addresses, datasheet table "Register Maps and Descriptions".
    static final int INT_STATUS_1 = 0x00;
    static final int FIFO_WR_PTR = 0x04;
    static final int OVF_COUNTER = 0x05;
    static final int FIFO_RD_PTR = 0x06;
    static final int FIFO_DATA = 0x07;
    static final int FIFO_CONFIG = 0x08;
    static final int MODE_CONFIG = 0x09;
    static final int SPO2_CONFIG = 0x0A;
    static final int LED1_PA = 0x0C; // red
    static final int LED2_PA = 0x0D; // IR
    static final int TEMP_INT = 0x1F;
    static final int TEMP_FRAC = 0x20;
    static final int TEMP_CONFIG = 0x21;
    static final int PART_ID = 0xFF;
    static final int PART_ID_VALUE = 0x15;

    static final int FIFO_DEPTH = 32;
    static final int BYTES_PER_SAMPLE = 6;
    /** SMP_AVE = 010 (4 samples averaged), FIFO_ROLLOVER_EN = 0, FIFO_A_FULL = 0xF. */
    static final int FIFO_CONFIG_VALUE = 0b010_0_1111;
    /** SPO2_ADC_RGE = 01 (4096 nA), SPO2_SR = 011 (400 sps), LED_PW = 11 (411 µs, 18 bit). */
    static final int SPO2_CONFIG_VALUE = 0b0_01_011_11;
    /** MODE = 011: SpO2 mode, red and IR LEDs. */
    static final int MODE_SPO2 = 0x03;
    static final int MODE_RESET = 0x40;

    private final I2cBus bus;
    private final int address;
    private final MonotonicClock clock;
    private final int redCurrent;
    private final int irCurrent;
    private final byte[] burst = new byte[FIFO_DEPTH * BYTES_PER_SAMPLE];
    private volatile SensorStatus status = SensorStatus.fault(FaultCode.NO_ACK, "not opened");
    private long lastProgressNanos;
    private double lastTemperature = Double.NaN;
    private boolean temperaturePending;

    /**
     * @param redCurrentSteps LED1_PA in 0.2 mA steps (0x24 = 7.2 mA)
     * @param irCurrentSteps LED2_PA in 0.2 mA steps
     */
    public Max30102(I2cBus bus, int address, MonotonicClock clock, int redCurrentSteps, int irCurrentSteps) {
        this.bus = bus;
        this.address = address;
        this.clock = clock;
        this.redCurrent = checkByte(redCurrentSteps);
        this.irCurrent = checkByte(irCurrentSteps);
    }

    /** At the default address with 7.2 mA on both LEDs. */
    public Max30102(I2cBus bus, MonotonicClock clock) {
        this(bus, ADDRESS, clock, 0x24, 0x24);
    }

    private static int checkByte(int v) {
        if (v < 0 || v > 0xFF) {
            throw new IllegalArgumentException("LED current must be 0..255 steps of 0.2 mA: " + v);
        }
        return v;
    }

    @Override
    public String name() {
        return "hr";
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
            int id = bus.readRegister(address, PART_ID);
            if (id != PART_ID_VALUE) {
                throw fail(new SensorFault(FaultCode.WRONG_PART, String.format(
                        "MAX30102 PART_ID reads 0x%02x, expected 0x15", id)));
            }
            bus.writeRegister(address, MODE_CONFIG, MODE_RESET);
            // RESET clears itself when the reset is done (datasheet "Mode Configuration"); a few reads suffice.
            for (int i = 0; i < 10 && (bus.readRegister(address, MODE_CONFIG) & MODE_RESET) != 0; i++) {
                // re-read
            }
            bus.writeRegister(address, FIFO_CONFIG, FIFO_CONFIG_VALUE);
            bus.writeRegister(address, SPO2_CONFIG, SPO2_CONFIG_VALUE);
            bus.writeRegister(address, LED1_PA, redCurrent);
            bus.writeRegister(address, LED2_PA, irCurrent);
            bus.writeRegister(address, FIFO_WR_PTR, 0);
            bus.writeRegister(address, OVF_COUNTER, 0);
            bus.writeRegister(address, FIFO_RD_PTR, 0);
            bus.writeRegister(address, MODE_CONFIG, MODE_SPO2);
            bus.readRegister(address, INT_STATUS_1); // clears the power-ready flag
        } catch (BusException e) {
            throw fail(SensorFault.of("MAX30102", e));
        }
        lastProgressNanos = clock.nanos();
        temperaturePending = false;
        status = SensorStatus.OK;
    }

    @Override
    public PpgBatch read() throws SensorFault {
        long now = clock.nanos();
        int n;
        int lost;
        try {
            int wr = bus.readRegister(address, FIFO_WR_PTR) & 0x1F;
            lost = bus.readRegister(address, OVF_COUNTER) & 0x1F;
            int rd = bus.readRegister(address, FIFO_RD_PTR) & 0x1F;
            n = (wr - rd) & (FIFO_DEPTH - 1);
            if (n == 0 && lost > 0) {
                n = FIFO_DEPTH; // pointers equal and overflowing: the FIFO is full
            }
            if (n > 0) {
                bus.readBlock(address, FIFO_DATA, burst, 0, n * BYTES_PER_SAMPLE);
            }
        } catch (BusException e) {
            throw fail(SensorFault.of("MAX30102", e));
        }
        if (n == 0) {
            if (now - lastProgressNanos > STUCK_AFTER_NANOS) {
                throw fail(new SensorFault(FaultCode.STUCK, "MAX30102 FIFO write pointer has not moved for "
                        + (now - lastProgressNanos) / 1_000_000 + " ms"));
            }
            status = SensorStatus.OK;
            return new PpgBatch(List.of(), 0);
        }
        lastProgressNanos = now;
        long period = 1_000_000_000L / SAMPLE_RATE;
        List<PpgSample> samples = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int o = i * BYTES_PER_SAMPLE;
            int red = ((burst[o] & 0xFF) << 16 | (burst[o + 1] & 0xFF) << 8 | (burst[o + 2] & 0xFF)) & 0x3FFFF;
            int ir = ((burst[o + 3] & 0xFF) << 16 | (burst[o + 4] & 0xFF) << 8 | (burst[o + 5] & 0xFF)) & 0x3FFFF;
            samples.add(new PpgSample(now - (long) (n - 1 - i) * period, red, ir));
        }
        status = SensorStatus.OK;
        return new PpgBatch(samples, lost);
    }

    @Override
    public double dieTemperature() throws SensorFault {
        try {
            if (temperaturePending && (bus.readRegister(address, TEMP_CONFIG) & 0x01) == 0) {
                // Datasheet "Temperature Data": TINT is two's complement °C, TFRAC bits 3:0 in 0.0625 °C steps.
                int integer = (byte) bus.readRegister(address, TEMP_INT);
                int fraction = bus.readRegister(address, TEMP_FRAC) & 0x0F;
                lastTemperature = integer + fraction * 0.0625;
                temperaturePending = false;
            }
            if (!temperaturePending) {
                bus.writeRegister(address, TEMP_CONFIG, 0x01); // TEMP_EN, self-clearing
                temperaturePending = true;
            }
        } catch (BusException e) {
            throw fail(SensorFault.of("MAX30102", e));
        }
        return lastTemperature;
    }

    private SensorFault fail(SensorFault f) {
        status = SensorStatus.of(f);
        return f;
    }
}
