package com.pettysync.simulator.cloud.provisioning;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An evaluated fleet provisioning template: every intrinsic function resolved, every parameter substituted — what
 * the registry must do for one certificate ({@link FleetProvisioningBackend#provision}) and what the device is told.
 *
 * @param certificateId       the certificate being provisioned (the template's {@code AWS::IoT::Certificate::Id})
 * @param certificateStatus   the status the template gives it ({@code ACTIVE} unless it says {@code INACTIVE})
 * @param thing               the {@code AWS::IoT::Thing} resource, if the template has one (and its Condition holds)
 * @param policies            the {@code AWS::IoT::Policy} resources, in template order
 * @param deviceConfiguration the evaluated {@code DeviceConfiguration} section, returned to the device
 */
public record ProvisioningPlan(String certificateId, CertificateStatus certificateStatus, Optional<ThingSpec> thing,
        List<Policy> policies, Map<String, String> deviceConfiguration) {
    public ProvisioningPlan {
        Objects.requireNonNull(certificateId, "certificateId");
        Objects.requireNonNull(certificateStatus, "certificateStatus");
        Objects.requireNonNull(thing, "thing");
        policies = List.copyOf(policies);
        deviceConfiguration = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(deviceConfiguration));
    }

    /** The certificate statuses a template may set. */
    public enum CertificateStatus {
        ACTIVE, INACTIVE
    }

    /**
     * An {@code AWS::IoT::Policy} resource: an existing policy by name, or a policy document to create under
     * {@code name} (AWS: "Defaults to a hash of the policy document": here its SHA-256, hex).
     *
     * @param name     the policy name
     * @param document the policy document (compact JSON) when the template gives one
     */
    public record Policy(String name, Optional<String> document) {
        public Policy {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(document, "document");
        }
    }
}
