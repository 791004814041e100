package com.pettysync.contract.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ThingNameTest {

    @Test
    void acceptsOneTo128CharactersOfTheAwsSet() {
        assertEquals("a", ThingName.of("a").value());
        String max = "A".repeat(64) + "z9:_-".repeat(12) + "0123";
        assertEquals(128, max.length());
        assertEquals(max, ThingName.of(max).value());
        assertTrue(ThingName.isValid("collar-00:1A_b-2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "collar/1", "collar+1", "collar#1", "$aws", "collar 1", "collär", "a.b",
        "collar-1\n"})
    void rejectsCharactersOutsideTheSet(String bad) {
        TopicException e = assertThrows(TopicException.class, () -> ThingName.of(bad));
        assertTrue(e.getMessage().contains("[a-zA-Z0-9:_-]"), e.getMessage());
        assertFalse(ThingName.isValid(bad));
    }

    @Test
    void rejects129CharactersAndNull() {
        assertThrows(TopicException.class, () -> ThingName.of("x".repeat(129)));
        assertThrows(TopicException.class, () -> ThingName.of(null));
        assertFalse(ThingName.isValid(null));
    }

    @Test
    void buildsAndReadsTheCollarSerialConvention() {
        ThingName t = ThingName.forSerial("PS2026000042");
        assertEquals("collar-PS2026000042", t.value());
        assertEquals(Optional.of("PS2026000042"), t.serial());
        assertEquals(Optional.empty(), ThingName.of("gateway-7").serial());
        assertEquals(Optional.empty(), ThingName.of("collar-").serial());
        assertEquals(128, ThingName.forSerial("9".repeat(121)).value().length());
        assertThrows(TopicException.class, () -> ThingName.forSerial("9".repeat(122)));
        assertThrows(TopicException.class, () -> ThingName.forSerial(""));
        assertThrows(TopicException.class, () -> ThingName.forSerial("12/3"));
    }

    @Test
    void ruleNamesAreWordCharactersOnly() {
        assertEquals("pettysync_telemetry", RuleName.DEFAULT.value());
        assertEquals("R_1", RuleName.of("R_1").value());
        assertThrows(TopicException.class, () -> RuleName.of("my-rule"));
        assertThrows(TopicException.class, () -> RuleName.of(""));
        assertThrows(TopicException.class, () -> RuleName.of("r".repeat(129)));
    }

    @Test
    void topicModeHasConfigNames() {
        assertEquals(TopicMode.DIRECT, TopicMode.fromConfigName("direct"));
        assertEquals(TopicMode.BASIC_INGEST, TopicMode.fromConfigName("basic-ingest"));
        TopicException e = assertThrows(TopicException.class, () -> TopicMode.fromConfigName("BASIC_INGEST"));
        assertTrue(e.getMessage().contains("direct, basic-ingest"), e.getMessage());
    }
}
