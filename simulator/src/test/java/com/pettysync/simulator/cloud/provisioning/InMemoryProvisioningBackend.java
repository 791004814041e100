package com.pettysync.simulator.cloud.provisioning;

import com.pettysync.simulator.cloud.provisioning.ProvisioningPlan.Policy;
import com.pettysync.simulator.cloud.provisioning.ProvisioningRefusal.Reason;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A registry in memory, for tests only: "issues" every certificate as the same fixed PEM (its ID is the SHA-256 of
 * the CSR's DER, so IDs differ per request), keeps things, attachments, policies and templates in maps, and applies
 * a plan all-or-nothing (every check before any change).
 */
final class InMemoryProvisioningBackend implements FleetProvisioningBackend {
    static final String FIXED_PEM = "-----BEGIN CERTIFICATE-----\nMIIBfixedTestCertificate\n-----END CERTIFICATE-----\n";

    /** A certificate as the registry holds it. */
    static final class Certificate {
        final CertificateSigningRequest csr;
        String status = "PENDING_ACTIVATION";
        final Set<String> things = new LinkedHashSet<>();
        final Set<String> policies = new LinkedHashSet<>();

        Certificate(CertificateSigningRequest csr) {
            this.csr = csr;
        }
    }

    final Map<String, Certificate> certificates = new LinkedHashMap<>();
    final Map<String, Thing> things = new LinkedHashMap<>();
    final Map<String, Set<String>> thingPrincipals = new HashMap<>();
    final Map<String, Optional<String>> policies = new LinkedHashMap<>();
    final Set<String> thingTypes = new LinkedHashSet<>();
    final List<String> discarded = new ArrayList<>();
    private final Map<String, StoredTemplate> templates = new HashMap<>();
    RuntimeException failNextProvision;

    void putTemplate(String name, String body, boolean enabled) {
        templates.put(name, new StoredTemplate(name, body, enabled));
    }

    @Override
    public IssuedCertificate issueCertificate(CertificateSigningRequest csr) {
        String id = sha256Hex(csr.der());
        certificates.put(id, new Certificate(csr));
        return new IssuedCertificate(id, FIXED_PEM);
    }

    @Override
    public Optional<StoredTemplate> template(String templateName) {
        return Optional.ofNullable(templates.get(templateName));
    }

    @Override
    public void provision(ProvisioningPlan plan) throws ProvisioningRefusal {
        if (failNextProvision != null) {
            RuntimeException e = failNextProvision;
            failNextProvision = null;
            throw e;
        }
        Certificate cert = certificates.get(plan.certificateId());
        if (cert == null || !cert.status.equals("PENDING_ACTIVATION")) {
            throw new ProvisioningRefusal(Reason.RESOURCE_REGISTRATION_FAILED, "certificate " + plan.certificateId()
                    + " is not PENDING_ACTIVATION");
        }
        Optional<Thing> resolved = Optional.empty();
        if (plan.thing().isPresent()) {
            ThingSpec spec = plan.thing().get();
            Thing thing = spec.resolveAgainst(Optional.ofNullable(things.get(spec.desired().name())));
            if (thing.thingTypeName().isPresent() && !thingTypes.contains(thing.thingTypeName().get())) {
                throw new ProvisioningRefusal(Reason.RESOURCE_REGISTRATION_FAILED, "thing type "
                        + thing.thingTypeName().get() + " does not exist");
            }
            resolved = Optional.of(thing);
        }
        for (Policy p : plan.policies()) {
            if (p.document().isEmpty() && !policies.containsKey(p.name())) {
                throw new ProvisioningRefusal(Reason.RESOURCE_REGISTRATION_FAILED, "policy " + p.name()
                        + " does not exist");
            }
        }
        resolved.ifPresent(t -> {
            things.put(t.name(), t);
            thingPrincipals.computeIfAbsent(t.name(), k -> new LinkedHashSet<>()).add(plan.certificateId());
            cert.things.add(t.name());
        });
        for (Policy p : plan.policies()) {
            policies.putIfAbsent(p.name(), p.document());
            cert.policies.add(p.name());
        }
        cert.status = plan.certificateStatus().name();
    }

    @Override
    public void discardUnclaimedCertificate(String certificateId) {
        Certificate cert = certificates.get(certificateId);
        if (cert != null && cert.status.equals("PENDING_ACTIVATION") && cert.things.isEmpty()
                && cert.policies.isEmpty()) {
            certificates.remove(certificateId);
            discarded.add(certificateId);
        }
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
