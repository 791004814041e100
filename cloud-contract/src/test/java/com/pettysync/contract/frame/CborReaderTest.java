package com.pettysync.contract.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CborReaderTest {

    static CborItem read(String hex) {
        return CborReader.readSingle(HexFormat.of().parseHex(hex));
    }

    static String rejected(String hex) {
        ContractViolation v = assertThrows(ContractViolation.class, () -> read(hex));
        assertEquals("frame", v.path());
        return v.rule();
    }

    @Test
    void readsNonShortestAndIndefiniteEncodings() {
        assertEquals(new CborItem.Int(1), read("1b0000000000000001"));
        assertEquals(new CborItem.Int(-500), read("3a000001f3"));
        assertEquals(new CborItem.Int(Long.MAX_VALUE), read("1b7fffffffffffffff"));
        assertEquals(new CborItem.BigInt(false), read("1b8000000000000000"));
        assertEquals(new CborItem.BigInt(true), read("3bffffffffffffffff"));
        CborItem.Array a = assertInstanceOf(CborItem.Array.class, read("9f0102ff"));
        assertEquals(2, a.items().size());
        assertEquals(new CborItem.Text("abc"), read("7f6161626263ff"));
        assertEquals(1.5, assertInstanceOf(CborItem.Float.class, read("f93e00")).value());
        assertInstanceOf(CborItem.Tagged.class, read("d9d9f7a0"));
        assertEquals(new CborItem.Simple(CborItem.Simple.NULL), read("f6"));
    }

    @Test
    void rejectsBytesAfterTheItem() {
        assertTrue(rejected("0000").contains("1 bytes after the top-level item"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1c", "3e", "5f01ff", "ff", "9f", "f801", "18", "1a0000", "62 61", "7f4100ff",
        "bf00ff", "a1", "c0", "1f"})
    void rejectsWhatIsNotWellFormed(String hex) {
        assertTrue(rejected(hex.replace(" ", "")).startsWith("not well-formed CBOR"), hex);
    }

    @Test
    void declaredLengthsBeyondTheInputAreRejectedBeforeAllocating() {
        assertTrue(rejected("5bffffffffffffffff").contains("exceeds the 0 remaining bytes"));
        assertTrue(rejected("9b7fffffffffffffff00").contains("exceeds"));
        assertTrue(rejected("ba7fffffff0000").contains("exceeds"));
        assertTrue(rejected("7a00010000" + "61".repeat(100)).contains("exceeds"));
    }

    @Test
    void deepNestingIsRejectedNotRecursedInto() {
        assertTrue(rejected("81".repeat(100_000) + "00").contains("nesting deeper than"));
        assertTrue(rejected("9f".repeat(1000)).contains("nesting deeper than"));
        assertInstanceOf(CborItem.Array.class, read("81".repeat(CborReader.MAX_DEPTH) + "00"));
    }

    @Test
    void rejectsTextThatIsNotUtf8() {
        assertTrue(rejected("62c328").contains("UTF-8"));
    }
}
