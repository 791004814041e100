package com.pettysync.contract.telemetry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.contract.frame.ContractJson;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** For any valid summary: the frame fits 182 bytes, decodes to the summary with the kept trail, is deterministic. */
class TelemetryFramePropertyTest {

    @Property(tries = 2000)
    void encodeFitsDecodesToTheKeptTrailAndIsDeterministic(@ForAll("summaries") TelemetrySummary s) {
        byte[] frame = TelemetryFrameCodec.encode(s);
        assertTrue(frame.length <= TelemetryFrameCodec.MAX_FRAME_BYTES, "size " + frame.length);
        TelemetrySummary kept = TelemetryFrameCodec.thin(s);
        assertEquals(kept, TelemetryFrameCodec.decode(frame));
        assertArrayEquals(frame, TelemetryFrameCodec.encode(s));
        assertArrayEquals(frame, TelemetryFrameCodec.encode(kept));
        assertEquals(kept, ContractJson.parseTelemetry(ContractJson.toJson(kept)));
        if (s.loc() != null) {
            List<TrailPoint> full = s.loc().trail();
            List<TrailPoint> left = kept.loc().trail();
            assertTrue(isSubsequence(left, full), "kept fixes are a subsequence of the trail");
            if (left.size() < full.size()) {
                // thinning stops as soon as the frame fits: one more fix would not have fitted
                assertTrue(frame.length > TelemetryFrameCodec.MAX_FRAME_BYTES - 3 * 9 - 2, "size " + frame.length);
            }
        }
    }

    static boolean isSubsequence(List<TrailPoint> sub, List<TrailPoint> all) {
        int i = 0;
        for (TrailPoint p : all) {
            if (i < sub.size() && sub.get(i).equals(p)) {
                i++;
            }
        }
        return i == sub.size();
    }

    @Provide
    Arbitrary<TelemetrySummary> summaries() {
        Arbitrary<Long> seq = Arbitraries.longs().between(0, 0xFFFF_FFFFL);
        Arbitrary<Long> t0 = Arbitraries.oneOf(Arbitraries.longs().between(1_700_000_000L, 1_900_000_000L),
                Arbitraries.longs().between(0, Long.MAX_VALUE - 3600));
        Arbitrary<Integer> dur = Arbitraries.oneOf(Arbitraries.just(300), Arbitraries.integers().between(1, 3600));
        Arbitrary<Long> seed = Arbitraries.longs();
        return Combinators.combine(seq, t0, dur, seed)
                .as((q, t, d, sd) -> generate(q, t, d, new Random(sd)));
    }

    /** A valid summary: each section present with probability ~2/3, trails of 0 … 120 fixes. */
    static TelemetrySummary generate(long seq, long t0, int dur, Random r) {
        TelemetrySummary s = TelemetrySummary.of(seq, t0, dur);
        if (r.nextInt(3) > 0) {
            int[] bpm = {20 + r.nextInt(381), 20 + r.nextInt(381), 20 + r.nextInt(381)};
            java.util.Arrays.sort(bpm);
            s = s.withHr(new HeartRate(bpm[1], bpm[0], bpm[2], r.nextInt(2001), r.nextInt(101)));
        }
        if (r.nextInt(3) > 0) {
            int[] d = new int[4];
            int left = dur;
            for (int i = 0; i < 4; i++) {
                d[i] = r.nextInt(left + 1);
                left -= d[i];
            }
            s = s.withAct(new Activity(uint(r), d[0], d[1], d[2], d[3], r.nextInt(16001)));
        }
        if (r.nextInt(3) > 0) {
            int lat = r.nextInt(1_800_000_001) - 900_000_000;
            int lon = (int) (r.nextLong(3_600_000_001L) - 1_800_000_000L);
            int age = r.nextInt(dur + 1);
            Location loc = new Location(lat, lon, r.nextInt(65536), age);
            s = s.withLoc(loc.withTrail(trail(s, loc, r)));
        }
        if (r.nextInt(3) > 0) {
            s = s.withMood(new Mood(MoodClass.values()[r.nextInt(5)], r.nextInt(101), r.nextInt(65536),
                    r.nextInt(65536), r.nextInt(65536), r.nextInt(65536)));
        }
        if (r.nextInt(3) > 0) {
            s = s.withDev(new DeviceStatus(r.nextInt(101), r.nextInt(6001), r.nextInt(1651) - 400, -r.nextInt(151),
                    uint(r), DeviceStatus.Flag.ofBits(r.nextInt(512), "dev[5]")));
        }
        if (r.nextInt(3) > 0) {
            s = s.withFw(new Firmware(uint(r), uint(r)));
        }
        return s;
    }

    /** A uint of a random width, to exercise every head size. */
    static long uint(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> r.nextInt(24);
            case 1 -> r.nextInt(256);
            case 2 -> r.nextInt(65536);
            case 3 -> r.nextLong(1L << 32);
            default -> r.nextLong(Long.MAX_VALUE);
        };
    }

    static List<TrailPoint> trail(TelemetrySummary s, Location loc, Random r) {
        int n = r.nextInt(4) == 0 ? 0 : r.nextInt(121);
        long t = s.t0() + s.dur() - loc.ageS();
        long lat = loc.latE5();
        long lon = loc.lonE5();
        int jump = new int[] {3, 30, 3000, 300_000}[r.nextInt(4)];
        List<TrailPoint> trail = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long dt = 1 + (r.nextBoolean() ? r.nextInt(5) : r.nextInt(120));
            if (t - dt < s.t0()) {
                break;
            }
            t -= dt;
            lat = Math.clamp(lat + r.nextInt(2 * jump + 1) - jump, -9_000_000, 9_000_000);
            lon = Math.clamp(lon + r.nextInt(2 * jump + 1) - jump, -18_000_000, 18_000_000);
            trail.add(new TrailPoint((int) lat, (int) lon, t));
        }
        return trail;
    }

    @Property(tries = 200)
    void decodeAcceptsEveryEnumFlagCombination(@ForAll("flagBits") int bits) {
        TelemetrySummary s = TelemetrySummary.of(1, 0, 1).withDev(new DeviceStatus(0, 0, 0, 0, 0,
                DeviceStatus.Flag.ofBits(bits, "dev[5]")));
        TelemetrySummary back = TelemetryFrameCodec.decode(TelemetryFrameCodec.encode(s));
        assertEquals(bits, back.dev().flagBits());
        assertEquals(EnumSet.copyOf(s.dev().flags().isEmpty() ? EnumSet.noneOf(DeviceStatus.Flag.class)
                : s.dev().flags()), back.dev().flags());
    }

    @Provide
    Arbitrary<Integer> flagBits() {
        return Arbitraries.integers().between(0, 511);
    }
}
