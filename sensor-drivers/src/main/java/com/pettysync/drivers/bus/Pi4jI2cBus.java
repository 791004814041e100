package com.pettysync.drivers.bus;

import com.pi4j.context.Context;
import com.pi4j.io.i2c.I2C;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link I2cBus} on a Pi4J 3 context with the {@code linuxfs-i2c} provider (the one that works on a Pi 5;
 * {@code pigpio} does not). The context is created and shut down by the caller; this class only opens one Pi4J
 * {@link I2C} device per address on first use and closes them in {@link #close()}.
 *
 * <p>Pi4J reports a failed transfer either as a negative count or as a runtime exception (errno wrapped); both
 * become {@link BusException}. Linux reports a missing device as {@code ENXIO}/{@code EREMOTEIO}, which is mapped
 * to {@link BusException#noAck()}.
 */
public final class Pi4jI2cBus implements I2cBus, AutoCloseable {
    public static final String PROVIDER = "linuxfs-i2c";

    private final Context context;
    private final int bus;
    private final Map<Integer, I2C> devices = new HashMap<>();

    public Pi4jI2cBus(Context context, int bus) {
        this.context = context;
        this.bus = bus;
    }

    private synchronized I2C device(int address) throws BusException {
        I2C device = devices.get(address);
        if (device == null) {
            try {
                device = context.create(I2C.newConfigBuilder(context).id("i2c-" + bus + "-" + Integer.toHexString(address))
                        .bus(bus).device(address).provider(PROVIDER).build());
            } catch (RuntimeException e) {
                throw BusException.unavailable("cannot open /dev/i2c-" + bus + " address 0x"
                        + Integer.toHexString(address) + ": " + e.getMessage(), e);
            }
            devices.put(address, device);
        }
        return device;
    }

    @Override
    public int readRegister(int address, int register) throws BusException {
        I2C d = device(address);
        int v;
        try {
            v = d.readRegister(register);
        } catch (RuntimeException e) {
            throw translate(address, e);
        }
        if (v < 0) {
            throw new BusException(where(address) + " read of register 0x" + Integer.toHexString(register)
                    + " failed (" + v + ")", false);
        }
        return v & 0xFF;
    }

    @Override
    public void writeRegister(int address, int register, int value) throws BusException {
        I2C d = device(address);
        int n;
        try {
            n = d.writeRegister(register, (byte) value);
        } catch (RuntimeException e) {
            throw translate(address, e);
        }
        if (n < 0) {
            throw new BusException(where(address) + " write of register 0x" + Integer.toHexString(register)
                    + " failed (" + n + ")", false);
        }
    }

    @Override
    public void readBlock(int address, int register, byte[] destination, int offset, int length)
            throws BusException {
        I2C d = device(address);
        int n;
        try {
            n = d.readRegister(register, destination, offset, length);
        } catch (RuntimeException e) {
            throw translate(address, e);
        }
        if (n != length) {
            throw new BusException(where(address) + " burst read of " + length + " bytes returned " + n, false);
        }
    }

    private String where(int address) {
        return "i2c-" + bus + " 0x" + Integer.toHexString(address);
    }

    private BusException translate(int address, RuntimeException e) {
        String m = String.valueOf(e.getMessage());
        boolean noAck = m.contains("ENXIO") || m.contains("EREMOTEIO") || m.contains("No such device")
                || m.contains("Remote I/O");
        return new BusException(where(address) + ": " + m, noAck, e);
    }

    @Override
    public synchronized void close() {
        for (I2C d : devices.values()) {
            try {
                d.close();
            } catch (RuntimeException ignored) {
                // closing a device that already failed: nothing left to release
            }
        }
        devices.clear();
    }
}
