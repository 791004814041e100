package com.pettysync.contract.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FleetNamesTest {

    @Test
    void standardNamesAreTheProductsOnes() {
        FleetNames n = FleetNames.STANDARD;
        assertEquals("pettysync-collar", n.thingType());
        assertEquals("pettysync-collar", n.collarPolicy());
        assertEquals("pettysync-claim", n.claimPolicy());
        assertEquals("pettysync-collar-claim", n.provisioningTemplate());
        assertEquals("pettysync-fleet", n.defaultThingGroup());
    }

    @ParameterizedTest(name = "{0} = ''{1}'' is refused")
    @CsvSource(delimiter = '|', value = {
        "thingType|collar type",
        "thingType|''",
        "collarPolicy|collar/policy",
        "claimPolicy|claim policy",
        "provisioningTemplate|a-template-name-that-is-37-characters",
        "provisioningTemplate|claim.template",
        "defaultThingGroup|fleet@eu",
    })
    void refusesNamesOutsideAwsRules(String field, String value) {
        FleetValueException e = assertThrows(FleetValueException.class, () -> with(field, value));
        assertEquals(field, e.field());
    }

    @Test
    void acceptsNamesAtAwsLimits() {
        String s128 = "a".repeat(128);
        new FleetNames(s128, "p+=,.@-_" + "x".repeat(120), "claim", "t".repeat(36), "g:_-" + "x".repeat(124));
    }

    @Test
    void refusesTheSamePolicyForCollarsAndClaim() {
        FleetValueException e = assertThrows(FleetValueException.class,
                () -> new FleetNames("t", "same", "same", "tpl", "g"));
        assertEquals("claimPolicy", e.field());
    }

    private static FleetNames with(String field, String value) {
        FleetNames s = FleetNames.STANDARD;
        return switch (field) {
            case "thingType" -> new FleetNames(value, s.collarPolicy(), s.claimPolicy(), s.provisioningTemplate(),
                    s.defaultThingGroup());
            case "collarPolicy" -> new FleetNames(s.thingType(), value, s.claimPolicy(), s.provisioningTemplate(),
                    s.defaultThingGroup());
            case "claimPolicy" -> new FleetNames(s.thingType(), s.collarPolicy(), value, s.provisioningTemplate(),
                    s.defaultThingGroup());
            case "provisioningTemplate" -> new FleetNames(s.thingType(), s.collarPolicy(), s.claimPolicy(), value,
                    s.defaultThingGroup());
            default -> new FleetNames(s.thingType(), s.collarPolicy(), s.claimPolicy(), s.provisioningTemplate(),
                    value);
        };
    }
}
