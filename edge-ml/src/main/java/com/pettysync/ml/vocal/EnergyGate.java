package com.pettysync.ml.vocal;

/**
 * Energy gate in front of the classifier: decides, per 10 ms hop of 160 samples, whether anything louder than
 * the background is going on, so that the classifier sleeps in silence and in steady noise.
 *
 * <p>Rule: a hop is loud when its RMS level is at least {@code marginDb} above the tracked noise floor and above
 * {@code minDbfs}. The floor follows quieter hops at once and louder ones slowly (time constant
 * {@code 1 / riseRate} hops, 10 s by default), so a steady noise (fan, traffic) closes the gate again after a
 * while and a long howl does not. The gate stays open {@code hangoverHops} after the last loud hop.
 * Not thread-safe: one instance per audio stream.
 */
public final class EnergyGate {
    private final double marginDb;
    private final double minDbfs;
    private final double riseRate;
    private final int hangoverHops;
    private double floorDb = Double.NaN;
    private int hangover;

    public EnergyGate(double marginDb, double minDbfs, double riseRate, int hangoverHops) {
        this.marginDb = marginDb;
        this.minDbfs = minDbfs;
        this.riseRate = riseRate;
        this.hangoverHops = hangoverHops;
    }

    /** 12 dB over the floor, never below -50 dBFS, 10 s floor rise time, 200 ms hangover. */
    public static EnergyGate standard() {
        return new EnergyGate(12.0, -50.0, 0.001, 20);
    }

    /** RMS level of {@code length} samples in dB relative to full scale (-120 for digital silence). */
    public static double dbfs(short[] pcm, int offset, int length) {
        double sum = 0;
        for (int i = offset; i < offset + length; i++) {
            double v = pcm[i] / 32768.0;
            sum += v * v;
        }
        return Math.max(-120.0, 10 * Math.log10(sum / length + 1e-12));
    }

    /** Feeds one hop's level; returns whether the gate is open for this hop. */
    public boolean hop(double levelDbfs) {
        if (Double.isNaN(floorDb)) {
            floorDb = Math.min(levelDbfs, minDbfs - marginDb);
        }
        boolean loud = levelDbfs >= floorDb + marginDb && levelDbfs >= minDbfs;
        if (levelDbfs < floorDb) {
            floorDb = levelDbfs;
        } else {
            floorDb += (levelDbfs - floorDb) * riseRate;
        }
        if (loud) {
            hangover = hangoverHops;
            return true;
        }
        if (hangover > 0) {
            hangover--;
            return true;
        }
        return false;
    }

    public double floorDbfs() {
        return floorDb;
    }
}
