package com.pettysync.contract.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CollarRecordTest {
    private static final CollarRecord FULL = CollarRecord.of(SerialNumber.of("PS0042")).withHardwareRevision("r3")
            .withBatch("B2026-11").withProductionLine("line-2").withManufactureDate(LocalDate.of(2026, 11, 24))
            .withDogProfile("dog:7f3a");

    @Test
    void writesEveryAttributeOfAFullRecordAndReadsItBack() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("serial", "PS0042");
        expected.put("hardwareRevision", "r3");
        expected.put("batch", "B2026-11");
        expected.put("productionLine", "line-2");
        expected.put("manufactureDate", "2026-11-24");
        expected.put("dogProfile", "dog:7f3a");
        assertEquals(expected, FULL.toAttributes().asMap());
        assertEquals(FULL, CollarRecord.fromAttributes(FULL.toAttributes()));
        assertEquals("collar-PS0042", FULL.thingName().value());
    }

    @Test
    void writesMissingFactoryFieldsAsUnknownLikeTheProvisioningTemplateAndNoDogProfile() {
        CollarRecord bare = CollarRecord.of(SerialNumber.of("PS0042"));
        assertEquals(Map.of("serial", "PS0042", "hardwareRevision", "unknown", "batch", "unknown",
                "productionLine", "unknown", "manufactureDate", "unknown"), bare.toAttributes().asMap());
        assertEquals(bare, CollarRecord.fromAttributes(bare.toAttributes()));
    }

    @Test
    void sendsOnlyKnownFactoryFieldsAsProvisioningParameters() {
        assertEquals(Map.of("SerialNumber", "PS0042", "HardwareRevision", "r3", "Batch", "B2026-11",
                "ProductionLine", "line-2", "ManufactureDate", "2026-11-24"), FULL.toProvisioningParameters());
        assertEquals(Map.of("SerialNumber", "PS0042", "Batch", "B1"),
                CollarRecord.of(SerialNumber.of("PS0042")).withBatch("B1").toProvisioningParameters());
    }

    @Test
    void parsesCommandLinePairs() {
        CollarRecord r = CollarRecord.parse(List.of("serial=PS0042", "batch=B2026-11", "manufactureDate=2026-11-24"));
        assertEquals(Optional.of("B2026-11"), r.batch());
        assertEquals(Optional.of(LocalDate.of(2026, 11, 24)), r.manufactureDate());
        assertEquals(Optional.empty(), r.hardwareRevision());
    }

    @ParameterizedTest(name = "{0} → {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "serial=ps0042|attributes.serial|4–32 characters of [A-Z0-9]",
        "serial=PS0042,batch=B/1|attributes.batch|1–64 characters of [A-Za-z0-9._-]",
        "serial=PS0042,hardwareRevision=unknown2,batch=unknown|none|none",
        "serial=PS0042,productionLine=L:1|attributes.productionLine|1–64 characters",
        "serial=PS0042,manufactureDate=2026-02-30|attributes.manufactureDate|ISO date yyyy-MM-dd",
        "serial=PS0042,manufactureDate=24.11.2026|attributes.manufactureDate|ISO date yyyy-MM-dd",
        "serial=PS0042,dogProfile=dog[1]|attributes.dogProfile|1–128 characters",
        "serial=PS0042,colour=red|attributes.colour|not a collar attribute (known: serial, hardwareRevision",
        "batch=B1|attributes.serial|missing",
        "serial=unknown|attributes.serial|4–32 characters",
    })
    void refusesAttributesThatAreNotACollarsNamingTheAttribute(String pairs, String field, String rule) {
        List<String> list = List.of(pairs.split(","));
        if (field.equals("none")) {
            CollarRecord r = CollarRecord.parse(list);
            assertEquals(Optional.of("unknown2"), r.hardwareRevision());
            assertEquals(Optional.empty(), r.batch());
            return;
        }
        FleetValueException e = assertThrows(FleetValueException.class, () -> CollarRecord.parse(list));
        assertEquals(field, e.field());
        assertTrue(e.rule().contains(rule), e.rule());
    }

    @Test
    void refusesUnknownAsARealValue() {
        FleetValueException e = assertThrows(FleetValueException.class,
                () -> CollarRecord.of(SerialNumber.of("PS0042")).withBatch("unknown"));
        assertEquals("attributes.batch", e.field());
    }

    @Test
    void refusesADateBeyondFourDigitYears() {
        assertEquals("attributes.manufactureDate", assertThrows(FleetValueException.class,
                () -> FULL.withManufactureDate(LocalDate.of(12026, 1, 1))).field());
    }

    @Test
    void theThingTypeSearchesByHardwareRevisionBatchAndLine() {
        assertEquals(List.of("hardwareRevision", "batch", "productionLine"), CollarAttribute.searchable());
        for (String name : CollarAttribute.searchable()) {
            assertTrue(FULL.toAttributes().asMap().containsKey(name), name);
        }
    }
}
