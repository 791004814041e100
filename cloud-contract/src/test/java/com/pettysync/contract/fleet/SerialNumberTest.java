package com.pettysync.contract.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.contract.topic.ThingName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SerialNumberTest {

    @Test
    void thingNameIsCollarDashSerialAndReadsBack() {
        SerialNumber s = SerialNumber.of("PS0042");
        assertEquals(ThingName.of("collar-PS0042"), s.thingName());
        assertEquals(s, SerialNumber.fromThingName(s.thingName()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ABCD", "0000", "PS2026110042", "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"})
    void acceptsFourToThirtyTwoUpperCaseLettersAndDigits(String serial) {
        assertEquals(serial, SerialNumber.of(serial).value());
        assertTrue(ThingName.isValid(SerialNumber.of(serial).thingName().value()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ABC", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456", "ps0042", "PS-0042", "PS_0042", "PS 42",
        "PS:0042", "PS0042\n"})
    void refusesAnythingElseNamingTheField(String serial) {
        FleetValueException e = assertThrows(FleetValueException.class, () -> SerialNumber.of(serial));
        assertEquals("serial", e.field());
        assertTrue(e.rule().contains("4–32 characters of [A-Z0-9]"), e.rule());
    }

    @Test
    void refusesNull() {
        assertEquals("serial", assertThrows(FleetValueException.class, () -> SerialNumber.of(null)).field());
    }

    @Test
    void readsOnlyCollarThingNamesWithAValidSerial() {
        assertEquals("thingName", assertThrows(FleetValueException.class,
                () -> SerialNumber.fromThingName(ThingName.of("dog-PS0042"))).field());
        FleetValueException e = assertThrows(FleetValueException.class,
                () -> SerialNumber.fromThingName(ThingName.of("collar-ps0042")));
        assertEquals("thingName", e.field());
        assertTrue(e.rule().contains("[A-Z0-9]"), e.rule());
    }
}
