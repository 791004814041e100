package com.pettysync.drivers.twin;

import com.pettysync.drivers.bus.BusException;
import com.pettysync.drivers.bus.I2cBus;
import java.util.Map;
import java.util.TreeMap;

/**
 * An in-memory I2C bus of {@link RegisterDevice}s. An address without a device answers like an empty bus: no ACK.
 * Counts transfers, so tests can check that a driver does not hammer a faulted part. Thread-safe (one lock per bus,
 * like the kernel's adapter lock).
 */
public final class FakeI2cBus implements I2cBus {
    private final Map<Integer, RegisterDevice> devices = new TreeMap<>();
    private long transfers;

    public synchronized FakeI2cBus attach(int address, RegisterDevice device) {
        devices.put(address, device);
        return this;
    }

    public synchronized void detach(int address) {
        devices.remove(address);
    }

    public synchronized long transfers() {
        return transfers;
    }

    private RegisterDevice at(int address) throws BusException {
        transfers++;
        RegisterDevice d = devices.get(address);
        if (d == null) {
            throw new BusException(String.format("no ACK from 0x%02x", address), true);
        }
        return d;
    }

    @Override
    public synchronized int readRegister(int address, int register) throws BusException {
        return at(address).read(register) & 0xFF;
    }

    @Override
    public synchronized void writeRegister(int address, int register, int value) throws BusException {
        at(address).write(register, value & 0xFF);
    }

    @Override
    public synchronized void readBlock(int address, int register, byte[] destination, int offset, int length)
            throws BusException {
        at(address).readBlock(register, destination, offset, length);
    }
}
