package com.pettysync.contract.shadow;

/**
 * Heart-rate alert limits in bpm (shadow setting {@code hrLimits}, wire contract §6): a mean heart rate below
 * {@code min} or above {@code max} raises a heart-rate alert event (§4).
 *
 * <p>Rules: both {@value #MIN_BPM} … {@value #MAX_BPM} (the heart-rate range of a frame, §3) and {@code min < max}.
 *
 * @param min lower limit, bpm
 * @param max upper limit, bpm
 */
public record HrLimits(int min, int max) {
    public static final int MIN_BPM = 20;
    public static final int MAX_BPM = 400;

    /** @throws IllegalArgumentException if a limit is out of range or {@code min >= max} */
    public HrLimits {
        if (min < MIN_BPM || min > MAX_BPM || max < MIN_BPM || max > MAX_BPM) {
            throw new IllegalArgumentException("hrLimits must be " + MIN_BPM + " … " + MAX_BPM + " bpm, got " + min
                    + " / " + max);
        }
        if (min >= max) {
            throw new IllegalArgumentException("hrLimits min must be less than max, got " + min + " / " + max);
        }
    }
}
