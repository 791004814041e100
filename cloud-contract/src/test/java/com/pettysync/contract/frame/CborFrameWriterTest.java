package com.pettysync.contract.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pins that Jackson's CBOR generator writes the shortest head (RFC 8949 §4.2.1) at every size boundary, for
 * integers, array and map lengths and byte-string lengths — the ground the deterministic encoding stands on.
 */
class CborFrameWriterTest {

    @ParameterizedTest
    @CsvSource({"0,00", "23,17", "24,1818", "255,18ff", "256,190100", "65535,19ffff", "65536,1a00010000",
        "2147483647,1a7fffffff", "2147483648,1a80000000", "4294967295,1affffffff", "4294967296,1b0000000100000000",
        "9223372036854775807,1b7fffffffffffffff", "-1,20", "-24,37", "-25,3818", "-256,38ff", "-257,390100",
        "-65536,39ffff", "-65537,3a00010000", "-4294967296,3affffffff", "-4294967297,3b0000000100000000",
        "-9223372036854775808,3b7fffffffffffffff"})
    void integersTakeTheShortestForm(long value, String hex) {
        byte[] frame = new CborFrameWriter(16).startMap(1).key(0).integer(value).finishMap();
        assertEquals("a100" + hex, HexFormat.of().formatHex(frame));
        assertEquals(hex.length() / 2, CborFrameWriter.integerSize(value));
    }

    @ParameterizedTest
    @CsvSource({"0,80", "23,97", "24,9818", "255,98ff", "256,990100", "65536,9a00010000"})
    void arrayLengthsAreDefiniteAndShortest(int n, String head) {
        CborFrameWriter w = new CborFrameWriter(16).startMap(1).key(9).startArray(n);
        for (int i = 0; i < n; i++) {
            w.integer(0);
        }
        String hex = HexFormat.of().formatHex(w.endArray().finishMap());
        assertEquals("a109" + head, hex.substring(0, 4 + head.length()));
        assertEquals(4 + head.length() + 2 * n, hex.length());
        assertEquals(head.length() / 2, CborFrameWriter.headSize(n));
    }

    @ParameterizedTest
    @CsvSource({"0,40", "23,57", "24,5818", "255,58ff", "256,590100", "65536,5a00010000"})
    void byteStringLengthsAreShortest(int n, String head) {
        String hex = HexFormat.of().formatHex(new CborFrameWriter(16).startMap(1).key(9).bytes(new byte[n])
                .finishMap());
        assertEquals("a109" + head, hex.substring(0, 4 + head.length()));
    }

    @ParameterizedTest
    @CsvSource({"1,a1", "10,aa", "23,b7", "25,b819"})
    void mapLengthsAndKeysAreShortest(int n, String head) {
        CborFrameWriter w = new CborFrameWriter(64).startMap(n);
        for (int k = 0; k < n; k++) {
            w.key(k).integer(k);
        }
        String hex = HexFormat.of().formatHex(w.finishMap());
        assertEquals(head + "0000", hex.substring(0, head.length() + 4));
        if (n == 25) {
            assertEquals("17171818" + "1818", hex.substring(hex.length() - 12)); // key 23 = 17, key 24 = 1818
        }
    }
}
