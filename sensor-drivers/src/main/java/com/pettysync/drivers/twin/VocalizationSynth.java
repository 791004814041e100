package com.pettysync.drivers.twin;

import com.pettysync.drivers.voice.I2sFormat;
import com.pettysync.drivers.voice.PcmSource;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Twin of the I2S microphone: the {@link DogBehaviourModel}'s vocalizations over background noise, delivered as the
 * SPH0645 would through ALSA (32-bit stereo frames at 16 kHz, 18 valid bits MSB-aligned on the left slot, a DC
 * offset of -3 % of full scale, right slot zero).
 *
 * <p>Sounds (crude but with the features a classifier keys on): bark = 150 ms harmonic bursts at ~500 Hz every
 * 400 ms; growl = a buzzy 120 Hz harmonic stack with 25 Hz roughness; whine = a ~1 kHz tone with vibrato; howl = a
 * slowly gliding ~500 Hz tone; background = low-passed noise about 55 dB below full scale. {@link #render} gives the
 * same audio as plain 16 kHz mono for code that does not want the I2S path.
 *
 * <p>As a {@link PcmSource}, a read returns the audio of the simulated time since the previous read (up to the
 * caller's buffer per read; audio more than a second old is lost, as a real capture buffer would lose it). Faults: {@link TwinFault#NACK}
 * nothing arrives, {@link TwinFault#SILENCE} digital zeros.
 */
public final class VocalizationSynth implements PcmSource {
    private static final int RATE = I2sFormat.OUTPUT_RATE;
    private static final double DC = -0.03;

    private final SimulatedClock clock;
    private final DogBehaviourModel model;
    private final SplittableRandom noise;
    private long produced; // samples since the clock's origin
    private double lowpass;
    private double p1;
    private double p2;
    private double p3;
    private DogState state;
    private long stateBlock = Long.MIN_VALUE;
    private volatile TwinFault fault = TwinFault.NONE;

    public VocalizationSynth(SimulatedClock clock, DogBehaviourModel model, long seed) {
        this.clock = clock;
        this.model = model;
        this.noise = new SplittableRandom(seed);
    }

    public void inject(TwinFault f) {
        fault = f;
    }

    @Override
    public synchronized int read(byte[] destination, int offset, int length) {
        long due = clock.nanos() * RATE / 1_000_000_000L;
        long missing = due - produced;
        if (missing > RATE) {
            produced = due - RATE; // a capture buffer holds about a second; older audio was lost
            missing = RATE;
        }
        int frames = (int) Math.min(missing, length / 8);
        if (frames <= 0 || fault == TwinFault.NACK) {
            produced = Math.max(produced, due);
            return 0;
        }
        for (int i = 0; i < frames; i++) {
            double v = fault == TwinFault.SILENCE ? 0 : next(produced + i) + DC;
            int raw = fault == TwinFault.SILENCE ? 0
                    : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Math.round(v * 2147483648.0)))
                            & 0xFFFFC000;
            int o = offset + i * 8;
            destination[o] = (byte) raw;
            destination[o + 1] = (byte) (raw >> 8);
            destination[o + 2] = (byte) (raw >> 16);
            destination[o + 3] = (byte) (raw >> 24);
            destination[o + 4] = 0;
            destination[o + 5] = 0;
            destination[o + 6] = 0;
            destination[o + 7] = 0;
        }
        produced += frames;
        return frames * 8;
    }

    /** {@code samples} of 16 kHz mono audio starting at wall time {@code start}, full scale ±1. */
    public synchronized float[] render(Instant start, int samples) {
        long index = (start.getEpochSecond() - clock.origin().getEpochSecond()) * RATE
                + (start.getNano() - clock.origin().getNano()) * (long) RATE / 1_000_000_000L;
        float[] out = new float[samples];
        for (int i = 0; i < samples; i++) {
            out[i] = (float) next(index + i);
        }
        return out;
    }

    private double next(long sampleIndex) {
        long nanos = sampleIndex * 1_000_000_000L / RATE;
        long block = Math.floorDiv(nanos, 50_000_000L);
        if (block != stateBlock) {
            state = model.stateAt(clock.instantAt(nanos));
            stateBlock = block;
        }
        double t = sampleIndex / (double) RATE;
        lowpass += 0.2 * (noise.nextGaussian() - lowpass);
        double v = 0.0018 * lowpass;
        switch (state.vocalization()) {
            case BARK -> {
                double x = t % 0.4;
                if (x < 0.15) {
                    double env = Math.sin(Math.PI * x / 0.15);
                    double f0 = 480 + 60 * Math.sin(2 * Math.PI * 2.5 * t);
                    p1 += f0 / RATE;
                    v += 0.12 * env * (Math.sin(2 * Math.PI * p1) + 0.6 * Math.sin(4 * Math.PI * p1)
                            + 0.3 * Math.sin(6 * Math.PI * p1) + 0.25 * noise.nextGaussian());
                }
            }
            case GROWL -> {
                p1 += 120.0 / RATE;
                double saw = 2 * (p1 - Math.floor(p1)) - 1;
                double rough = 0.6 + 0.4 * Math.sin(2 * Math.PI * 25 * t);
                v += 0.08 * rough * (saw + 0.2 * noise.nextGaussian());
            }
            case WHINE -> {
                p2 += (1000 + 150 * Math.sin(2 * Math.PI * 3 * t)) / RATE;
                v += 0.06 * Math.sin(2 * Math.PI * p2);
            }
            case HOWL -> {
                p3 += (500 + 100 * Math.sin(2 * Math.PI * 0.3 * t)) / RATE;
                v += 0.1 * (Math.sin(2 * Math.PI * p3) + 0.2 * Math.sin(4 * Math.PI * p3));
            }
            case NONE -> {
                // background only
            }
        }
        p1 -= Math.floor(p1);
        p2 -= Math.floor(p2);
        p3 -= Math.floor(p3);
        return v;
    }

    @Override
    public void close() {
        // nothing to release
    }
}
