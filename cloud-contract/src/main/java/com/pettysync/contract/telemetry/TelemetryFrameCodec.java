package com.pettysync.contract.telemetry;

import com.pettysync.contract.frame.CborFrameWriter;
import com.pettysync.contract.frame.CborItem;
import com.pettysync.contract.frame.CborReader;
import com.pettysync.contract.frame.ContractViolation;
import com.pettysync.contract.frame.Field;
import com.pettysync.contract.frame.FrameShape;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes, decodes and validates telemetry frames (wire contract v1 §3, §3.1).
 *
 * <p>Guarantees: {@link #encode} writes the core deterministic CBOR encoding of a valid summary, never more
 * than {@link #MAX_FRAME_BYTES} bytes, thinning the trail by the §3 rule when it does not fit (the same
 * summary always gives the same bytes); {@link #decode} accepts any well-formed CBOR of the frame's shape
 * (also non-shortest or indefinite-length encodings) and returns the validated summary with the trail as
 * absolute points. Failure model: every violated rule — and any byte string that is not such a frame —
 * is one {@link ContractViolation} naming the field path and the rule; nothing else is thrown, and decoding
 * rejects frames over 182 bytes before parsing, so its work and memory are bounded by that.
 *
 * <pre>
 * frame = map, keys ascending, absent key = no data, keys above 9 ignored on decode
 *   0 v    uint = 1            5 act  [steps, rest_s, walk_s, run_s, play_s, peak_mg]
 *   1 seq  uint &lt; 2^32         6 loc  [lat_e7, lon_e7, hacc_dm, age_s, trail]
 *   2 t0   uint (Unix s)       7 mood [mood, conf_pct, barks, growls, whines, howls]
 *   3 dur  uint 1 … 3600       8 dev  [battery_pct, battery_mv, temp_dc, rssi_dbm, backlog, flags]
 *   4 hr   [mean_bpm, min_bpm, max_bpm, rmssd_ms, quality_pct]    9 fw [build, model]
 * trail = [dlat_1, dlon_1, dt_1, dlat_2, …]  degrees × 10^5; P_k = P_(k−1) − (dlat_k, dlon_k),
 *         T_k = T_(k−1) − dt_k; P₀ = ⌊(lat_e7 + 50) / 100⌋, T₀ = t0 + dur − age_s
 * </pre>
 */
public final class TelemetryFrameCodec {
    /** The budget of a telemetry frame. */
    public static final int MAX_FRAME_BYTES = 182;

    static final String[] KEYS = {"v", "seq", "t0", "dur", "hr", "act", "loc", "mood", "dev", "fw"};
    static final Field SEQ = new Field("seq", 0, 0xFFFF_FFFFL);
    /** t0 is a uint; the window end t0 + dur must stay within Java's long. */
    static final Field T0 = new Field("t0", 0, Long.MAX_VALUE - 3600);
    static final Field DUR = new Field("dur", 1, 3600);
    static final Field[] HR = {new Field("mean_bpm", 20, 400), new Field("min_bpm", 20, 400),
        new Field("max_bpm", 20, 400), new Field("rmssd_ms", 0, 2000), new Field("quality_pct", 0, 100)};
    static final Field[] ACT = {Field.uint("steps"), new Field("rest_s", 0, 3600), new Field("walk_s", 0, 3600),
        new Field("run_s", 0, 3600), new Field("play_s", 0, 3600), new Field("peak_mg", 0, 16000)};
    static final Field[] LOC = {new Field("lat_e7", -900_000_000, 900_000_000),
        new Field("lon_e7", -1_800_000_000, 1_800_000_000), new Field("hacc_dm", 0, 65535),
        new Field("age_s", 0, 3600)};
    static final Field TRAIL_LAT = new Field("trail lat_e5", -9_000_000, 9_000_000);
    static final Field TRAIL_LON = new Field("trail lon_e5", -18_000_000, 18_000_000);
    static final Field[] MOOD = {new Field("mood", 0, 4), new Field("conf_pct", 0, 100),
        new Field("barks", 0, 65535), new Field("growls", 0, 65535), new Field("whines", 0, 65535),
        new Field("howls", 0, 65535)};
    static final Field[] DEV = {new Field("battery_pct", 0, 100), new Field("battery_mv", 0, 6000),
        new Field("temp_dc", -400, 1250), new Field("rssi_dbm", -150, 0), Field.uint("backlog"),
        new Field("flags", 0, DeviceStatus.Flag.ALL_BITS)};
    static final Field[] FW = {Field.uint("build"), Field.uint("model")};

    private TelemetryFrameCodec() {}

    // ------------------------------------------------------------------------------------------------ encode

    /**
     * The frame of {@code summary}: validated, trail thinned to fit, core deterministic CBOR, ≤ 182 bytes.
     *
     * @throws ContractViolation if the summary breaks a rule of §3.1
     */
    public static byte[] encode(TelemetrySummary summary) {
        validate(summary);
        byte[] frame = write(summary);
        return frame.length <= MAX_FRAME_BYTES ? frame : write(thin(summary));
    }

    /**
     * The summary as {@link #encode} writes it (and {@link #decode} returns it): validated, with the trail
     * fixes removed that do not fit the budget. The removal rule (§3): while the frame is over 182 bytes,
     * remove the fix k with the smallest cost — T_(k−1) − T_(k+1) for an inner fix, T_(n−1) − t0 for the
     * oldest — the older one on a tie; the newest fix (the {@code loc} position itself) always stays.
     */
    public static TelemetrySummary thin(TelemetrySummary summary) {
        return thin(summary, MAX_FRAME_BYTES);
    }

    /** {@link #thin(TelemetrySummary)} for another budget (tests use smaller ones). */
    static TelemetrySummary thin(TelemetrySummary summary, int budget) {
        validate(summary);
        Location loc = summary.loc();
        if (loc == null || loc.trail().isEmpty()) {
            return summary;
        }
        int base = write(summary.withLoc(loc.withTrail(List.of()))).length; // empty trail = 1 byte (0x80)
        int n = loc.trail().size();
        // index 0 is P0 / T0, 1..n the trail; "alive" holds the indices still kept, in order
        long[] lat = new long[n + 1];
        long[] lon = new long[n + 1];
        long[] t = new long[n + 1];
        lat[0] = loc.latE5();
        lon[0] = loc.lonE5();
        t[0] = summary.t0() + summary.dur() - loc.ageS();
        for (int i = 0; i < n; i++) {
            TrailPoint p = loc.trail().get(i);
            lat[i + 1] = p.latE5();
            lon[i + 1] = p.lonE5();
            t[i + 1] = p.t();
        }
        List<Integer> alive = new ArrayList<>(n + 1);
        for (int i = 0; i <= n; i++) {
            alive.add(i);
        }
        while (base - 1 + trailSize(alive, lat, lon, t) > budget) {
            int m = alive.size() - 1; // fixes in the trail
            int victim = -1;
            long best = Long.MAX_VALUE;
            for (int k = 1; k <= m; k++) {
                long cost = k < m ? t[alive.get(k - 1)] - t[alive.get(k + 1)] : t[alive.get(m - 1)] - summary.t0();
                if (cost <= best) { // "<=": on a tie the older (larger k) fix goes
                    best = cost;
                    victim = k;
                }
            }
            alive.remove(victim);
        }
        if (alive.size() == n + 1) {
            return summary;
        }
        List<TrailPoint> kept = new ArrayList<>(alive.size() - 1);
        for (int j = 1; j < alive.size(); j++) {
            kept.add(loc.trail().get(alive.get(j) - 1));
        }
        return summary.withLoc(loc.withTrail(kept));
    }

    /** Encoded size of the trail array (head and entries) over the kept fixes. */
    private static int trailSize(List<Integer> alive, long[] lat, long[] lon, long[] t) {
        int size = CborFrameWriter.headSize(3L * (alive.size() - 1));
        for (int j = 1; j < alive.size(); j++) {
            int a = alive.get(j - 1);
            int b = alive.get(j);
            size += CborFrameWriter.integerSize(lat[a] - lat[b]) + CborFrameWriter.integerSize(lon[a] - lon[b])
                    + CborFrameWriter.integerSize(t[a] - t[b]);
        }
        return size;
    }

    /** Writes a validated summary as it is (no thinning). */
    private static byte[] write(TelemetrySummary s) {
        int entries = 4 + count(s.hr()) + count(s.act()) + count(s.loc()) + count(s.mood()) + count(s.dev())
                + count(s.fw());
        CborFrameWriter w = new CborFrameWriter(MAX_FRAME_BYTES).startMap(entries);
        w.key(0).integer(TelemetrySummary.VERSION);
        w.key(1).integer(s.seq());
        w.key(2).integer(s.t0());
        w.key(3).integer(s.dur());
        if (s.hr() != null) {
            w.key(4).integers(values(s.hr()));
        }
        if (s.act() != null) {
            w.key(5).integers(values(s.act()));
        }
        if (s.loc() != null) {
            Location loc = s.loc();
            w.key(6).startArray(5).integer(loc.latE7()).integer(loc.lonE7()).integer(loc.haccDm())
                    .integer(loc.ageS()).startArray(3 * loc.trail().size());
            long lat = loc.latE5();
            long lon = loc.lonE5();
            long t = s.t0() + s.dur() - loc.ageS();
            for (TrailPoint p : loc.trail()) {
                w.integer(lat - p.latE5()).integer(lon - p.lonE5()).integer(t - p.t());
                lat = p.latE5();
                lon = p.lonE5();
                t = p.t();
            }
            w.endArray().endArray();
        }
        if (s.mood() != null) {
            w.key(7).integers(values(s.mood()));
        }
        if (s.dev() != null) {
            w.key(8).integers(values(s.dev()));
        }
        if (s.fw() != null) {
            w.key(9).integers(values(s.fw()));
        }
        return w.finishMap();
    }

    private static int count(Object section) {
        return section == null ? 0 : 1;
    }

    static long[] values(HeartRate h) {
        return new long[] {h.meanBpm(), h.minBpm(), h.maxBpm(), h.rmssdMs(), h.qualityPct()};
    }

    static long[] values(Activity a) {
        return new long[] {a.steps(), a.restS(), a.walkS(), a.runS(), a.playS(), a.peakMg()};
    }

    static long[] values(Mood m) {
        return new long[] {m.mood().code(), m.confPct(), m.barks(), m.growls(), m.whines(), m.howls()};
    }

    static long[] values(DeviceStatus d) {
        return new long[] {d.batteryPct(), d.batteryMv(), d.tempDc(), d.rssiDbm(), d.backlog(), d.flagBits()};
    }

    static long[] values(Firmware f) {
        return new long[] {f.build(), f.model()};
    }

    // ------------------------------------------------------------------------------------------------ decode

    /**
     * The validated summary in {@code frame}.
     *
     * @throws ContractViolation if the bytes are not a valid telemetry frame (path + rule)
     */
    public static TelemetrySummary decode(byte[] frame) {
        FrameShape.checkSize(frame.length, MAX_FRAME_BYTES);
        CborItem[] known = FrameShape.topLevel(CborReader.readSingle(frame), KEYS);
        for (int k = 0; k <= 3; k++) {
            FrameShape.required(known, k, KEYS);
        }
        FrameShape.integer(known[0], "v", new Field("v", TelemetrySummary.VERSION, TelemetrySummary.VERSION));
        long seq = FrameShape.integer(known[1], "seq", SEQ);
        long t0 = FrameShape.integer(known[2], "t0", T0);
        int dur = (int) FrameShape.integer(known[3], "dur", DUR);
        TelemetrySummary s = TelemetrySummary.of(seq, t0, dur);
        if (known[4] != null) {
            long[] v = FrameShape.integers(known[4], "hr", HR);
            s = s.withHr(new HeartRate((int) v[0], (int) v[1], (int) v[2], (int) v[3], (int) v[4]));
        }
        if (known[5] != null) {
            long[] v = FrameShape.integers(known[5], "act", ACT);
            s = s.withAct(new Activity(v[0], (int) v[1], (int) v[2], (int) v[3], (int) v[4], (int) v[5]));
        }
        if (known[6] != null) {
            s = s.withLoc(decodeLocation(known[6], t0, dur));
        }
        if (known[7] != null) {
            long[] v = FrameShape.integers(known[7], "mood", MOOD);
            s = s.withMood(new Mood(MoodClass.ofCode(v[0], "mood[0]"), (int) v[1], (int) v[2], (int) v[3],
                    (int) v[4], (int) v[5]));
        }
        if (known[8] != null) {
            long[] v = FrameShape.integers(known[8], "dev", DEV);
            s = s.withDev(new DeviceStatus((int) v[0], (int) v[1], (int) v[2], (int) v[3], v[4],
                    DeviceStatus.Flag.ofBits(v[5], "dev[5]")));
        }
        if (known[9] != null) {
            long[] v = FrameShape.integers(known[9], "fw", FW);
            s = s.withFw(new Firmware(v[0], v[1]));
        }
        return validate(s);
    }

    private static Location decodeLocation(CborItem item, long t0, int dur) {
        List<CborItem> items = FrameShape.array(item, "loc", 5);
        long[] v = new long[4];
        for (int i = 0; i < 4; i++) {
            v[i] = FrameShape.integer(items.get(i), "loc[" + i + "]", LOC[i]);
        }
        if (v[3] > dur) {
            throw new ContractViolation("loc[3]", "age_s " + v[3] + " > dur " + dur);
        }
        Location loc = new Location((int) v[0], (int) v[1], (int) v[2], (int) v[3]);
        List<CborItem> deltas = FrameShape.array(items.get(4), "loc.trail", -1);
        if (deltas.size() % 3 != 0) {
            throw new ContractViolation("loc.trail", "length " + deltas.size() + " is not a multiple of 3");
        }
        Field any = new Field("trail entry", Long.MIN_VALUE, Long.MAX_VALUE);
        List<TrailPoint> trail = new ArrayList<>(deltas.size() / 3);
        long lat = loc.latE5();
        long lon = loc.lonE5();
        long t = t0 + dur - v[3];
        for (int i = 0; i < deltas.size(); i += 3) {
            String pLat = "loc.trail[" + i + "]";
            String pLon = "loc.trail[" + (i + 1) + "]";
            String pDt = "loc.trail[" + (i + 2) + "]";
            lat = step(lat, deltas.get(i), pLat, any, TRAIL_LAT);
            lon = step(lon, deltas.get(i + 1), pLon, any, TRAIL_LON);
            CborItem dtItem = deltas.get(i + 2);
            if (dtItem instanceof CborItem.BigInt b && !b.negative()) {
                throw new ContractViolation(pDt, "dt reaches before t0");
            }
            long dt = FrameShape.integer(dtItem, pDt, any);
            if (dt < 1) {
                throw new ContractViolation(pDt, "dt must be ≥ 1");
            }
            if (t - dt < t0) {
                throw new ContractViolation(pDt, "dt reaches before t0");
            }
            t -= dt;
            trail.add(new TrailPoint((int) lat, (int) lon, t));
        }
        return loc.withTrail(trail);
    }

    /** P_k = P_(k−1) − d, in range. */
    private static long step(long previous, CborItem delta, String path, Field any, Field range) {
        if (delta instanceof CborItem.BigInt) {
            throw new ContractViolation(path, range.outOfRange());
        }
        long d = FrameShape.integer(delta, path, any);
        long p;
        try {
            p = Math.subtractExact(previous, d);
        } catch (ArithmeticException e) {
            throw new ContractViolation(path, range.outOfRange());
        }
        return range.check(p, path);
    }

    // ---------------------------------------------------------------------------------------------- validate

    /**
     * Returns {@code summary} if it keeps every rule of §3.1 that a summary can break (ranges, min ≤ mean ≤
     * max, durations ≤ dur, age_s ≤ dur, trail times strictly decreasing from T₀ and not before t0, trail
     * positions within ±90°/±180°); the 182-byte budget is kept by {@link #encode} itself.
     *
     * @throws ContractViolation naming the first offending field (wire paths, e.g. {@code hr[1]})
     */
    public static TelemetrySummary validate(TelemetrySummary s) {
        SEQ.check(s.seq(), "seq");
        T0.check(s.t0(), "t0");
        DUR.check(s.dur(), "dur");
        if (s.hr() != null) {
            long[] v = check(values(s.hr()), HR, "hr");
            if (v[1] > v[0]) {
                throw new ContractViolation("hr[1]", "min_bpm " + v[1] + " > mean_bpm " + v[0]);
            }
            if (v[0] > v[2]) {
                throw new ContractViolation("hr[2]", "mean_bpm " + v[0] + " > max_bpm " + v[2]);
            }
        }
        if (s.act() != null) {
            long[] v = check(values(s.act()), ACT, "act");
            long sum = v[1] + v[2] + v[3] + v[4];
            if (sum > s.dur()) {
                throw new ContractViolation("act", "rest_s + walk_s + run_s + play_s = " + sum + " > dur " + s.dur());
            }
        }
        if (s.loc() != null) {
            validateLocation(s);
        }
        if (s.mood() != null) {
            check(values(s.mood()), MOOD, "mood");
        }
        if (s.dev() != null) {
            check(values(s.dev()), DEV, "dev");
        }
        if (s.fw() != null) {
            check(values(s.fw()), FW, "fw");
        }
        return s;
    }

    private static void validateLocation(TelemetrySummary s) {
        Location loc = s.loc();
        check(new long[] {loc.latE7(), loc.lonE7(), loc.haccDm(), loc.ageS()}, LOC, "loc");
        if (loc.ageS() > s.dur()) {
            throw new ContractViolation("loc[3]", "age_s " + loc.ageS() + " > dur " + s.dur());
        }
        long t = s.t0() + s.dur() - loc.ageS();
        for (int k = 0; k < loc.trail().size(); k++) {
            TrailPoint p = loc.trail().get(k);
            TRAIL_LAT.check(p.latE5(), "loc.trail[" + 3 * k + "]");
            TRAIL_LON.check(p.lonE5(), "loc.trail[" + (3 * k + 1) + "]");
            String pDt = "loc.trail[" + (3 * k + 2) + "]";
            if (p.t() > t - 1) {
                throw new ContractViolation(pDt, "dt must be ≥ 1 (trail times strictly decrease from T0 = "
                        + "t0 + dur − age_s)");
            }
            if (p.t() < s.t0()) {
                throw new ContractViolation(pDt, "dt reaches before t0");
            }
            t = p.t();
        }
    }

    private static long[] check(long[] values, Field[] fields, String path) {
        for (int i = 0; i < fields.length; i++) {
            fields[i].check(values[i], path + "[" + i + "]");
        }
        return values;
    }
}
