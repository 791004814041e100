package com.pettysync.drivers.twin;

import com.pettysync.drivers.MonotonicClock;
import com.pettysync.drivers.bus.BusException;
import java.util.SplittableRandom;

/**
 * Register-level twin of the MAX30102 in SpO2 mode, producing the PPG of the {@link DogBehaviourModel}'s dog.
 *
 * <p>Behaves as the datasheet describes for what the driver uses: PART_ID 0x15; MODE_CONFIG RESET clears the
 * registers and itself; in SpO2 mode a sample enters the 32-deep FIFO every 1/(SR/averaging) s of the clock; with
 * FIFO_ROLLOVER_EN = 0 a full FIFO keeps its samples and OVF_COUNTER counts lost ones (saturating at 31) until a
 * sample is popped; reading FIFO_DATA does not auto-increment the register address and pops a sample every 6 bytes;
 * TEMP_EN starts a die-temperature conversion that is complete at the next access.
 *
 * <p>Signal: IR and red DC levels scaled by the LED currents, a pulse (systolic peak and dicrotic notch) at the
 * model's heart rate, respiration wander, and motion artefacts at the gait cadence whose size grows with the
 * activity; plus seeded white noise. Faults: {@link TwinFault#NACK} (no ACK), {@link TwinFault#STUCK} (the write
 * pointer stops).
 */
public final class FakeMax30102 implements RegisterDevice {
    private final MonotonicClock clock;
    private final SimulatedClock wall;
    private final DogBehaviourModel model;
    private final SplittableRandom noise;
    private final int[] reg = new int[256];
    private final int[] fifoRed = new int[32];
    private final int[] fifoIr = new int[32];
    private int popBytes;
    private long producedUpTo; // index of the next sample to produce
    private long originNanos;
    private double phase;
    private DogState state;
    private long stateSecond = Long.MIN_VALUE;
    private volatile TwinFault fault = TwinFault.NONE;

    public FakeMax30102(SimulatedClock clock, DogBehaviourModel model, long seed) {
        this.clock = clock;
        this.wall = clock;
        this.model = model;
        this.noise = new SplittableRandom(seed);
        powerOnReset();
    }

    private void powerOnReset() {
        java.util.Arrays.fill(reg, 0);
        stored = 0;
        reg[0xFE] = 0x03; // REV_ID
        reg[0xFF] = 0x15; // PART_ID
        reg[0x00] = 0x01; // PWR_RDY
    }

    public void inject(TwinFault f) {
        fault = f;
    }

    private void check() throws BusException {
        if (fault == TwinFault.NACK) {
            throw new BusException("no ACK from 0x57", true);
        }
    }

    private int rate() {
        int sr = switch ((reg[0x0A] >> 2) & 0x7) {
            case 0 -> 50;
            case 1 -> 100;
            case 2 -> 200;
            case 3 -> 400;
            case 4 -> 800;
            case 5 -> 1000;
            case 6 -> 1600;
            default -> 3200;
        };
        int avg = 1 << Math.min(5, (reg[0x08] >> 5) & 0x7);
        return Math.max(1, sr / avg);
    }

    private boolean running() {
        return (reg[0x09] & 0x07) == 0x03 && (reg[0x09] & 0x80) == 0;
    }

    /** Samples stored; kept apart from the pointers because a full FIFO has equal pointers, like an empty one. */
    private int stored;

    private int count() {
        return stored;
    }

    /** Produces the samples due by now into the FIFO. */
    private void advance() {
        if (!running()) {
            return;
        }
        long now = clock.nanos();
        int rate = rate();
        long due = (now - originNanos) * rate / 1_000_000_000L;
        if (fault == TwinFault.STUCK) {
            producedUpTo = due;
            return;
        }
        while (producedUpTo < due) {
            if (count() == 32) {
                long lost = due - producedUpTo;
                reg[0x05] = (int) Math.min(31, reg[0x05] + lost);
                producedUpTo = due;
                break;
            }
            long t = originNanos + producedUpTo * 1_000_000_000L / rate;
            int w = reg[0x04];
            sample(t, rate, w);
            reg[0x04] = (w + 1) & 31;
            stored++;
            producedUpTo++;
        }
    }

    private void sample(long t, int rate, int slot) {
        long second = Math.floorDiv(t, 1_000_000_000L);
        if (second != stateSecond) {
            state = model.stateAt(wall.instantAt(t));
            stateSecond = second;
        }
        phase += state.heartRateBpm() / 60.0 / rate;
        phase -= Math.floor(phase);
        double pulse = Math.exp(-sq((phase - 0.18) / 0.07)) + 0.35 * Math.exp(-sq((phase - 0.45) / 0.09));
        double ts = t / 1e9;
        double resp = Math.sin(2 * Math.PI * 0.25 * ts);
        double artefact = switch (state.activity()) {
            case SLEEP, REST -> 0;
            case WALK -> 600;
            case PLAY -> 1500;
            case RUN -> 2500;
        } * (Math.sin(2 * Math.PI * state.cadenceStepsPerMinute() / 60 * ts) + 0.5 * noise.nextGaussian());
        double irScale = reg[0x0D] / 36.0;
        double redScale = reg[0x0C] / 36.0;
        double ir = irScale * (120_000 - 1600 * pulse + 300 * resp) + artefact + 40 * noise.nextGaussian();
        double red = redScale * (95_000 - 900 * pulse + 250 * resp) + 0.8 * artefact + 40 * noise.nextGaussian();
        fifoIr[slot] = clamp(ir);
        fifoRed[slot] = clamp(red);
    }

    private static double sq(double x) {
        return x * x;
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(0x3FFFF, Math.round(v)));
    }

    @Override
    public int read(int register) throws BusException {
        check();
        advance();
        if (register == 0x07) {
            byte[] one = new byte[1];
            readBlock(register, one, 0, 1);
            return one[0] & 0xFF;
        }
        int v = reg[register & 0xFF];
        if (register == 0x00 || register == 0x01) {
            reg[register] = 0; // interrupt status clears on read
        }
        return v;
    }

    @Override
    public void write(int register, int value) throws BusException {
        check();
        advance();
        switch (register) {
            case 0x09 -> {
                if ((value & 0x40) != 0) {
                    powerOnReset();
                    return;
                }
                boolean wasRunning = running();
                reg[0x09] = value & 0xC7;
                if (!wasRunning && running()) {
                    originNanos = clock.nanos();
                    producedUpTo = 0;
                }
            }
            case 0x04, 0x05, 0x06 -> {
                reg[register] = value & 0x1F;
                stored = (reg[0x04] - reg[0x06]) & 31;
                popBytes = 0;
            }
            case 0x21 -> {
                if ((value & 1) != 0) {
                    double temp = 31.5 + 2 * Math.sin(clock.nanos() / 6e11) + 0.25 * noise.nextGaussian();
                    int tenths = (int) Math.floor(temp * 16);
                    reg[0x1F] = Math.floorDiv(tenths, 16) & 0xFF;
                    reg[0x20] = Math.floorMod(tenths, 16);
                    reg[0x01] |= 0x02; // DIE_TEMP_RDY
                }
                reg[0x21] = 0; // conversion is done by the next access
            }
            default -> reg[register & 0xFF] = value & 0xFF;
        }
    }

    @Override
    public void readBlock(int register, byte[] destination, int offset, int length) throws BusException {
        check();
        advance();
        if (register != 0x07) {
            for (int i = 0; i < length; i++) {
                destination[offset + i] = (byte) reg[(register + i) & 0xFF];
            }
            return;
        }
        for (int i = 0; i < length; i++) {
            int r = reg[0x06];
            int b = switch (popBytes) {
                case 0 -> fifoRed[r] >> 16;
                case 1 -> fifoRed[r] >> 8;
                case 2 -> fifoRed[r];
                case 3 -> fifoIr[r] >> 16;
                case 4 -> fifoIr[r] >> 8;
                default -> fifoIr[r];
            };
            destination[offset + i] = (byte) b;
            if (++popBytes == 6) {
                popBytes = 0;
                if (count() > 0) {
                    reg[0x06] = (r + 1) & 31;
                    stored--;
                    reg[0x05] = 0; // a popped sample resets OVF_COUNTER
                }
            }
        }
    }

    /** For tests: place the write pointer so that the next samples wrap around the end of the FIFO. */
    public void setPointers(int write, int read) {
        reg[0x04] = write & 31;
        reg[0x06] = read & 31;
        stored = (reg[0x04] - reg[0x06]) & 31;
    }
}
