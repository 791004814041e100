package com.pettysync.simulator.cloud.provisioning;

import com.pettysync.provisioning.ca.InvalidCsrException;
import com.pettysync.provisioning.ca.LocalCertificateAuthority;
import com.pettysync.simulator.cloud.registry.CertificateStatus;
import com.pettysync.simulator.cloud.registry.RegisteredCertificate;
import com.pettysync.simulator.cloud.registry.Registry;
import com.pettysync.simulator.cloud.registry.RegistryException;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fleet provisioning on the local IoT Core's {@link Registry}: certificates signed by the local CA and registered
 * PENDING_ACTIVATION, templates as stored by CreateProvisioningTemplate, and the evaluated template applied to the
 * registry.
 *
 * <p>All or nothing, as the interface asks, by checking before changing: the certificate must still be
 * PENDING_ACTIVATION, the thing type, every thing group and every policy (or its document) must exist, and the thing
 * must resolve under its OverrideSettings — all before the first write. The writes that follow are the registry's
 * own single-row operations; a registry failure between them (the disk) would leave the earlier ones, which a
 * retry with the same token completes (each is idempotent).
 */
public final class RegistryFleetProvisioning implements FleetProvisioningBackend {
    private final Registry registry;
    private final LocalCertificateAuthority ca;

    public RegistryFleetProvisioning(Registry registry, LocalCertificateAuthority ca) {
        this.registry = registry;
        this.ca = ca;
    }

    @Override
    public IssuedCertificate issueCertificate(CertificateSigningRequest csr) throws ProvisioningRefusal {
        try {
            X509Certificate cert = ca.issueFromCsr(com.pettysync.provisioning.ca.CertificateSigningRequest
                    .parsePem(csr.pem()));
            RegisteredCertificate r = registry.certificates().register(cert, ca.certificate(),
                    CertificateStatus.PENDING_ACTIVATION);
            return new IssuedCertificate(r.id(), r.pem());
        } catch (InvalidCsrException e) {
            throw new ProvisioningRefusal(ProvisioningRefusal.Reason.INVALID_CSR, e.getMessage());
        }
    }

    @Override
    public Optional<StoredTemplate> template(String templateName) {
        return registry.provisioningTemplates().find(templateName)
                .map(t -> new StoredTemplate(t.name(), t.templateBody(), t.enabled()));
    }

    @Override
    public void provision(ProvisioningPlan plan) throws ProvisioningRefusal {
        RegisteredCertificate cert = registry.certificates().find(plan.certificateId()).orElseThrow(
                () -> refusal("certificate " + plan.certificateId() + " no longer exists"));
        if (cert.status() != CertificateStatus.PENDING_ACTIVATION) {
            throw refusal("certificate " + cert.id() + " is " + cert.status() + ", not PENDING_ACTIVATION");
        }
        Thing resolved = null;
        if (plan.thing().isPresent()) {
            ThingSpec spec = plan.thing().get();
            Optional<Thing> existing = registry.things().find(spec.desired().name()).map(t -> new Thing(t.name(),
                    Optional.ofNullable(t.typeName()), List.of(), t.attributes(), Optional.empty()));
            resolved = spec.resolveAgainst(existing);
            try {
                if (resolved.thingTypeName().isPresent()) {
                    registry.thingTypes().describe(resolved.thingTypeName().get());
                }
                for (String g : resolved.thingGroups()) {
                    registry.thingGroups().describe(g);
                }
            } catch (RegistryException e) {
                throw refusal(e.getMessage());
            }
        }
        Map<String, Boolean> policyExists = new HashMap<>();
        for (ProvisioningPlan.Policy p : plan.policies()) {
            boolean exists = registry.policies().find(p.name()).isPresent();
            if (!exists && p.document().isEmpty()) {
                throw refusal("policy " + p.name() + " does not exist and the template gives no document");
            }
            policyExists.put(p.name(), exists);
        }
        try {
            if (resolved != null) {
                String name = resolved.name();
                if (registry.things().find(name).isEmpty()) {
                    registry.things().create(name, resolved.thingTypeName().orElse(null), resolved.attributes());
                } else {
                    registry.things().update(name, resolved.thingTypeName().orElse(null),
                            resolved.thingTypeName().isEmpty(), resolved.attributes(), false, null);
                }
                for (String g : resolved.thingGroups()) {
                    registry.thingGroups().addThing(g, name);
                }
                registry.things().attachPrincipal(name, cert.arn());
            }
            for (ProvisioningPlan.Policy p : plan.policies()) {
                if (!policyExists.get(p.name())) {
                    registry.policies().create(p.name(), p.document().get());
                }
                registry.policies().attach(p.name(), cert.arn());
            }
            registry.certificates().updateStatus(cert.id(), plan.certificateStatus()
                    == ProvisioningPlan.CertificateStatus.ACTIVE ? CertificateStatus.ACTIVE : CertificateStatus.INACTIVE);
        } catch (RegistryException e) {
            throw refusal(e.getMessage());
        }
    }

    @Override
    public void discardUnclaimedCertificate(String certificateId) {
        registry.certificates().find(certificateId).ifPresent(c -> {
            if (c.status() == CertificateStatus.PENDING_ACTIVATION
                    && registry.things().principalThings(c.arn(), 1, null).items().isEmpty()
                    && registry.policies().attachedTo(c.arn()).isEmpty()) {
                registry.certificates().delete(certificateId, true);
            }
        });
    }

    private static ProvisioningRefusal refusal(String message) {
        return new ProvisioningRefusal(ProvisioningRefusal.Reason.RESOURCE_REGISTRATION_FAILED, message);
    }
}
