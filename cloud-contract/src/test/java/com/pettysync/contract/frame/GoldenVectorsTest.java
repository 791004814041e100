package com.pettysync.contract.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pettysync.contract.event.EventFrameCodec;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.contract.telemetry.TelemetrySummary;
import com.pettysync.contract.raw.RawChunkCodec;
import com.pettysync.contract.voice.VoiceClipPartCodec;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs both directions over the golden vectors, which an independent Python/cbor2 encoder written from the
 * spec generated ({@code src/test/python/make_vectors.py}): hex → decoded JSON and JSON → identical hex;
 * thinning vectors also from the full-trail encoder input; accepted non-deterministic encodings decode to
 * their JSON; rejected frames fail at the recorded path.
 */
class GoldenVectorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Path dir() throws URISyntaxException {
        return Path.of(GoldenVectorsTest.class.getResource("/vectors").toURI());
    }

    static List<Path> files(String prefix, String suffix) throws IOException, URISyntaxException {
        try (Stream<Path> s = Files.list(dir())) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .filter(p -> p.getFileName().toString().endsWith(suffix))
                    .filter(p -> !p.getFileName().toString().endsWith(".input.json")).sorted().toList();
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p).strip();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Path sibling(Path hex, String suffix) {
        String name = hex.getFileName().toString();
        return hex.resolveSibling(name.substring(0, name.length() - ".hex".length()) + suffix);
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void vectorSetCoversEveryKind() throws Exception {
        assertTrue(files("telemetry-", ".hex").size() >= 10);
        assertEquals(8, files("event-", ".hex").size());
        assertEquals(1, files("voice-", ".hex").size());
        assertEquals(2, files("raw-", ".hex").size());
        assertTrue(files("badraw-", ".hex").size() >= 10);
        assertTrue(files("telemetry-thinned", ".input.json").isEmpty()); // filtered above; counted below
        try (Stream<Path> s = Files.list(dir())) {
            assertTrue(s.filter(p -> p.toString().endsWith(".input.json")).count() >= 3);
        }
        assertTrue(files("reject-", ".hex").size() >= 20);
    }

    @TestFactory
    Stream<DynamicTest> telemetryVectorsRoundTripBothWays() throws Exception {
        return files("telemetry-", ".hex").stream().map(hexFile -> DynamicTest.dynamicTest(
                hexFile.getFileName().toString(), () -> {
                    String hex = read(hexFile);
                    JsonNode expected = tree(read(sibling(hexFile, ".json")));
                    TelemetrySummary decoded = TelemetryFrameCodec.decode(HexFormat.of().parseHex(hex));
                    assertEquals(expected, tree(ContractJson.toJson(decoded)), "hex → JSON");
                    TelemetrySummary fromJson = ContractJson.parseTelemetry(read(sibling(hexFile, ".json")));
                    assertEquals(decoded, fromJson);
                    assertEquals(hex, HexFormat.of().formatHex(TelemetryFrameCodec.encode(fromJson)), "JSON → hex");
                    Path input = sibling(hexFile, ".input.json");
                    if (Files.exists(input)) {
                        TelemetrySummary full = ContractJson.parseTelemetry(read(input));
                        assertTrue(full.loc().trail().size() > decoded.loc().trail().size());
                        assertEquals(hex, HexFormat.of().formatHex(TelemetryFrameCodec.encode(full)), "thinned");
                        assertEquals(decoded, TelemetryFrameCodec.thin(full));
                    }
                }));
    }

    @Test
    void randomSummariesEncodeToTheReferenceEncodersFrames() throws Exception {
        List<String> lines = Files.readAllLines(dir().resolve("random-summaries.tsv"));
        int thinned = 0;
        for (String line : lines) {
            String[] cols = line.split("\t");
            TelemetrySummary input = ContractJson.parseTelemetry(cols[0]);
            assertEquals(cols[1], HexFormat.of().formatHex(TelemetryFrameCodec.encode(input)), cols[0]);
            TelemetrySummary kept = TelemetryFrameCodec.decode(HexFormat.of().parseHex(cols[1]));
            assertEquals(TelemetryFrameCodec.thin(input), kept);
            thinned += kept.equals(input) ? 0 : 1;
        }
        assertEquals(200, lines.size());
        assertTrue(thinned > 50, "thinned " + thinned);
    }

    @TestFactory
    Stream<DynamicTest> eventVectorsRoundTripBothWays() throws Exception {
        return files("event-", ".hex").stream().map(hexFile -> DynamicTest.dynamicTest(
                hexFile.getFileName().toString(), () -> {
                    String hex = read(hexFile);
                    String json = read(sibling(hexFile, ".json"));
                    assertEquals(tree(json), tree(ContractJson.toJson(EventFrameCodec.decode(
                            HexFormat.of().parseHex(hex)))));
                    assertEquals(hex, HexFormat.of().formatHex(EventFrameCodec.encode(ContractJson.parseEvent(json))));
                }));
    }

    @TestFactory
    Stream<DynamicTest> voiceVectorsRoundTripBothWays() throws Exception {
        return files("voice-", ".hex").stream().map(hexFile -> DynamicTest.dynamicTest(
                hexFile.getFileName().toString(), () -> {
                    String hex = read(hexFile);
                    String json = read(sibling(hexFile, ".json"));
                    assertEquals(tree(json), tree(ContractJson.toJson(VoiceClipPartCodec.decode(
                            HexFormat.of().parseHex(hex)))));
                    assertEquals(hex, HexFormat.of().formatHex(
                            VoiceClipPartCodec.encode(ContractJson.parseVoicePart(json))));
                }));
    }

    @TestFactory
    Stream<DynamicTest> rawChunkVectorsRoundTripBothWays() throws Exception {
        return files("raw-", ".hex").stream().map(hexFile -> DynamicTest.dynamicTest(
                hexFile.getFileName().toString(), () -> {
                    String hex = read(hexFile);
                    String json = read(sibling(hexFile, ".json"));
                    assertEquals(tree(json), tree(ContractJson.toJson(RawChunkCodec.decode(
                            HexFormat.of().parseHex(hex)))));
                    assertEquals(hex, HexFormat.of().formatHex(
                            RawChunkCodec.encode(ContractJson.parseRawChunk(json))));
                }));
    }

    @TestFactory
    Stream<DynamicTest> invalidRawChunksAreRejectedAtTheirPath() throws Exception {
        return files("badraw-", ".hex").stream().map(hexFile -> DynamicTest.dynamicTest(
                hexFile.getFileName().toString(), () -> {
                    byte[] frame = HexFormat.of().parseHex(read(hexFile));
                    ContractViolation v = assertThrows(ContractViolation.class, () -> RawChunkCodec.decode(frame));
                    assertEquals(read(sibling(hexFile, ".path")), v.path(), v.getMessage());
                }));
    }

    @TestFactory
    Stream<DynamicTest> nonDeterministicEncodingsAreAcceptedAndReencodedDeterministically() throws Exception {
        return files("accept-", ".hex").stream().map(hexFile -> DynamicTest.dynamicTest(
                hexFile.getFileName().toString(), () -> {
                    byte[] frame = HexFormat.of().parseHex(read(hexFile));
                    TelemetrySummary decoded = TelemetryFrameCodec.decode(frame);
                    assertEquals(tree(read(sibling(hexFile, ".json"))), tree(ContractJson.toJson(decoded)));
                    byte[] canonical = TelemetryFrameCodec.encode(decoded);
                    assertFalse(java.util.Arrays.equals(frame, canonical));
                    assertEquals(decoded, TelemetryFrameCodec.decode(canonical));
                }));
    }

    @TestFactory
    Stream<DynamicTest> invalidFramesAreRejectedAtTheirPath() throws Exception {
        return files("reject-", ".hex").stream().map(hexFile -> DynamicTest.dynamicTest(
                hexFile.getFileName().toString(), () -> {
                    byte[] frame = HexFormat.of().parseHex(read(hexFile));
                    ContractViolation v = assertThrows(ContractViolation.class,
                            () -> TelemetryFrameCodec.decode(frame));
                    assertEquals(read(sibling(hexFile, ".path")), v.path(), v.getMessage());
                }));
    }
}
