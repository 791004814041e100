package com.pettysync.drivers.twin;

import com.pettysync.drivers.bus.BusException;
import java.util.SplittableRandom;

/**
 * Register-level twin of the LSM6DSOX, producing the collar's motion for the {@link DogBehaviourModel}'s dog.
 *
 * <p>What the driver relies on behaves as in the datasheet: WHO_AM_I 0x6C; SW_RESET clears itself; with ODR_XL set,
 * a new sample is latched into OUTX_L_G..OUTZ_H_A every 1/ODR s and STATUS_REG XLDA/GDA are set until the output
 * registers are read; in FIFO continuous mode with a batch rate set, each sample also queues a gyroscope word and an
 * accelerometer word (tag + 6 bytes) in a FIFO of {@value #FIFO_WORDS} words that overwrites its oldest words when
 * full (setting FIFO_OVR_IA in FIFO_STATUS2 until that is read) and pops a word when its last byte (0x7E) is read; registers auto-increment (IF_INC); FUNC_CFG_ACCESS bit 7 switches to the embedded-functions
 * bank where PEDO_EN enables the step counter (STEP_COUNTER_L/H, reset by PEDO_RST_STEP).
 *
 * <p>Signal: gravity on a collar tilted a little forward, a vertical bounce and a lateral sway at the model's
 * cadence whose size grows with the activity, gyro rates following the sway, seeded noise. Steps accumulate at the
 * cadence. Faults: {@link TwinFault#NACK}, {@link TwinFault#STUCK} (no new data: data-ready and FIFO stop).
 */
public final class FakeLsm6dsox implements RegisterDevice {
    private final SimulatedClock clock;
    private final DogBehaviourModel model;
    private final SplittableRandom noise;
    private final int[] user = new int[128];
    private final int[] emb = new int[128];
    public static final int FIFO_WORDS = 512; // 3 kbyte FIFO: 512 words of 6 data bytes
    private final java.util.ArrayDeque<byte[]> fifo = new java.util.ArrayDeque<>();
    private boolean fifoOverrun;
    private long latchedIndex = -1;
    private long originNanos;
    private double steps;
    private long lastStepNanos;
    private DogState state;
    private long stateSecond = Long.MIN_VALUE;
    private volatile TwinFault fault = TwinFault.NONE;

    public FakeLsm6dsox(SimulatedClock clock, DogBehaviourModel model, long seed) {
        this.clock = clock;
        this.model = model;
        this.noise = new SplittableRandom(seed);
        reset();
    }

    private void reset() {
        java.util.Arrays.fill(user, 0);
        user[0x0F] = 0x6C;
        user[0x12] = 0x04; // IF_INC default
        latchedIndex = -1;
        originNanos = clock.nanos();
        fifo.clear();
        fifoOverrun = false;
    }

    private boolean fifoOn() {
        return (user[0x0A] & 0x07) == 0x06 && (user[0x09] & 0x0F) != 0;
    }

    public void inject(TwinFault f) {
        fault = f;
    }

    private boolean embedded() {
        return (user[0x01] & 0x80) != 0;
    }

    private int odr() {
        return switch ((user[0x10] >> 4) & 0xF) {
            case 1 -> 12;
            case 2 -> 26;
            case 3 -> 52;
            case 4 -> 104;
            case 5 -> 208;
            case 6 -> 416;
            case 7 -> 833;
            default -> 0;
        };
    }

    private void advance() {
        long now = clock.nanos();
        DogState s = state(now);
        if ((emb[0x04] & 0x08) != 0) {
            steps += s.cadenceStepsPerMinute() / 60.0 * (now - lastStepNanos) / 1e9;
        }
        lastStepNanos = now;
        int odr = odr();
        if (odr == 0 || fault == TwinFault.STUCK) {
            return;
        }
        long index = (now - originNanos) * odr / 1_000_000_000L;
        if (index != latchedIndex) {
            if (fifoOn()) {
                long first = Math.max(latchedIndex + 1, index - FIFO_WORDS / 2); // older words would be overwritten
                if (first > latchedIndex + 1) {
                    fifoOverrun = true;
                }
                for (long k = first; k <= index; k++) {
                    latch(originNanos + k * 1_000_000_000L / odr, state(originNanos + k * 1_000_000_000L / odr));
                    push(0x01, 0x22);
                    push(0x02, 0x28);
                }
            } else {
                latch(originNanos + index * 1_000_000_000L / odr, s);
            }
            latchedIndex = index;
            user[0x1E] |= 0x03;
        }
    }

    private DogState state(long t) {
        long second = Math.floorDiv(t, 1_000_000_000L);
        if (second != stateSecond) {
            state = model.stateAt(clock.instantAt(t));
            stateSecond = second;
        }
        return state;
    }

    private void latch(long t, DogState s) {
        double ts = t / 1e9;
        double f = s.cadenceStepsPerMinute() / 60.0;
        double amp = switch (s.activity()) {
            case SLEEP -> 0.005;
            case REST -> 0.02;
            case WALK -> 0.35;
            case PLAY -> 0.8;
            case RUN -> 1.3;
        };
        double bounce = amp * Math.sin(2 * Math.PI * f * ts);
        double sway = 0.5 * amp * Math.sin(Math.PI * f * ts);
        double ax = 0.17 + 0.3 * sway + 0.01 * noise.nextGaussian();
        double ay = sway + 0.01 * noise.nextGaussian();
        double az = 0.985 + bounce + 0.01 * noise.nextGaussian();
        double gx = 120 * amp * Math.cos(Math.PI * f * ts) + 0.5 * noise.nextGaussian();
        double gy = 40 * amp * Math.sin(2 * Math.PI * f * ts) + 0.5 * noise.nextGaussian();
        double gz = 60 * amp * Math.sin(Math.PI * f * ts + 0.7) + 0.5 * noise.nextGaussian();
        put(0x22, gx / 17.5e-3);
        put(0x24, gy / 17.5e-3);
        put(0x26, gz / 17.5e-3);
        put(0x28, ax / 0.244e-3);
        put(0x2A, ay / 0.244e-3);
        put(0x2C, az / 0.244e-3);
    }

    private void push(int tag, int firstRegister) {
        if (fifo.size() == FIFO_WORDS) {
            fifo.removeFirst();
            fifoOverrun = true;
        }
        byte[] w = new byte[7];
        w[0] = (byte) (tag << 3);
        for (int i = 0; i < 6; i++) {
            w[1 + i] = (byte) user[firstRegister + i];
        }
        fifo.addLast(w);
    }

    private void put(int register, double lsb) {
        int v = (int) Math.max(-32768, Math.min(32767, Math.round(lsb)));
        user[register] = v & 0xFF;
        user[register + 1] = (v >> 8) & 0xFF;
    }

    private void check() throws BusException {
        if (fault == TwinFault.NACK) {
            throw new BusException("no ACK from 0x6a", true);
        }
    }

    @Override
    public int read(int register) throws BusException {
        check();
        advance();
        register &= 0x7F;
        if (embedded() && register != 0x01) {
            if (register == 0x62 || register == 0x63) {
                int count = (int) (long) steps & 0xFFFF;
                return register == 0x62 ? count & 0xFF : count >> 8;
            }
            return emb[register];
        }
        if (register == 0x3A) {
            return fifo.size() & 0xFF;
        }
        if (register == 0x3B) {
            int v = (fifo.size() >> 8) & 0x03 | (fifoOverrun ? 0x40 : 0);
            fifoOverrun = false;
            return v;
        }
        if (register >= 0x78 && register <= 0x7E) {
            byte[] w = fifo.peekFirst();
            int v = w == null ? 0 : w[register - 0x78] & 0xFF;
            if (register == 0x7E && w != null) {
                fifo.removeFirst();
            }
            return v;
        }
        int v = user[register];
        if (register == 0x2D) {
            user[0x1E] &= ~0x03; // reading the last output byte clears data-ready
        }
        return v;
    }

    @Override
    public void write(int register, int value) throws BusException {
        check();
        advance();
        register &= 0x7F;
        if (embedded() && register != 0x01) {
            if (register == 0x64 && (value & 0x80) != 0) {
                steps = 0;
                return;
            }
            emb[register] = value;
            return;
        }
        if (register == 0x12 && (value & 0x01) != 0) {
            reset();
            return;
        }
        if (register == 0x10) {
            originNanos = clock.nanos();
            latchedIndex = 0;
        }
        if (register == 0x0A && (value & 0x07) == 0) {
            fifo.clear(); // bypass mode empties the FIFO
            fifoOverrun = false;
        }
        user[register] = value;
    }

    @Override
    public void readBlock(int register, byte[] destination, int offset, int length) throws BusException {
        for (int i = 0; i < length; i++) {
            destination[offset + i] = (byte) read(register + i);
        }
    }
}
