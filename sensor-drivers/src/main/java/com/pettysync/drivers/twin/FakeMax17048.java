package com.pettysync.drivers.twin;

import com.pettysync.drivers.bus.BusException;

/**
 * Register-level twin of the MAX17048 fuel gauge: 16-bit registers read MSB first, VERSION 0x0012, a cell that
 * drains linearly from {@code startSocPercent} at {@code drainPercentPerHour} of the simulated clock, with a
 * Li-ion open-circuit-voltage curve (3.3 V empty … 4.2 V full). Fault: {@link TwinFault#NACK}.
 */
public final class FakeMax17048 implements RegisterDevice {
    private final SimulatedClock clock;
    private final double startSoc;
    private final double drainPerHour;
    private volatile TwinFault fault = TwinFault.NONE;

    public FakeMax17048(SimulatedClock clock, double startSocPercent, double drainPercentPerHour) {
        this.clock = clock;
        this.startSoc = startSocPercent;
        this.drainPerHour = drainPercentPerHour;
    }

    public void inject(TwinFault f) {
        fault = f;
    }

    /** State of charge now, percent. */
    public double soc() {
        return Math.max(0, Math.min(100, startSoc - drainPerHour * clock.nanos() / 3.6e12));
    }

    /** Open-circuit voltage at {@link #soc()}. */
    public double volts() {
        double x = soc() / 100;
        return 3.3 + 0.75 * Math.pow(x, 0.7) + 0.15 * x * x;
    }

    private int word(int register) {
        return switch (register) {
            case 0x02 -> (int) Math.round(volts() / 78.125e-6) & 0xFFFF;
            case 0x04 -> (int) Math.round(soc() * 256) & 0xFFFF;
            case 0x08 -> 0x0012;
            case 0x0C -> 0x971C; // CONFIG reset value
            default -> 0;
        };
    }

    @Override
    public int read(int register) throws BusException {
        if (fault == TwinFault.NACK) {
            throw new BusException("no ACK from 0x36", true);
        }
        int w = word(register & ~1);
        return (register & 1) == 0 ? w >> 8 : w & 0xFF;
    }

    @Override
    public void write(int register, int value) throws BusException {
        if (fault == TwinFault.NACK) {
            throw new BusException("no ACK from 0x36", true);
        }
    }
}
