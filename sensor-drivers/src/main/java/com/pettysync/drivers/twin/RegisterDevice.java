package com.pettysync.drivers.twin;

import com.pettysync.drivers.bus.BusException;

/** A simulated I2C part at register level, attached to a {@link FakeI2cBus}. */
public interface RegisterDevice {

    int read(int register) throws BusException;

    void write(int register, int value) throws BusException;

    /** Burst read; by default sequential registers (auto-increment), as most parts do. */
    default void readBlock(int register, byte[] destination, int offset, int length) throws BusException {
        for (int i = 0; i < length; i++) {
            destination[offset + i] = (byte) read(register + i);
        }
    }
}
