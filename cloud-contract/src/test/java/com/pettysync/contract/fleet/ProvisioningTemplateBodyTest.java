package com.pettysync.contract.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProvisioningTemplateBodyTest {
    private static final ObjectMapper M = new ObjectMapper();
    private static final ProvisioningTemplateBody BODY = ProvisioningTemplateBody.forFleet(FleetNames.STANDARD);

    @Test
    void declaresTheSerialRequiredTheOtherFactoryFieldsWithDefaultsAndTheCertificateId() throws Exception {
        JsonNode p = M.readTree(BODY.json()).get("Parameters");
        assertEquals(List.of("SerialNumber", "HardwareRevision", "Batch", "ProductionLine", "ManufactureDate",
                "AWS::IoT::Certificate::Id"), names(p));
        for (JsonNode param : p) {
            assertEquals("String", param.get("Type").asText());
        }
        assertFalse(p.get("SerialNumber").has("Default"));
        assertFalse(p.get("AWS::IoT::Certificate::Id").has("Default"));
        assertEquals("unknown", p.get("Batch").get("Default").asText());
        assertEquals("unknown", p.get("ManufactureDate").get("Default").asText());
    }

    @Test
    void createsTheCollarThingInTypeAndGroupWithItsAttributes() throws Exception {
        JsonNode thing = M.readTree(BODY.json()).get("Resources").get("thing");
        assertEquals("AWS::IoT::Thing", thing.get("Type").asText());
        JsonNode props = thing.get("Properties");
        assertEquals(M.readTree("{\"Fn::Join\":[\"\",[\"collar-\",{\"Ref\":\"SerialNumber\"}]]}"),
                props.get("ThingName"));
        assertEquals("pettysync-collar", props.get("ThingTypeName").asText());
        assertEquals(M.readTree("[\"pettysync-fleet\"]"), props.get("ThingGroups"));
        Map<String, String> attributes = new LinkedHashMap<>();
        props.get("AttributePayload").properties().forEach(e -> attributes.put(e.getKey(), e.getValue().get("Ref")
                .asText()));
        assertEquals(Map.of("serial", "SerialNumber", "hardwareRevision", "HardwareRevision", "batch", "Batch",
                "productionLine", "ProductionLine", "manufactureDate", "ManufactureDate"), attributes);
        assertEquals("MERGE", thing.get("OverrideSettings").get("AttributePayload").asText());
    }

    @Test
    void activatesTheCertificateFromTheCsrAndAttachesTheCollarPolicy() throws Exception {
        JsonNode r = M.readTree(BODY.json()).get("Resources");
        assertEquals(List.of("thing", "certificate", "policy"), names(r));
        assertEquals(M.readTree("{\"Type\":\"AWS::IoT::Certificate\",\"Properties\":{\"Status\":\"ACTIVE\","
                + "\"CertificateId\":{\"Ref\":\"AWS::IoT::Certificate::Id\"}}}"), r.get("certificate"));
        assertEquals(M.readTree("{\"Type\":\"AWS::IoT::Policy\",\"Properties\":{\"PolicyName\":\"pettysync-collar\"}}"),
                r.get("policy"));
    }

    @Test
    void everyRefNamesADeclaredParameter() throws Exception {
        JsonNode root = M.readTree(BODY.json());
        List<String> refs = new ArrayList<>();
        collectRefs(root.get("Resources"), refs);
        assertEquals(7, refs.size(), refs.toString());
        for (String ref : refs) {
            assertTrue(root.get("Parameters").has(ref), ref);
        }
    }

    @Test
    void aCollarRecordsParametersAreExactlyTemplateParameters() throws Exception {
        JsonNode p = M.readTree(BODY.json()).get("Parameters");
        CollarRecord full = CollarRecord.parse(List.of("serial=PS0042", "hardwareRevision=r3", "batch=B1",
                "productionLine=L1", "manufactureDate=2026-11-24"));
        for (String name : full.toProvisioningParameters().keySet()) {
            assertTrue(p.has(name), name);
        }
        assertEquals(p.size() - 1, full.toProvisioningParameters().size());
    }

    @Test
    void fitsAwsBodySizeLimitAndFollowsTheFleetsNames() {
        assertTrue(BODY.json().length() <= ProvisioningTemplateBody.AWS_MAX_BODY_CHARS);
        String staging = ProvisioningTemplateBody.forFleet(new FleetNames("stg-collar", "stg-collar-policy",
                "stg-claim", "stg-claim-template", "stg-fleet")).json();
        assertTrue(staging.contains("\"ThingTypeName\":\"stg-collar\""), staging);
        assertTrue(staging.contains("\"PolicyName\":\"stg-collar-policy\""), staging);
        assertTrue(staging.contains("[\"stg-fleet\"]"), staging);
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static void collectRefs(JsonNode n, List<String> out) {
        if (n.isObject()) {
            if (n.has("Ref")) {
                out.add(n.get("Ref").asText());
            }
            n.forEach(c -> collectRefs(c, out));
        } else if (n.isArray()) {
            n.forEach(c -> collectRefs(c, out));
        }
    }
}
