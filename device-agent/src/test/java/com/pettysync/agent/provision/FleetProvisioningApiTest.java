package com.pettysync.agent.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetProvisioningApiTest {
    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsAwsRepliesAndIgnoresMembersItDoesNotKnow() {
        var created = FleetProvisioningApi.CertificateCreated.read(json("""
                {"certificateId":"abc","certificatePem":"-----BEGIN CERTIFICATE-----","certificateOwnershipToken":"t0k",
                 "certificateArn":"arn:aws:iot:eu-west-1:1:cert/abc"}"""));
        assertEquals("abc", created.certificateId());
        assertEquals("t0k", created.ownershipToken());
        var thing = FleetProvisioningApi.ThingRegistered.read(json("""
                {"thingName":"collar-PS0001","deviceConfiguration":{"fallbackUrl":"https://x","n":3}}"""));
        assertEquals(Map.of("fallbackUrl", "https://x", "n", "3"), thing.deviceConfiguration());
        var no = FleetProvisioningApi.Rejected.read(json("""
                {"statusCode":403,"errorCode":"Forbidden","errorMessage":"claim not allowed"}"""));
        assertEquals(new FleetProvisioningApi.Rejected(403, "Forbidden", "claim not allowed"), no);
        assertEquals(new FleetProvisioningApi.Rejected(0, "", ""), FleetProvisioningApi.Rejected.read(json("{}")));
    }

    @Test
    void theOwnershipTokenStaysOutOfToStringAndOfErrors() {
        var created = new FleetProvisioningApi.CertificateCreated("abc", "pem", "very-secret-token");
        assertFalse(created.toString().contains("very-secret-token"), created.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FleetProvisioningApi
                .CertificateCreated.read(json("{\"certificateOwnershipToken\":\"very-secret-token\"}")));
        assertFalse(e.getMessage().contains("very-secret-token"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FleetProvisioningApi.CertificateCreated.read(
                json("{\"certificateOwnershipToken\":\"very-secret-token\"")));
        assertFalse(e.getMessage().contains("very-secret-token"), e.getMessage());
        assertEquals(" (token <token> expired)", ClaimProvisioning.redacted("token very-secret-token expired",
                "very-secret-token"));
    }

    @Test
    void requestsCarryExactlyAwsMemberNames() {
        assertEquals("{\"certificateSigningRequest\":\"PEM\"}",
                new String(FleetProvisioningApi.createCertificateRequest("PEM"), StandardCharsets.UTF_8));
        assertEquals("{\"certificateOwnershipToken\":\"t\",\"parameters\":{\"SerialNumber\":\"PS0001\"}}",
                new String(FleetProvisioningApi.registerThingRequest("t", Map.of("SerialNumber", "PS0001")),
                        StandardCharsets.UTF_8));
        assertEquals("$aws/provisioning-templates/T_1/provision/json/rejected",
                FleetProvisioningApi.rejected(FleetProvisioningApi.provisionTopic("T_1")));
    }
}
