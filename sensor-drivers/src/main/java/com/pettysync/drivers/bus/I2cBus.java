package com.pettysync.drivers.bus;

/**
 * One I2C bus as the drivers see it: 8-bit register reads and writes and burst reads, addressed by 7-bit device
 * address. Implementations: {@link Pi4jI2cBus} (Linux {@code /dev/i2c-N} through Pi4J's linuxfs provider) and
 * {@link com.pettysync.drivers.twin.FakeI2cBus} (register-level twins).
 *
 * <p>Failure model: every call either completes or throws {@link BusException}; nothing is retried here.
 * A burst read ({@link #readBlock}) is one I2C transaction (write register address, repeated start, read
 * {@code length} bytes), which is what FIFO-data registers that do not auto-increment rely on.
 */
public interface I2cBus {

    /** Reads one 8-bit register. */
    int readRegister(int address, int register) throws BusException;

    /** Writes one 8-bit register. */
    void writeRegister(int address, int register, int value) throws BusException;

    /** Reads {@code length} bytes starting at {@code register} in one transaction. */
    void readBlock(int address, int register, byte[] destination, int offset, int length) throws BusException;

    /** Whether a device acknowledges {@code address} (a one-byte read). */
    default boolean probe(int address) {
        try {
            readRegister(address, 0);
            return true;
        } catch (BusException e) {
            return false;
        }
    }
}
