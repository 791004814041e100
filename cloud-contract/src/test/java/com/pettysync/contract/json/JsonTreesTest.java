package com.pettysync.contract.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The mapper-free reader and writer against Jackson's ObjectMapper, the reference they replace. */
class JsonTreesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void readsAndWritesLikeTheObjectMapper() throws Exception {
        List<String> docs = List.of("{}", "[]", "0", "-1", "\"x\"", "null", "true",
                "{\"state\":{\"desired\":{\"telemetryIntervalS\":300,\"geofences\":[{\"lat\":-33.8688,\"lon\":151.2093,"
                        + "\"radiusM\":150}],\"voiceUpload\":\"episodes\"}},\"version\":7,\"timestamp\":1790000000}",
                "{\"big\":12345678901234567890123,\"long\":9007199254740993,\"int\":2147483647,\"neg\":-2147483649,"
                        + "\"d\":1.5e-7,\"z\":-0.0,\"s\":\"\\u00e9\\n\\\"q\\\"\",\"a\":[null,false,[[]],{}]}");
        for (String d : docs) {
            JsonNode ours = JsonTrees.read(d);
            JsonNode ref = MAPPER.readTree(d);
            assertEquals(ref, ours, d);
            assertEquals(ref.getClass(), ours.getClass(), d);
            assertEquals(MAPPER.writeValueAsString(ref), JsonTrees.string(ours), d);
            assertArrayEquals(MAPPER.writeValueAsBytes(ref), JsonTrees.bytes(ours), d);
            assertEquals(ref, MAPPER.readTree(JsonTrees.prettyBytes(ours)), d);
        }
    }

    @Test
    void randomTreesRoundTripAndMatchTheMapper() throws Exception {
        Random r = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            JsonNode t = random(r, 0);
            String ref = MAPPER.writeValueAsString(t);
            assertEquals(ref, JsonTrees.string(t));
            assertEquals(MAPPER.readTree(ref), JsonTrees.read(ref.getBytes(StandardCharsets.UTF_8)), ref);
        }
    }

    private static JsonNode random(Random r, int depth) {
        int kind = depth > 3 ? r.nextInt(5) : r.nextInt(7);
        return switch (kind) {
            case 0 -> MAPPER.getNodeFactory().numberNode(r.nextInt());
            case 1 -> MAPPER.getNodeFactory().numberNode(r.nextLong());
            case 2 -> MAPPER.getNodeFactory().numberNode(r.nextDouble() * 1000 - 500);
            case 3 -> MAPPER.getNodeFactory().textNode(Long.toString(r.nextLong(), 36) + "\u00e9\t\"");
            case 4 -> r.nextBoolean() ? MAPPER.getNodeFactory().booleanNode(r.nextBoolean())
                    : MAPPER.getNodeFactory().nullNode();
            case 5 -> {
                var a = MAPPER.createArrayNode();
                for (int i = r.nextInt(4); i > 0; i--) {
                    a.add(random(r, depth + 1));
                }
                yield a;
            }
            default -> {
                var o = MAPPER.createObjectNode();
                for (int i = r.nextInt(4); i > 0; i--) {
                    o.set("k" + r.nextInt(100), random(r, depth + 1));
                }
                yield o;
            }
        };
    }

    @Test
    void refusesWhatAMapperWouldSilentlyAccept() {
        assertTrue(assertThrows(JsonParseException.class, () -> JsonTrees.read("{\"a\":1,\"a\":2}")).getMessage()
                .contains("Duplicate field 'a'"));
        assertTrue(assertThrows(JsonParseException.class, () -> JsonTrees.read("{} {}")).getMessage()
                .contains("content after"));
        assertTrue(assertThrows(JsonParseException.class, () -> JsonTrees.read("  ")).getMessage()
                .contains("empty document"));
        String deep = "[".repeat(JsonTrees.MAX_DEPTH + 1) + "]".repeat(JsonTrees.MAX_DEPTH + 1);
        assertTrue(assertThrows(JsonParseException.class, () -> JsonTrees.read(deep)).getMessage()
                .contains("nesting depth"));
        JsonParseException e = assertThrows(JsonParseException.class, () -> JsonTrees.read("{\"a\":\n tru}"));
        assertEquals(2, e.getLocation().getLineNr(), e.getMessage());
        assertThrows(JsonParseException.class, () -> JsonTrees.read(new byte[] {(byte) 0xff, (byte) 0xfe, 0x7b}));
    }
}
