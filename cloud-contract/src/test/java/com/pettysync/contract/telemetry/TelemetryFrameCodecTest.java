package com.pettysync.contract.telemetry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.contract.frame.ContractViolation;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TelemetryFrameCodecTest {

    static TelemetrySummary allFieldsAtMaximum() {
        long top = Long.MAX_VALUE;
        return TelemetrySummary.of(0xFFFF_FFFFL, top - 3600, 3600)
                .withHr(new HeartRate(400, 400, 400, 2000, 100))
                .withAct(new Activity(top, 3600, 0, 0, 0, 16000))
                .withLoc(new Location(-900_000_000, -1_800_000_000, 65535, 3600))
                .withMood(new Mood(MoodClass.SAD, 100, 65535, 65535, 65535, 65535))
                .withDev(new DeviceStatus(100, 6000, -400, -150, top, EnumSet.allOf(DeviceStatus.Flag.class)))
                .withFw(new Firmware(top, top));
    }

    @Test
    void everyFieldExceptTheTrailFitsByConstruction() {
        // every field takes its widest encoding (9-byte uints, 5-byte coordinates, 3-byte bounded values)
        byte[] frame = TelemetryFrameCodec.encode(allFieldsAtMaximum());
        System.out.println("all-fields-at-maximum frame with an empty trail: " + frame.length + " bytes");
        assertEquals(139, frame.length);
        assertTrue(frame.length <= TelemetryFrameCodec.MAX_FRAME_BYTES);
        assertEquals(allFieldsAtMaximum(), TelemetryFrameCodec.decode(frame));
    }

    @ParameterizedTest
    @CsvSource({"0,0", "49,0", "50,1", "149,1", "150,2", "-50,0", "-51,-1", "-149,-1", "-150,-1", "-151,-2",
        "-338688151,-3386882", "-900000000,-9000000", "1800000000,18000000"})
    void newestFixRoundsToE5WithFloorAlsoForNegatives(int e7, int e5) {
        Location loc = new Location(e7 / 2, e7, 0, 0);
        assertEquals(e5, loc.lonE5());
    }

    @Test
    void trailIsWrittenAsDeltasSteppingBackFromTheNewestFix() {
        // P0 = floor((-1 + 50) / 100) = 0 and floor((-151 + 50)/100) = -2; T0 = 1000 + 60 - 10 = 1050
        TelemetrySummary s = TelemetrySummary.of(1, 1000, 60).withLoc(new Location(-1, -151, 3, 10,
                List.of(new TrailPoint(1, -30, 1045), new TrailPoint(-24, 0, 1000))));
        String hex = HexFormat.of().formatHex(TelemetryFrameCodec.encode(s));
        // a5 00 01 01 01 02 1903e8 03 183c 06 85 20 3896 03 0a 86 [20 181c 05] [18 19 381d 182d]
        assertEquals("a50001010102" + "1903e8" + "03183c" + "0685" + "20" + "3896" + "03" + "0a"
                + "86" + "20" + "181c" + "05" + "1819" + "381d" + "182d", hex);
        assertEquals(s, TelemetryFrameCodec.decode(HexFormat.of().parseHex(hex)));
    }

    // ------------------------------------------------------------------------------------------------ thinning

    /** Trail fixes of 11 bytes each (5-byte position deltas, 1-byte dt); T0 = 1060, t0 = 1000. */
    static List<TrailPoint> walk(long... times) {
        List<TrailPoint> trail = new ArrayList<>();
        int lat = 0;
        for (long t : times) {
            lat -= 100_000;
            trail.add(new TrailPoint(lat, lat, t));
        }
        return trail;
    }

    /** A summary with t0 = 1000, T0 = 1000 + dur, and {@code trail}. */
    static TelemetrySummary windowWith(int dur, List<TrailPoint> trail) {
        return TelemetrySummary.of(1, 1000, dur).withHr(new HeartRate(92, 78, 131, 48, 87))
                .withLoc(new Location(0, 0, 35, 0, trail));
    }

    /** Frame size of {@code s} with an empty trail. */
    static int base(TelemetrySummary s) {
        return TelemetryFrameCodec.encode(s.withLoc(s.loc().withTrail(List.of()))).length;
    }

    static List<Long> keptTimes(TelemetrySummary thinned) {
        return thinned.loc().trail().stream().map(TrailPoint::t).toList();
    }

    @ParameterizedTest(name = "room for {0} fixes keeps {1}")
    @CsvSource(delimiter = ';', value = {
        "5; 1058 1056 1040 1038 1020",
        "4; 1056 1040 1038 1020", // cost(1) = T0 − T2 = 4 is the smallest
        "3; 1056 1038 1020",      // then the inner fix 1040 (cost 1056 − 1038 = 18)
        "2; 1038 1020",           // then 1056 (cost 1060 − 1038 = 22)
        "1; 1038",                // then the oldest, 1020 (cost 1038 − t0 = 38 < 1060 − 1020 = 40)
        "0; ''"})
    void removesTheCheapestFixFirstAndRecomputesCosts(int room, String expected) {
        List<TrailPoint> trail = walk(1058, 1056, 1040, 1038, 1020);
        TelemetrySummary s = windowWith(60, trail);
        List<Long> want = expected.isBlank() ? List.of()
                : java.util.Arrays.stream(expected.split(" ")).map(Long::parseLong).toList();
        for (int slack : new int[] {0, 10}) { // the budget holds exactly `room` fixes, with 0 or 10 bytes spare
            TelemetrySummary thinned = TelemetryFrameCodec.thin(s, base(s) + 11 * room + slack);
            assertEquals(want, keptTimes(thinned), "slack " + slack);
        }
    }

    @Test
    void onATieTheOlderFixGoes() {
        // T0 = 1040, t0 = 1000: cost(1) = 1040 − 1020, cost(2) = 1030 − 1010, cost(3, oldest) = 1020 − 1000: all 20
        List<TrailPoint> trail = walk(1030, 1020, 1010);
        TelemetrySummary s = windowWith(40, trail);
        assertEquals(List.of(1030L, 1020L), keptTimes(TelemetryFrameCodec.thin(s, base(s) + 22)));
        // then cost(1) = 1040 − 1020 = 20 < cost(2, oldest) = 1030 − 1000 = 30
        assertEquals(List.of(1020L), keptTimes(TelemetryFrameCodec.thin(s, base(s) + 11)));
    }

    @Test
    void thinsOnlyWhenTheFrameIsOver182BytesAndDecodesToTheKeptTrail() {
        // 14 fixes of 11 bytes: the 182-byte budget holds 11 of them with this base
        List<TrailPoint> trail = new ArrayList<>(walk(1059, 1058, 1057, 1056, 1055, 1054, 1053, 1052, 1051, 1050,
                1040, 1030, 1020, 1010));
        TelemetrySummary s = windowWith(60, trail);
        int room = (182 - base(s)) / 11;
        TelemetrySummary thinned = TelemetryFrameCodec.thin(s);
        assertEquals(room, thinned.loc().trail().size());
        byte[] frame = TelemetryFrameCodec.encode(s);
        assertTrue(frame.length <= 182 && frame.length > 182 - 11, "size " + frame.length);
        assertEquals(thinned, TelemetryFrameCodec.decode(frame));
        TelemetrySummary fits = windowWith(60, trail.subList(0, room));
        assertEquals(fits, TelemetryFrameCodec.thin(fits));
    }

    // ------------------------------------------------------------------------------------------------ validation

    static TelemetrySummary valid() {
        return TelemetrySummary.of(42, 1_767_225_600L, 300)
                .withHr(new HeartRate(92, 78, 131, 48, 87))
                .withAct(new Activity(412, 120, 150, 20, 10, 2400))
                .withLoc(new Location(137_563_000, 1_005_018_000, 35, 4,
                        List.of(new TrailPoint(1_375_622, 10_050_171, 1_767_225_866L))))
                .withMood(new Mood(MoodClass.HAPPY, 71, 3, 0, 1, 0))
                .withDev(new DeviceStatus(64, 3810, 312, -67, 0, EnumSet.of(DeviceStatus.Flag.CLOCK_GNSS)))
                .withFw(new Firmware(1042, 3));
    }

    static String violation(TelemetrySummary s) {
        ContractViolation v = assertThrows(ContractViolation.class, () -> TelemetryFrameCodec.encode(s));
        return v.path();
    }

    @Test
    void validatorNamesTheOffendingFieldOfASummary() {
        TelemetrySummary s = valid();
        assertEquals(s, TelemetryFrameCodec.validate(s));
        assertEquals("seq", violation(TelemetrySummary.of(1L << 32, 0, 1)));
        assertEquals("t0", violation(TelemetrySummary.of(0, -1, 1)));
        assertEquals("dur", violation(TelemetrySummary.of(0, 0, 3601)));
        assertEquals("hr[0]", violation(s.withHr(new HeartRate(401, 78, 131, 48, 87))));
        assertEquals("hr[1]", violation(s.withHr(new HeartRate(92, 93, 131, 48, 87))));
        assertEquals("hr[2]", violation(s.withHr(new HeartRate(132, 78, 131, 48, 87))));
        assertEquals("hr[3]", violation(s.withHr(new HeartRate(92, 78, 131, 2001, 87))));
        assertEquals("hr[4]", violation(s.withHr(new HeartRate(92, 78, 131, 48, 101))));
        assertEquals("act[0]", violation(s.withAct(new Activity(-1, 0, 0, 0, 0, 0))));
        assertEquals("act", violation(s.withAct(new Activity(0, 100, 100, 100, 1, 0))));
        assertEquals("act[5]", violation(s.withAct(new Activity(0, 0, 0, 0, 0, 16001))));
        assertEquals("loc[0]", violation(s.withLoc(new Location(900_000_001, 0, 0, 0))));
        assertEquals("loc[1]", violation(s.withLoc(new Location(0, -1_800_000_001, 0, 0))));
        assertEquals("loc[2]", violation(s.withLoc(new Location(0, 0, 65536, 0))));
        assertEquals("loc[3]", violation(s.withLoc(new Location(0, 0, 0, 301))));
        assertEquals("mood[1]", violation(s.withMood(new Mood(MoodClass.SAD, 101, 0, 0, 0, 0))));
        assertEquals("mood[5]", violation(s.withMood(new Mood(MoodClass.SAD, 1, 0, 0, 0, 65536))));
        assertEquals("dev[0]", violation(s.withDev(new DeviceStatus(101, 0, 0, 0, 0, EnumSet.noneOf(DeviceStatus.Flag.class)))));
        assertEquals("dev[1]", violation(s.withDev(new DeviceStatus(1, 6001, 0, 0, 0, EnumSet.noneOf(DeviceStatus.Flag.class)))));
        assertEquals("dev[2]", violation(s.withDev(new DeviceStatus(1, 0, 1251, 0, 0, EnumSet.noneOf(DeviceStatus.Flag.class)))));
        assertEquals("dev[3]", violation(s.withDev(new DeviceStatus(1, 0, 0, 1, 0, EnumSet.noneOf(DeviceStatus.Flag.class)))));
        assertEquals("fw[1]", violation(s.withFw(new Firmware(0, -5))));
    }

    @Test
    void trailTimesMustStepBackAtLeastOneSecondAndNotBeforeT0() {
        TelemetrySummary s = TelemetrySummary.of(1, 1000, 60);
        Location loc = new Location(0, 0, 0, 10); // T0 = 1050
        assertEquals("loc.trail[2]", violation(s.withLoc(loc.withTrail(List.of(new TrailPoint(0, 0, 1050))))));
        assertEquals("loc.trail[5]", violation(s.withLoc(loc.withTrail(
                List.of(new TrailPoint(0, 0, 1040), new TrailPoint(0, 0, 1041))))));
        assertEquals("loc.trail[5]", violation(s.withLoc(loc.withTrail(
                List.of(new TrailPoint(0, 0, 1040), new TrailPoint(0, 0, 999))))));
        assertEquals("loc.trail[3]", violation(s.withLoc(loc.withTrail(
                List.of(new TrailPoint(0, 0, 1040), new TrailPoint(9_000_001, 0, 1000))))));
        TelemetrySummary ok = s.withLoc(loc.withTrail(List.of(new TrailPoint(0, 0, 1049), new TrailPoint(0, 0, 1000))));
        assertEquals(ok, TelemetryFrameCodec.decode(TelemetryFrameCodec.encode(ok)));
    }

    @Test
    void decoderRejectsWithPathAndRule() {
        ContractViolation v = assertThrows(ContractViolation.class, () -> TelemetryFrameCodec.decode(
                HexFormat.of().parseHex("a400020102021a6955b9000319012c")));
        assertEquals("v", v.path());
        assertEquals("v must be 1 … 1", v.rule());
        v = assertThrows(ContractViolation.class, () -> TelemetryFrameCodec.decode(new byte[183]));
        assertEquals("frame", v.path());
        assertTrue(v.rule().contains("over 182"), v.rule());
        // hr as a map instead of an array
        v = assertThrows(ContractViolation.class, () -> TelemetryFrameCodec.decode(
                HexFormat.of().parseHex("a500010101020203030 4a0".replace(" ", ""))));
        assertEquals("hr", v.path());
        assertTrue(v.rule().startsWith("must be an array of 5, not a map"), v.rule());
    }

    @Test
    void encodingIsDeterministicAndKeysAscend() {
        byte[] a = TelemetryFrameCodec.encode(valid());
        byte[] b = TelemetryFrameCodec.encode(TelemetryFrameCodec.decode(a));
        assertArrayEquals(a, b);
        assertEquals((byte) 0xaa, a[0]); // map of 10, definite length
    }
}
