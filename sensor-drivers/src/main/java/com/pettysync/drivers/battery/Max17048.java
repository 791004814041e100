package com.pettysync.drivers.battery;

import com.pettysync.drivers.FaultCode;
import com.pettysync.drivers.MonotonicClock;
import com.pettysync.drivers.SensorFault;
import com.pettysync.drivers.SensorStatus;
import com.pettysync.drivers.bus.BusException;
import com.pettysync.drivers.bus.I2cBus;

/**
 * Driver of the Maxim/Analog MAX17048 single-cell fuel gauge (ModelGauge, no sense resistor).
 *
 * <p>Registers are 16 bits, MSB first (datasheet MAX17048/MAX17049 rev. 7, table 2 "Register Summary"):
 * VCELL 0x02 with 78.125 µV per LSB; SOC 0x04 with 1/256 % per LSB; VERSION 0x08 (0x001_ for this family).
 * Identification accepts VERSION 0x0010..0x001F. A reading outside 0..5.12 V cannot happen on the part and is not
 * checked; a cell below 2.5 V or above 4.5 V is reported as {@link FaultCode#OUT_OF_RANGE}.
 */
public final class Max17048 implements BatterySensor {
    public static final int ADDRESS = 0x36;
    static final int VCELL = 0x02;
    static final int SOC = 0x04;
    static final int VERSION = 0x08;
    static final double VOLTS_PER_LSB = 78.125e-6;

    private final I2cBus bus;
    private final int address;
    private final MonotonicClock clock;
    private final byte[] word = new byte[2];
    private volatile SensorStatus status = SensorStatus.fault(FaultCode.NO_ACK, "not opened");

    public Max17048(I2cBus bus, int address, MonotonicClock clock) {
        this.bus = bus;
        this.address = address;
        this.clock = clock;
    }

    public Max17048(I2cBus bus, MonotonicClock clock) {
        this(bus, ADDRESS, clock);
    }

    @Override
    public String name() {
        return "battery";
    }

    @Override
    public SensorStatus status() {
        return status;
    }

    @Override
    public void open() throws SensorFault {
        int version;
        try {
            version = readWord(VERSION);
        } catch (BusException e) {
            throw fail(SensorFault.of("MAX17048", e));
        }
        if ((version & 0xFFF0) != 0x0010) {
            throw fail(new SensorFault(FaultCode.WRONG_PART,
                    String.format("MAX17048 VERSION reads 0x%04x, expected 0x001x", version)));
        }
        status = SensorStatus.OK;
    }

    @Override
    public BatteryReading read() throws SensorFault {
        int vcell;
        int soc;
        try {
            vcell = readWord(VCELL);
            soc = readWord(SOC);
        } catch (BusException e) {
            throw fail(SensorFault.of("MAX17048", e));
        }
        double volts = vcell * VOLTS_PER_LSB;
        if (volts < 2.5 || volts > 4.5) {
            throw fail(new SensorFault(FaultCode.OUT_OF_RANGE, String.format("MAX17048 cell at %.3f V", volts)));
        }
        status = SensorStatus.OK;
        return new BatteryReading(clock.nanos(), volts, soc / 256.0);
    }

    private int readWord(int register) throws BusException {
        bus.readBlock(address, register, word, 0, 2);
        return (word[0] & 0xFF) << 8 | (word[1] & 0xFF);
    }

    private SensorFault fail(SensorFault f) {
        status = SensorStatus.of(f);
        return f;
    }
}
