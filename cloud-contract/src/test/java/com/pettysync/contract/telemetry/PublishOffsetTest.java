package com.pettysync.contract.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CRC-32 values below are from an independent implementation (Python's {@code zlib.crc32}), run once. */
class PublishOffsetTest {

    @Test
    void usesTheStandardCrc32OfTheThingNamesUtf8Bytes() {
        assertEquals(0xCBF43926L, PublishOffset.of("123456789").crc32()); // the CRC-32 check value
        assertEquals(0xA819BA96L, PublishOffset.of("collar-PS0042").crc32());
        assertEquals(0xED6C2B8EL, PublishOffset.of("hündin").crc32()); // UTF-8, not Latin-1
    }

    @ParameterizedTest
    @CsvSource({
            // thing,         dur,  o      (crc mod min(60, dur/5))
            "collar-PS0042,   300,  34",   // 2820258454 mod 60
            "collar-PS0001,   300,  40",   // 1434201640 mod 60
            "collar-0000,     300,  20",   // 3236676140 mod 60
            "123456789,       300,  2",    // 3421780262 mod 60
            "collar-PS0042,   3600, 34",   // a long window still spreads over 60 s at most
            "collar-PS0042,   60,   10",   // mod 12
            "collar-PS0042,   100,  14",   // mod 20
            "collar-PS0042,   10,   0",    // mod 2: 2820258454 is even
            "hündin,          10,   0",
            "collar-PS0042,   5,    0",    // mod 1
            "collar-PS0042,   9,    0",    // ⌊9/5⌋ = 1
            "collar-PS0042,   4,    0",    // dur < 5: no offset
            "collar-PS0042,   1,    0",
    })
    void offsetIsTheCrcModuloTheSpread(String thing, int dur, int expected) {
        assertEquals(expected, PublishOffset.seconds(thing, dur));
    }

    @Test
    void publishesAtWindowEndPlusTheOffset() {
        PublishOffset o = PublishOffset.of("collar-PS0042");
        assertEquals(1_700_000_100L + 300 + 34, o.publishAt(1_700_000_100L, 300));
        assertEquals(1_700_000_100L + 4, o.publishAt(1_700_000_100L, 4));
    }

    @Test
    void offsetStaysBelowTheSpreadAndFillsIt() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            int o = PublishOffset.seconds(String.format("collar-PS%04d", i), 300);
            assertTrue(o >= 0 && o < 60, "offset " + o);
            seen.add(o);
        }
        assertEquals(60, seen.size()); // 2,000 collars use every second of the minute
        for (int dur = 1; dur <= 3600; dur++) {
            int o = PublishOffset.seconds("collar-PS0042", dur);
            assertTrue(o >= 0 && o < Math.max(1, Math.min(60, dur / 5)), "dur " + dur + " o " + o);
        }
    }

    @Test
    void refusesAMissingThingOrAnEmptyWindow() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PublishOffset.of(null));
        assertTrue(e.getMessage().contains("thing name must not be null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PublishOffset.of(""));
        assertTrue(e.getMessage().contains("thing name must not be empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PublishOffset.seconds("collar-PS0042", 0));
        assertTrue(e.getMessage().contains("at least 1 s, got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PublishOffset.of("collar-PS0042").publishAt(-1, 300));
        assertTrue(e.getMessage().contains("window start"), e.getMessage());
    }
}
