package com.pettysync.ml.hr;

import com.pettysync.ml.AccelTrace;
import com.pettysync.ml.dsp.Biquad;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Heart rate and HRV from one window of PPG (MAX30102 IR/red counts, 100 samples/s) with the accelerometer
 * resampled to the same rate.
 *
 * <p>Stages, each on whole 8 s segments of the window (details and the reasons in the module README):
 * <ol>
 *   <li>Invert (the counts fall as blood volume rises) and band-pass 0.5 … 4.5 Hz, zero phase (30 … 270 bpm); the
 *       accelerometer is band-passed the same way.
 *   <li>Still segments (dynamic acceleration RMS ≤ {@link #MIN_MOTION_MG}, or no accelerometer): the
 *       autocorrelation peak between 0.2 s and 2 s gives the period and periodicity; beats are local maxima at
 *       least 0.6 periods apart, timed by parabolic interpolation; intervals within ±30 % of the period are
 *       valid. A segment with periodicity below 0.3 or fewer than 3 valid intervals is dropped.
 *   <li>Moving segments (up to {@link #MAX_MOTION_MG}): the part of the PPG linear in the three axes at lags
 *       −300 … +300 ms is fitted by ridge least squares and subtracted ({@link MotionCanceller}); then the rate
 *       comes from {@link MotionRateTracker} (spectral peak tracking with the motion's frequencies masked, so the
 *       artefact may be non-linear), or, where it reports nothing, from the beat path if that is strongly
 *       periodic and clear of the motion's frequencies (near them only when very clean under moderate motion). A
 *       beat-path rate whose segment shows the pulse may be at twice it is dropped, and with it the window's rates
 *       near the motion. Moving segments count only when at least two agree within 8 % with the window's reference
 *       rate (the median of those clear of the motion, else of all), or one does and the tracker sees the pulse
 *       near it for 12 s ({@link WindowRate}), and none lies an octave from it (unless on the cadence while the
 *       reference is clear of the gait: see {@code motionReference}).
 *   <li>The window's mean ({@link WindowRate}): moving segments without a rate get one interpolated from the
 *       accepted segments and the tracker frames where the pulse is visible, so the mean spans the whole window;
 *       where the part of the window far from any of them could move the mean by more than 8 bpm under a drift
 *       prior, the moving segments give no rate.
 * </ol>
 * Returns empty when fewer than {@link #MIN_BEATS} beats are covered: no rate rather than a wrong one. Stateless
 * and thread-safe.
 */
public final class HeartRateEstimator {
    public static final double SAMPLE_RATE_HZ = 100.0;
    public static final int SEGMENT = 800;
    public static final double MAX_MOTION_MG = 4000.0;
    public static final double MIN_MOTION_MG = 40.0;
    public static final int MIN_BEATS = 5;
    private static final double LOW_HZ = 0.5;
    private static final double HIGH_HZ = 4.5;
    /** Trustworthy tracker frames a moving segment needs (of the four centred in it). */
    private static final int MIN_MOTION_FRAMES = 1;
    /** Largest relative distance of a moving segment's rate from the median of the window's moving segments. */
    static final double MOTION_AGREEMENT = 0.08;
    /** Autocorrelation at half the beat period above which the pulse may be at twice the beat path's rate. */
    private static final double HALF_PERIOD_CORRELATION = 0.3;
    /** Relative distance from twice or half the window's rate within which another segment's rate is a conflict. */
    private static final double OCTAVE_CONFLICT = 0.15;
    /** Periodicity the beat path needs in a moving segment, and its distance from the motion's frequencies. */
    private static final double MIN_BEAT_PERIODICITY_MOVING = 0.7;
    private static final double MOTION_CLEARANCE = 0.06;
    /** Distance of the reference from the cadence and its second harmonic beyond which it is clear of the gait. */
    private static final double CADENCE_CLEARANCE = 0.10;
    /** Periodicity at which the beat path is trusted even near the motion (the canceller removed the artefact). */
    private static final double CLEAN_PERIODICITY = 0.75;
    /** Above this motion the canceller is not trusted near the motion's frequencies (clipping, saturation). */
    private static final double LINEAR_TRUST_MG = 700.0;
    private final MotionRateTracker tracker = new MotionRateTracker(SAMPLE_RATE_HZ);

    /** Estimate from IR counts (red is not needed for rate; pass the IR channel) and optional accelerometer. */
    public Optional<HeartRateSummary> window(double[] ir, AccelTrace accel) {
        if (accel != null && accel.length() != ir.length) {
            throw new IllegalArgumentException("accelerometer has " + accel.length() + " samples, PPG " + ir.length);
        }
        if (ir.length < SEGMENT) {
            return Optional.empty();
        }
        double[] ppg = Biquad.bandPass(ir, LOW_HZ, HIGH_HZ, SAMPLE_RATE_HZ);
        for (int i = 0; i < ppg.length; i++) {
            ppg[i] = -ppg[i];
        }
        double[][] acc = null;
        if (accel != null) {
            acc = new double[][] {Biquad.bandPass(accel.x(), LOW_HZ, HIGH_HZ, SAMPLE_RATE_HZ),
                Biquad.bandPass(accel.y(), LOW_HZ, HIGH_HZ, SAMPLE_RATE_HZ),
                Biquad.bandPass(accel.z(), LOW_HZ, HIGH_HZ, SAMPLE_RATE_HZ)};
        }
        int segments = ppg.length / SEGMENT;
        double[] motion = new double[segments];
        double[] clean = ppg.clone();
        boolean moving = false;
        if (acc != null) {
            for (int k = 0; k < segments; k++) {
                int start = k * SEGMENT;
                double[][] a = {Arrays.copyOfRange(acc[0], start, start + SEGMENT),
                    Arrays.copyOfRange(acc[1], start, start + SEGMENT),
                    Arrays.copyOfRange(acc[2], start, start + SEGMENT)};
                motion[k] = rms(a);
                if (motion[k] > MIN_MOTION_MG) {
                    moving = true;
                    double[] seg = Arrays.copyOfRange(ppg, start, start + SEGMENT);
                    MotionCanceller.cancel(seg, a); // at rest the fit would only project sensor noise into the pulse
                    System.arraycopy(seg, 0, clean, start, SEGMENT);
                }
            }
        }
        MotionRateTracker.Track track = moving ? tracker.track(clean, acc) : null;
        List<Double> intervals = new ArrayList<>();
        List<Double> segmentBpm = new ArrayList<>();
        double rmssdSum = 0;
        int rmssdCount = 0;
        double covered = 0;
        double periodicitySum = 0;
        double motionBeats = 0;
        double[] motionRates = new double[segments];
        double[] stillRates = new double[segments]; // the still segments' rates: anchors for the window's mean
        Arrays.fill(stillRates, Double.NaN);
        double[] motionQuality = new double[segments];
        boolean[] nearMotion = new boolean[segments];
        boolean octaveUp = false; // a segment's beat path shows the pulse may be at twice its rate
        Arrays.fill(motionRates, Double.NaN);
        for (int k = 0; k < segments; k++) {
            int start = k * SEGMENT;
            if (motion[k] > MAX_MOTION_MG) {
                continue;
            }
            if (motion[k] > MIN_MOTION_MG) {
                motionRates[k] = motionRate(track, start); // NaN: no trustworthy rate in this segment
                motionQuality[k] = motionPeriodicity(track, start);
                if (Double.isNaN(motionRates[k])) {
                    Segment b = beats(Arrays.copyOfRange(clean, start, start + SEGMENT));
                    double hz = motionHz(track, start);
                    motionRates[k] = beatRateInMotion(b, hz, motion[k]);
                    nearMotion[k] = !Double.isNaN(motionRates[k]) && nearMotion(motionRates[k], hz);
                    if (!Double.isNaN(motionRates[k]) && pulseMayBeTwice(b)) {
                        // may be half the pulse: dropped, and doubt cast on the window's rates near the motion
                        octaveUp = true;
                        motionRates[k] = Double.NaN;
                    }
                    motionQuality[k] = Double.isNaN(motionRates[k]) ? 0 : b.periodicity;
                }
                continue;
            }
            Segment s = beats(Arrays.copyOfRange(clean, start, start + SEGMENT));
            if (s == null) {
                continue;
            }
            double sum = 0;
            for (int i = 0; i < s.intervals.length; i++) {
                intervals.add(s.intervals[i]);
                sum += s.intervals[i];
                if (i > 0 && s.contiguous[i]) {
                    double d = s.intervals[i] - s.intervals[i - 1];
                    rmssdSum += d * d;
                    rmssdCount++;
                }
            }
            covered += sum;
            stillRates[k] = 60_000.0 / (sum / s.intervals.length);
            segmentBpm.add(stillRates[k]);
            periodicitySum += s.periodicity * sum;
        }
        // moving segments: a rate counts when it agrees (within MOTION_AGREEMENT) with the window's reference rate
        // (motionReference), when at least two agree, and, where some segment's beat path showed the pulse may be at
        // twice its rate, not when it lies near the motion's frequencies — nothing rather than a wrong rate
        if (octaveUp) {
            for (int k = 0; k < segments; k++) {
                if (nearMotion[k]) {
                    motionRates[k] = Double.NaN;
                }
            }
        }
        double[] cadenceBpm = new double[segments];
        for (int k = 0; k < segments && track != null; k++) {
            cadenceBpm[k] = 60 * motionHz(track, k * SEGMENT);
        }
        double reference = motionReference(motionRates, nearMotion, cadenceBpm);
        double[] accepted = new double[segments];
        boolean[] fillable = new boolean[segments];
        int agreeing = 0;
        for (int k = 0; k < segments; k++) {
            accepted[k] = !Double.isNaN(reference) && agrees(motionRates[k], reference) ? motionRates[k] : Double.NaN;
            agreeing += Double.isNaN(accepted[k]) ? 0 : 1;
            fillable[k] = motion[k] > MIN_MOTION_MG && motion[k] <= MAX_MOTION_MG;
        }
        double fillBeats = 0;
        double fillMs = 0;
        if (agreeing > 0) {
            WindowRate.Estimate whole = WindowRate.estimate(track, accepted, stillRates, reference, fillable, SEGMENT,
                    ppg.length, SAMPLE_RATE_HZ);
            boolean enough = agreeing >= 2 || whole.visibleFrames() >= WindowRate.MIN_VISIBLE_FRAMES;
            for (int k = 0; k < segments && enough && whole.trusted(); k++) {
                double ms = SEGMENT * 1000.0 / SAMPLE_RATE_HZ;
                double bpm = whole.rates()[k];
                if (Double.isNaN(bpm)) {
                    continue;
                }
                segmentBpm.add(bpm);
                if (Double.isNaN(accepted[k])) { // interpolated: moves the mean, adds no evidence
                    fillBeats += bpm * ms / 60_000.0;
                    fillMs += ms;
                } else {
                    motionBeats += bpm * ms / 60_000.0;
                    covered += ms;
                    periodicitySum += motionQuality[k] * ms;
                }
            }
        }
        if (intervals.size() + motionBeats < MIN_BEATS) {
            return Optional.empty();
        }
        int meanBpm = clamp((int) Math.round(60_000.0 * (intervals.size() + motionBeats + fillBeats)
                / (covered + fillMs)), 20, 400);
        int minBpm = Math.min(meanBpm, clamp((int) Math.floor(segmentBpm.stream().mapToDouble(d -> d).min()
                .orElseThrow()), 20, 400));
        int maxBpm = Math.max(meanBpm, clamp((int) Math.ceil(segmentBpm.stream().mapToDouble(d -> d).max()
                .orElseThrow()), 20, 400));
        int rmssd = rmssdCount == 0 ? 0 : clamp((int) Math.round(Math.sqrt(rmssdSum / rmssdCount)), 0, 2000);
        double coverage = Math.min(1.0, covered / (ppg.length * 10.0));
        int quality = clamp((int) Math.round(100 * coverage * (periodicitySum / covered)), 0, 100);
        return Optional.of(new HeartRateSummary(meanBpm, minBpm, maxBpm, rmssd, quality,
                intervals.size() + (int) Math.round(motionBeats)));
    }

    /**
     * The window's reference rate: the median of the moving segments' {@code rates} clear of the motion's
     * frequencies (the tracker's, the beat path's away from the motion), or of all of them where none is clear; NaN
     * when there is none, or when any rate lies within {@link #OCTAVE_CONFLICT} of twice or half the median (the
     * pulse and a harmonic or sub-harmonic, of it or of the motion, are both in the window: which is which is
     * unknown). A rate on its segment's cadence ({@link #MOTION_CLEARANCE}) is no such conflict when the median lies
     * clear ({@link #CADENCE_CLEARANCE}) of the window's cadence and its second harmonic: that rate is then the
     * artefact's residual at the cadence (the pulse's second harmonic on the gait), and the median the pulse.
     */
    private static double motionReference(double[] rates, boolean[] nearMotion, double[] cadenceBpm) {
        double median = median(rates, nearMotion, false);
        if (Double.isNaN(median)) {
            median = median(rates, nearMotion, true);
        }
        if (Double.isNaN(median)) {
            return Double.NaN;
        }
        double[] cadences = cadenceBpm.clone();
        Arrays.sort(cadences);
        double cadence = cadences[cadences.length / 2];
        boolean clearOfCadence = Math.abs(median - cadence) > CADENCE_CLEARANCE * median
                && Math.abs(median - 2 * cadence) > CADENCE_CLEARANCE * median;
        for (int k = 0; k < rates.length; k++) {
            double bpm = rates[k];
            if (Double.isNaN(bpm) || clearOfCadence && Math.abs(bpm - cadenceBpm[k]) <= MOTION_CLEARANCE * bpm) {
                continue;
            }
            if (Math.abs(bpm - 2 * median) <= OCTAVE_CONFLICT * 2 * median
                    || Math.abs(bpm - median / 2) <= OCTAVE_CONFLICT * median / 2) {
                return Double.NaN;
            }
        }
        return median;
    }

    /** Median of the rates (NaN: none) clear of the motion, or with {@code withNear} of all of them; NaN if none. */
    private static double median(double[] rates, boolean[] nearMotion, boolean withNear) {
        double[] v = new double[rates.length];
        int n = 0;
        for (int k = 0; k < rates.length; k++) {
            if (!Double.isNaN(rates[k]) && (withNear || !nearMotion[k])) {
                v[n++] = rates[k];
            }
        }
        if (n == 0) {
            return Double.NaN;
        }
        Arrays.sort(v, 0, n);
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** Whether {@code bpm} (NaN: none) lies within {@link #MOTION_AGREEMENT} of {@code reference}. */
    private static boolean agrees(double bpm, double reference) {
        return !Double.isNaN(bpm) && Math.abs(bpm - reference) <= MOTION_AGREEMENT * reference;
    }

    /**
     * Median of the tracker's trustworthy frames centred in the segment at {@code start}; NaN unless at least
     * {@link #MIN_MOTION_FRAMES} of them are.
     */
    private static double motionRate(MotionRateTracker.Track track, int start) {
        double[] v = new double[track.bpm().length];
        int n = 0;
        for (int f = 0; f < track.bpm().length; f++) {
            int centre = track.frameStart()[f] + MotionRateTracker.FRAME / 2;
            if (centre >= start && centre < start + SEGMENT && !Double.isNaN(track.bpm()[f])) {
                v[n++] = track.bpm()[f];
            }
        }
        if (n < MIN_MOTION_FRAMES) {
            return Double.NaN;
        }
        Arrays.sort(v, 0, n);
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /**
     * The beat path's rate on the linearly cancelled segment, from the autocorrelation period rather than the mean
     * of the peak intervals (under motion a residual of the artefact adds or shifts peaks, and the intervals that
     * pass the ±30 % test are a biased subset; the period uses every sample). Trusted only when strongly periodic
     * ({@link #MIN_BEAT_PERIODICITY_MOVING}) and, where it lies {@link #nearMotion near the motion's frequencies}
     * (where a residual of the artefact would lock it), only when very clean ({@link #CLEAN_PERIODICITY}) under
     * moderate motion ({@link #LINEAR_TRUST_MG}): the artefact was then linear enough for the canceller. Such a
     * rate sets the window's reference only where no rate is clear of the motion ({@link #motionReference}). NaN
     * otherwise.
     */
    private static double beatRateInMotion(Segment s, double motionHz, double motionMg) {
        if (s == null || s.periodicity < MIN_BEAT_PERIODICITY_MOVING || motionHz <= 0) {
            return Double.NaN;
        }
        double bpm = 60 * SAMPLE_RATE_HZ / s.period;
        if (nearMotion(bpm, motionHz) && (s.periodicity < CLEAN_PERIODICITY || motionMg > LINEAR_TRUST_MG)) {
            return Double.NaN;
        }
        return bpm;
    }

    /**
     * Whether the segment's pulse may be at twice {@code bpm}, the beat path's rate (which then followed a residual
     * of the artefact, e.g. at the cadence while the pulse sits on its second harmonic): the autocorrelation at half
     * the beat period is above {@link #HALF_PERIOD_CORRELATION}. (Comparing the power at twice the rate with that at
     * the rate is no test: a pulse with a strong dicrotic wave has a second harmonic above its fundamental.)
     */
    private static boolean pulseMayBeTwice(Segment s) {
        return s != null && s.halfLag > HALF_PERIOD_CORRELATION;
    }

    /** Whether {@code bpm} lies within {@link #MOTION_CLEARANCE} of a multiple of half the motion's frequency. */
    private static boolean nearMotion(double bpm, double motionHz) {
        double half = motionHz * 30; // half the motion frequency, in bpm
        for (int h = 1; h <= 16; h++) {
            if (Math.abs(bpm - h * half) < MOTION_CLEARANCE * bpm) {
                return true;
            }
        }
        return false;
    }

    /** Median main motion frequency (Hz) of the tracker's frames centred in the segment at {@code start}. */
    private static double motionHz(MotionRateTracker.Track track, int start) {
        double[] v = new double[track.bpm().length];
        int n = 0;
        for (int f = 0; f < v.length; f++) {
            int centre = track.frameStart()[f] + MotionRateTracker.FRAME / 2;
            if (centre >= start && centre < start + SEGMENT) {
                v[n++] = track.motionHz()[f];
            }
        }
        if (n == 0) {
            return 0;
        }
        Arrays.sort(v, 0, n);
        return v[n / 2];
    }

    /** The segment's mean spectral concentration, scaled to the 0 … 1 of the beat path's periodicity. */
    private static double motionPeriodicity(MotionRateTracker.Track track, int start) {
        double sum = 0;
        int n = 0;
        for (int f = 0; f < track.bpm().length; f++) {
            int centre = track.frameStart()[f] + MotionRateTracker.FRAME / 2;
            if (centre >= start && centre < start + SEGMENT && !Double.isNaN(track.bpm()[f])) {
                sum += track.concentration()[f];
                n++;
            }
        }
        return n == 0 ? 0 : Math.min(1, sum / n / 0.15);
    }

    /** Convenience: no accelerometer. */
    public Optional<HeartRateSummary> window(double[] ir) {
        return window(ir, null);
    }

    /**
     * halfLag: autocorrelation at half the period over that at the period (0 where half is below 0.2 s); period: the
     * autocorrelation peak's lag in samples, refined by a parabola through it and its neighbours.
     */
    private record Segment(double[] intervals, boolean[] contiguous, double periodicity, double halfLag, double period) {}

    private static Segment beats(double[] x) {
        int n = x.length;
        double r0 = 0;
        for (double v : x) {
            r0 += v * v;
        }
        if (r0 <= 0) {
            return null;
        }
        int minLag = (int) (0.2 * SAMPLE_RATE_HZ);
        int maxLag = (int) (2.0 * SAMPLE_RATE_HZ);
        double[] r = new double[maxLag + 2];
        for (int lag = minLag - 1; lag <= maxLag + 1; lag++) {
            double s = 0;
            for (int i = 0; i + lag < n; i++) {
                s += x[i] * x[i + lag];
            }
            r[lag] = s / r0 * n / (n - lag);
        }
        int best = -1;
        for (int lag = minLag; lag <= maxLag; lag++) {
            if (r[lag] > r[lag - 1] && r[lag] >= r[lag + 1] && (best < 0 || r[lag] > r[best])) {
                best = lag;
            }
        }
        if (best < 0) {
            return null;
        }
        // prefer the shortest lag whose peak is nearly as strong (avoid locking onto 2 periods)
        for (int lag = minLag; lag < best; lag++) {
            if (r[lag] > r[lag - 1] && r[lag] >= r[lag + 1] && r[lag] > 0.8 * r[best]) {
                best = lag;
                break;
            }
        }
        double periodicity = Math.max(0, Math.min(1, r[best]));
        if (periodicity < 0.3) {
            return null;
        }
        double[] sorted = x.clone();
        Arrays.sort(sorted);
        double amplitude = sorted[(int) (0.95 * n)];
        int minDistance = (int) (0.6 * best);
        List<Double> peaks = new ArrayList<>();
        int last = -minDistance;
        for (int i = 1; i < n - 1; i++) {
            if (x[i] > x[i - 1] && x[i] >= x[i + 1] && x[i] > amplitude / 3) {
                if (i - last < minDistance) {
                    if (!peaks.isEmpty() && x[i] > x[last]) {
                        peaks.set(peaks.size() - 1, refine(x, i));
                        last = i;
                    }
                    continue;
                }
                peaks.add(refine(x, i));
                last = i;
            }
        }
        List<Double> ibis = new ArrayList<>();
        List<Boolean> contiguous = new ArrayList<>();
        boolean previousValid = false;
        for (int i = 1; i < peaks.size(); i++) {
            double ibi = peaks.get(i) - peaks.get(i - 1);
            if (ibi >= 0.7 * best && ibi <= 1.3 * best) {
                ibis.add(ibi * 1000.0 / SAMPLE_RATE_HZ);
                contiguous.add(previousValid);
                previousValid = true;
            } else {
                previousValid = false;
            }
        }
        if (ibis.size() < 3) {
            return null;
        }
        double[] out = ibis.stream().mapToDouble(Double::doubleValue).toArray();
        boolean[] c = new boolean[contiguous.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = contiguous.get(i);
        }
        double curvature = r[best - 1] - 2 * r[best] + r[best + 1];
        double period = curvature < 0 ? best + 0.5 * (r[best - 1] - r[best + 1]) / curvature : best;
        return new Segment(out, c, periodicity, best / 2 >= minLag - 1 ? r[best / 2] / r[best] : 0, period);
    }

    /** Sub-sample peak time: vertex of the least-squares parabola through the 9 samples around {@code i}. */
    private static double refine(double[] x, int i) {
        int h = 4;
        if (i < h || i + h >= x.length) {
            return i;
        }
        // with u = -h..h: fit y = a u^2 + b u + c; sums of u^2 and u^4 are constants
        double su2 = 0, su4 = 0, sy = 0, suy = 0, su2y = 0;
        for (int u = -h; u <= h; u++) {
            double y = x[i + u];
            su2 += u * u;
            su4 += (double) u * u * u * u;
            sy += y;
            suy += u * y;
            su2y += u * u * y;
        }
        int m = 2 * h + 1;
        double b = suy / su2;
        double a = (m * su2y - su2 * sy) / (m * su4 - su2 * su2);
        if (a >= 0) {
            return i;
        }
        double off = -b / (2 * a);
        return Math.abs(off) <= h ? i + off : i;
    }

    private static double rms(double[][] a) {
        double s = 0;
        for (double[] axis : a) {
            for (double v : axis) {
                s += v * v;
            }
        }
        return Math.sqrt(s / a[0].length);
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
