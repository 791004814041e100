package com.pettysync.contract.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.pettysync.contract.event.EventFrame;
import com.pettysync.contract.event.EventFrameCodec;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.contract.telemetry.TelemetrySummary;
import com.pettysync.contract.voice.VoiceClipPart;
import com.pettysync.contract.voice.VoiceClipPartCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Any byte string given to the decoders yields a value or a {@link ContractViolation} — never another
 * exception (a hang or a large allocation would show as a timeout or an OutOfMemoryError here). 120,000
 * random and mutated inputs per run (every third also through the event, voice and raw-chunk decoders), from a
 * fixed seed so a failure reproduces; every accepted input must
 * re-encode to a frame that decodes to the same value.
 */
class DecoderFuzzTest {
    private static final long SEED = 0x5e7_7e_5eedL;

    static List<byte[]> seeds() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        try (Stream<Path> files = Files.list(GoldenVectorsTest.dir())) {
            for (Path p : files.filter(f -> f.toString().endsWith(".hex")).sorted().toList()) {
                seeds.add(HexFormat.of().parseHex(Files.readString(p).strip()));
            }
        }
        return seeds;
    }

    /** A random change of a valid frame: bit flips, byte overwrites, insertions, deletions, truncation, splices. */
    static byte[] mutate(byte[] in, Random r, List<byte[]> seeds) {
        byte[] b = in.clone();
        int changes = 1 + r.nextInt(4);
        for (int c = 0; c < changes; c++) {
            int len = b.length;
            switch (r.nextInt(7)) {
                case 0 -> { if (len > 0) { b[r.nextInt(len)] ^= (byte) (1 << r.nextInt(8)); } }
                case 1 -> { if (len > 0) { b[r.nextInt(len)] = (byte) r.nextInt(256); } }
                case 2 -> { if (len > 0) { b[r.nextInt(len)] = (byte) new int[] {0x00, 0x17, 0x18, 0x1b, 0x3b, 0x5b,
                    0x7f, 0x9f, 0xbf, 0xf6, 0xf7, 0xff, 0x1f, 0xfb}[r.nextInt(14)]; } }
                case 3 -> { // insert
                    int at = r.nextInt(len + 1);
                    byte[] n = new byte[len + 1];
                    System.arraycopy(b, 0, n, 0, at);
                    n[at] = (byte) r.nextInt(256);
                    System.arraycopy(b, at, n, at + 1, len - at);
                    b = n;
                }
                case 4 -> { // delete
                    if (len > 0) {
                        int at = r.nextInt(len);
                        byte[] n = new byte[len - 1];
                        System.arraycopy(b, 0, n, 0, at);
                        System.arraycopy(b, at + 1, n, at, len - 1 - at);
                        b = n;
                    }
                }
                case 5 -> b = Arrays.copyOf(b, r.nextInt(len + 1)); // truncate
                default -> { // splice with another seed
                    byte[] o = seeds.get(r.nextInt(seeds.size()));
                    int cut = r.nextInt(len + 1);
                    int from = r.nextInt(o.length + 1);
                    byte[] n = Arrays.copyOf(b, cut + o.length - from);
                    System.arraycopy(o, from, n, cut, o.length - from);
                    b = n;
                }
            }
        }
        return b;
    }

    static byte[] random(Random r) {
        byte[] b = new byte[r.nextInt(r.nextBoolean() ? 16 : 200)];
        r.nextBytes(b);
        if (b.length > 0 && r.nextBoolean()) {
            b[0] = (byte) (0xa0 | r.nextInt(0x20)); // mostly maps, so parsing gets past the first byte
        }
        return b;
    }

    /** Feeds one input to a decoder; returns 1 if accepted. Anything but a ContractViolation fails the test. */
    static <T> int feed(byte[] in, Function<byte[], T> decode, Function<T, byte[]> encode) {
        T value;
        try {
            value = decode.apply(in);
        } catch (ContractViolation expected) {
            assertTrue(!expected.path().isEmpty() && !expected.rule().isEmpty());
            return 0;
        } catch (Throwable t) {
            fail("decoder threw " + t + " for " + HexFormat.of().formatHex(in), t);
            return 0;
        }
        byte[] again = encode.apply(value);
        assertEquals(value, decode.apply(again), "re-encoded value for " + HexFormat.of().formatHex(in));
        assertArrayEquals(again, encode.apply(decode.apply(again)));
        return 1;
    }

    @Test
    void randomAndMutatedInputsYieldAValueOrAContractViolation() throws Exception {
        List<byte[]> seeds = seeds();
        Random r = new Random(SEED);
        int inputs = 0;
        int accepted = 0;
        for (int i = 0; i < 120_000; i++) {
            byte[] in = i % 4 == 0 ? random(r) : mutate(seeds.get(r.nextInt(seeds.size())), r, seeds);
            accepted += feed(in, TelemetryFrameCodec::decode, TelemetryFrameCodec::encode);
            if (i % 3 == 0) {
                accepted += feed(in, EventFrameCodec::decode, EventFrameCodec::encode);
                accepted += feed(in, VoiceClipPartCodec::decode, VoiceClipPartCodec::encode);
                accepted += feed(in, com.pettysync.contract.raw.RawChunkCodec::decode,
                        com.pettysync.contract.raw.RawChunkCodec::encode);
            }
            inputs++;
        }
        System.out.println("fuzz: " + inputs + " inputs, " + accepted + " accepted by a decoder");
        assertEquals(120_000, inputs);
        assertTrue(accepted > 1000, "mutations should keep many frames valid: " + accepted);
    }

    @Test
    void hostileLengthsAreRejectedWithoutAllocatingThem() {
        // a 128 KiB voice part claiming a 4 GiB byte string, and nested arrays claiming 2^31 elements
        byte[] part = new byte[VoiceClipPartCodec.MAX_PART_BYTES];
        byte[] head = HexFormat.of().parseHex("aa0001" + "0101" + "0201" + "031903e8" + "0400" + "0501" + "06820000"
                + "0700" + "0801" + "095affffffff");
        System.arraycopy(head, 0, part, 0, head.length);
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 200; i++) {
            assertEquals("frame", assertThrowsViolation(part).path());
            assertEquals("frame", assertThrowsViolation(HexFormat.of().parseHex("9a7fffffff" + "9a7fffffff")).path());
        }
        assertTrue(rt.totalMemory() - rt.freeMemory() < 1L << 30);
    }

    static ContractViolation assertThrowsViolation(byte[] in) {
        try {
            VoiceClipPart p = VoiceClipPartCodec.decode(in);
            fail("accepted " + p);
            return null;
        } catch (ContractViolation v) {
            return v;
        }
    }

    @Test
    void mutatedJsonYieldsAValueOrAContractViolation() throws Exception {
        Random r = new Random(SEED);
        List<String> docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(GoldenVectorsTest.dir())) {
            for (Path p : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                docs.add(Files.readString(p).strip());
            }
        }
        String alphabet = "{}[]:,\"0123456789-.eE null true false v seq t0 dur hr loc trail lat_e5 flags ";
        int accepted = 0;
        for (int i = 0; i < 10_000; i++) {
            StringBuilder s = new StringBuilder(docs.get(r.nextInt(docs.size())));
            for (int c = 1 + r.nextInt(3); c > 0 && !s.isEmpty(); c--) {
                int at = r.nextInt(s.length());
                switch (r.nextInt(3)) {
                    case 0 -> s.deleteCharAt(at);
                    case 1 -> s.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
                    default -> s.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
                }
            }
            for (Function<String, Object> parse : List.<Function<String, Object>>of(ContractJson::parseTelemetry,
                    ContractJson::parseEvent, ContractJson::parseVoicePart)) {
                try {
                    parse.apply(s.toString());
                    accepted++;
                } catch (ContractViolation expected) {
                    // fine
                } catch (Throwable t) {
                    fail("JSON reader threw " + t + " for " + s, t);
                }
            }
        }
        assertTrue(accepted > 100, "accepted " + accepted);
    }

    @Test
    void acceptedEventAndVoiceValuesAreTheirRecords() {
        EventFrame e = EventFrameCodec.decode(EventFrameCodec.encode(EventFrame.of(1, 2,
                com.pettysync.contract.event.EventType.LOW_BATTERY, 9)));
        assertEquals(List.of(9L), e.data());
        TelemetrySummary s = TelemetryFrameCodec.decode(TelemetryFrameCodec.encode(TelemetrySummary.of(1, 2, 3)));
        assertEquals(TelemetrySummary.of(1, 2, 3), s);
    }
}
