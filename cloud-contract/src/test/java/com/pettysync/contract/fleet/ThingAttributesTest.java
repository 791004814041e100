package com.pettysync.contract.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ThingAttributesTest {

    @Test
    void parsesNameValuePairsInOrderSplittingAtTheFirstEquals() {
        ThingAttributes a = ThingAttributes.parse(List.of("batch=B2026-11", "note=k=v", "tags=[a,b]"));
        assertEquals(List.of("batch", "note", "tags"), List.copyOf(a.asMap().keySet()));
        assertEquals("k=v", a.asMap().get("note"));
        assertEquals("[a,b]", a.asMap().get("tags"));
    }

    @Test
    void acceptsEveryCharacterAwsAllowsAtTheLengthLimits() {
        String name = "aZ09_.,@/:#-" + "n".repeat(116);
        String value = "aZ09_.,@/:#=[]-" + "v".repeat(785);
        ThingAttributes a = ThingAttributes.of(Map.of(name, value));
        assertEquals(128, name.length());
        assertEquals(800, a.asMap().get(name).length());
    }

    @ParameterizedTest(name = "''{0}'' → {1}")
    @CsvSource(delimiter = '|', value = {
        "batch|no '='",
        "=B1|attribute name must not be empty",
        "batch=|value must not be empty",
        "bat ch=B1|must be characters of [a-zA-Z0-9_.,@/:#-]",
        "batch=B 1|must be characters of [a-zA-Z0-9_.,@/:#=[]-]",
        "batch=B1;drop|must be characters of",
        "date=2026-11-24T10:00+01:00|must be characters of",
        "hw=rév3|must be characters of",
    })
    void refusesABadPairNamingItsPositionAndText(String pair, String rule) {
        FleetValueException e = assertThrows(FleetValueException.class,
                () -> ThingAttributes.parse(List.of("serial=PS0042", pair)));
        assertEquals("attribute 2 '" + pair + "'", e.field());
        assertTrue(e.rule().contains(rule), e.rule());
    }

    @Test
    void refusesOverlongNamesAndValues() {
        FleetValueException name = assertThrows(FleetValueException.class,
                () -> ThingAttributes.parse(List.of("n".repeat(129) + "=v")));
        assertTrue(name.rule().contains("129 characters, AWS allows 128"), name.rule());
        FleetValueException value = assertThrows(FleetValueException.class,
                () -> ThingAttributes.of(Map.of("note", "v".repeat(801))));
        assertEquals("attributes.note", value.field());
        assertTrue(value.rule().contains("801 characters, AWS allows 800"), value.rule());
    }

    @Test
    void refusesARepeatedName() {
        FleetValueException e = assertThrows(FleetValueException.class,
                () -> ThingAttributes.parse(List.of("batch=B1", "line=L1", "batch=B2")));
        assertEquals("attribute 3 'batch=B2'", e.field());
        assertTrue(e.rule().contains("given twice"), e.rule());
    }

    @Test
    void allowsFiftyAttributesOnAThingWithATypeAndThreeWithout() {
        Map<String, String> fifty = new LinkedHashMap<>();
        for (int i = 0; i < 50; i++) {
            fifty.put("a" + i, "v");
        }
        assertFalse(ThingAttributes.of(fifty).fitsThingWithoutType());
        assertTrue(ThingAttributes.parse(List.of("a=1", "b=2", "c=3")).fitsThingWithoutType());
        fifty.put("a50", "v");
        FleetValueException e = assertThrows(FleetValueException.class, () -> ThingAttributes.of(fifty));
        assertEquals("attributes", e.field());
        assertTrue(e.rule().startsWith("51 attributes"), e.rule());
        List<String> pairs = new ArrayList<>();
        fifty.forEach((k, v) -> pairs.add(k + "=" + v));
        assertEquals("attributes", assertThrows(FleetValueException.class, () -> ThingAttributes.parse(pairs)).field());
    }

    @Test
    void aThingTypeHasAtMostThreeDistinctValidSearchableAttributes() {
        assertEquals(List.of("a", "b", "c"), ThingAttributes.checkSearchable(List.of("a", "b", "c")));
        assertThrows(FleetValueException.class, () -> ThingAttributes.checkSearchable(List.of("a", "b", "c", "d")));
        assertThrows(FleetValueException.class, () -> ThingAttributes.checkSearchable(List.of("a", "a")));
        assertThrows(FleetValueException.class, () -> ThingAttributes.checkSearchable(List.of("a b")));
    }

    @Test
    void isImmutable() {
        ThingAttributes a = ThingAttributes.parse(List.of("batch=B1"));
        assertThrows(UnsupportedOperationException.class, () -> a.asMap().put("x", "y"));
        assertEquals(ThingAttributes.of(Map.of("batch", "B1")), a);
    }
}
