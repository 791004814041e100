package com.pettysync.provisioning.factory;

import com.pettysync.contract.topic.ThingName;
import com.pettysync.provisioning.ca.PemFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.CertificateDescription;
import software.amazon.awssdk.services.iot.model.CertificateStatus;
import software.amazon.awssdk.services.iot.model.DescribeThingResponse;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;

/**
 * Registers one collar in the account, idempotently: whatever a previous run (or a person) left done is kept, what
 * is half done is finished, and nothing is done twice.
 *
 * <p>The steps, each skipped when already true: the thing exists with its type and attributes (CreateThing, or
 * UpdateThing to repair its attributes); the collar's certificate exists — recognised by its public key among the
 * thing's principals, in the journal, or among the certificates an interrupted run had issued — else
 * CreateCertificateFromCsr issues it <em>inactive</em>; the collar policy is attached to it (AttachPolicy); it is
 * attached to the thing (AttachThingPrincipal); the thing is in its group (AddThingToThingGroup); then, and only
 * then, the certificate is made ACTIVE; last the bundle is written and the collar journaled {@code done}. A
 * certificate is therefore never active unless it is attached to its thing with its policy, and one issued by a
 * run killed before recording it is found again by the next (see {@link OrphanCertificates}).
 *
 * <p>A thing that already holds a certificate for another key is an error unless {@code force}: then the new
 * certificate replaces it and the old one is retired (INACTIVE, detached; see {@link CollarRevocation}).
 */
public final class CollarRegistrar {
    /** What a registration found. */
    public enum Outcome {
        /** This run completed the collar (some or all steps). */
        PROVISIONED,
        /** The journal and the bundle say the collar was complete already; nothing was called. */
        ALREADY_DONE
    }

    /** A registered collar. {@code replaced}: certificates retired under {@code --force}. */
    public record Registration(ThingName thing, Outcome outcome, String thingArn, String certificateId, Path bundle,
            List<String> replaced) {}

    private final IotClient iot;
    private final RateLimits limits;
    private final FleetSetup fleet;
    private final ProvisioningJournal journal;
    private final CollarBundle bundles;
    private final Path out;
    private final String dataDirectory;
    private final boolean force;
    private final Clock clock;
    private volatile Map<String, String> adoptable = Map.of();

    public CollarRegistrar(IotClient iot, RateLimits limits, FleetSetup fleet, ProvisioningJournal journal,
            CollarBundle bundles, Path out, String dataDirectory, boolean force, Clock clock) {
        this.iot = iot;
        this.limits = limits;
        this.fleet = fleet;
        this.journal = journal;
        this.bundles = bundles;
        this.out = out;
        this.dataDirectory = dataDirectory;
        this.force = force;
        this.clock = clock;
    }

    /** Finds the certificates an interrupted run left unrecorded; call once before registering. */
    public void recoverUnrecorded() throws IOException {
        adoptable = OrphanCertificates.find(iot, limits, journal.unansweredRequests(), journal.knownCertificates());
    }

    /**
     * Registers {@code order} with {@code keys} (already checked).
     *
     * @throws RegistrationException when a step fails; {@link RegistrationException#retryable()} says whether
     *     trying again later can help
     */
    public Registration register(CollarOrder order, CollarKeys keys, StepLog log) throws RegistrationException {
        ThingName thing = order.thing();
        String name = thing.value();
        try {
            Optional<ProvisioningJournal.Entry> last = journal.latest(name);
            if (last.isPresent() && last.get().state() == ProvisioningJournal.State.DONE
                    && bundleExists(thing, last.get().certificateId())) {
                return new Registration(thing, Outcome.ALREADY_DONE, last.get().thingArn(),
                        last.get().certificateId(), CollarBundle.directory(out, thing), List.of());
            }
            String thingArn = ensureThing(order, log);
            List<String> others = new ArrayList<>();
            String certificateId = findCertificate(thing, keys.keyId(), others);
            if (!others.isEmpty() && !force) {
                throw new RegistrationException(thing, "thing " + name + " already has certificate "
                        + String.join(", ", others) + " for another key; --force replaces it", false);
            }
            String certificatePem;
            String certificateArn;
            boolean active;
            if (certificateId == null) {
                journal.append(new ProvisioningJournal.Entry(name, ProvisioningJournal.State.REQUESTING,
                        keys.keyId().hex(), null, null, null, clock.instant()));
                limits.acquire(ControlPlaneApi.CREATE_CERTIFICATE_FROM_CSR);
                var created = iot.createCertificateFromCsr(r -> r.certificateSigningRequest(keys.csr().pem())
                        .setAsActive(false));
                certificateId = created.certificateId();
                certificatePem = created.certificatePem();
                certificateArn = created.certificateArn();
                active = false; // issued inactive: no DescribeCertificate needed (its quota is the lowest, 10/s)
                journal.append(new ProvisioningJournal.Entry(name, ProvisioningJournal.State.CERTIFICATE, null,
                        certificateId, null, null, clock.instant()));
                log.step(name, "certificate " + certificateId + " issued (inactive until attached)");
            } else {
                if (journal.certificateOf(name).filter(certificateId::equals).isEmpty()) {
                    journal.append(new ProvisioningJournal.Entry(name, ProvisioningJournal.State.CERTIFICATE, null,
                            certificateId, null, null, clock.instant()));
                }
                CertificateDescription cert = describe(certificateId);
                certificatePem = cert.certificatePem();
                certificateArn = cert.certificateArn();
                active = cert.status() == CertificateStatus.ACTIVE;
                log.step(name, "certificate " + certificateId + " already issued for this key ("
                        + cert.statusAsString() + ")");
            }
            String arn = certificateArn;
            limits.acquire(ControlPlaneApi.ATTACH_POLICY);
            iot.attachPolicy(r -> r.policyName(fleet.policyName()).target(arn));
            limits.acquire(ControlPlaneApi.ATTACH_THING_PRINCIPAL);
            iot.attachThingPrincipal(r -> r.thingName(name).principal(arn));
            log.step(name, "policy " + fleet.policyName() + " and thing attached to the certificate");
            if (order.group().isPresent()) {
                limits.acquire(ControlPlaneApi.ADD_THING_TO_THING_GROUP);
                iot.addThingToThingGroup(r -> r.thingName(name).thingGroupName(order.group().get()));
                log.step(name, "in thing group " + order.group().get());
            }
            if (!active) {
                String id = certificateId;
                limits.acquire(ControlPlaneApi.UPDATE_CERTIFICATE);
                iot.updateCertificate(r -> r.certificateId(id).newStatus(CertificateStatus.ACTIVE));
                log.step(name, "certificate active");
            }
            List<String> replaced = new ArrayList<>();
            for (String old : others) {
                new CollarRevocation(iot, limits).retire(thing, old, CertificateStatus.INACTIVE, false);
                replaced.add(old);
                log.step(name, "replaced certificate " + old + " retired (inactive, detached)");
            }
            Path dir = bundles.write(out, new CollarBundle.Contents(thing, certificatePem,
                    keys.generatedKey().map(PemFiles::privateKeyPem), fleet.rootCaPem(), fleet.endpoint(),
                    dataDirectory, CollarBundle.PRIVATE_KEY));
            log.step(name, "bundle written to " + dir);
            journal.append(new ProvisioningJournal.Entry(name, ProvisioningJournal.State.DONE, null, certificateId,
                    thingArn, null, clock.instant()));
            if (keys.generatedKey().isPresent()) {
                CollarKeys.dropStaged(out, thing);
            }
            return new Registration(thing, Outcome.PROVISIONED, thingArn, certificateId, dir, replaced);
        } catch (RegistrationException e) {
            throw e;
        } catch (IOException e) {
            throw new RegistrationException(thing, e.getMessage(), false, e);
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            throw RegistrationException.fromSdk(thing, e);
        }
    }

    private boolean bundleExists(ThingName thing, String certificateId) {
        return certificateId != null && java.nio.file.Files.isDirectory(CollarBundle.directory(out, thing))
                && java.nio.file.Files.isRegularFile(CollarBundle.directory(out, thing)
                        .resolve(CollarBundle.AGENT_CONFIG));
    }

    private String ensureThing(CollarOrder order, StepLog log) {
        String name = order.thing().value();
        DescribeThingResponse thing;
        try {
            limits.acquire(ControlPlaneApi.DESCRIBE_THING);
            thing = iot.describeThing(r -> r.thingName(name));
        } catch (ResourceNotFoundException e) {
            limits.acquire(ControlPlaneApi.CREATE_THING);
            String arn = iot.createThing(r -> r.thingName(name).thingTypeName(fleet.thingType())
                    .attributePayload(a -> a.attributes(order.attributes()))).thingArn();
            log.step(name, "thing created (type " + fleet.thingType() + ", " + order.attributes().size()
                    + " attributes)");
            return arn;
        }
        boolean typeDiffers = !fleet.thingType().equals(thing.thingTypeName());
        boolean attributesDiffer = order.attributes().entrySet().stream()
                .anyMatch(a -> !a.getValue().equals(thing.attributes().get(a.getKey())));
        if (typeDiffers || attributesDiffer) {
            limits.acquire(ControlPlaneApi.UPDATE_THING);
            iot.updateThing(r -> r.thingName(name).thingTypeName(fleet.thingType())
                    .attributePayload(a -> a.attributes(order.attributes()).merge(true)));
            log.step(name, "thing existed; " + (typeDiffers ? "type " : "") + (attributesDiffer ? "attributes " : "")
                    + "updated");
        } else {
            log.step(name, "thing exists");
        }
        return thing.thingArn();
    }

    /**
     * The certificate already issued for this key, if any — attached to the thing, journaled, or left unrecorded
     * by an interrupted run — and in {@code others} the thing's certificates for other keys.
     */
    private String findCertificate(ThingName thing, PublicKeyId key, List<String> others) throws IOException {
        String found = null;
        limits.acquire(ControlPlaneApi.LIST_THING_PRINCIPALS);
        for (String principal : iot.listThingPrincipalsPaginator(r -> r.thingName(thing.value())).principals()) {
            String id = certificateIdOf(principal);
            if (id == null) {
                continue;
            }
            if (found == null && keyOf(id).map(key::equals).orElse(false)) {
                found = id;
            } else {
                others.add(id);
            }
        }
        if (found != null) {
            return found;
        }
        for (String candidate : new String[] {journal.certificateOf(thing.value()).orElse(null),
                adoptable.get(thing.value())}) {
            if (candidate != null && keyOf(candidate).map(key::equals).orElse(false)) {
                return candidate;
            }
        }
        return null;
    }

    private Optional<PublicKeyId> keyOf(String certificateId) throws IOException {
        try {
            return Optional.of(PublicKeyId.ofCertificatePem(describe(certificateId).certificatePem(), certificateId));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    private CertificateDescription describe(String certificateId) {
        limits.acquire(ControlPlaneApi.DESCRIBE_CERTIFICATE);
        return iot.describeCertificate(r -> r.certificateId(certificateId)).certificateDescription();
    }

    /** The certificate id of a certificate principal ARN ({@code arn:aws:iot:…:cert/ID}); null for other kinds. */
    public static String certificateIdOf(String principalArn) {
        int i = principalArn.indexOf(":cert/");
        return i < 0 ? null : principalArn.substring(i + ":cert/".length());
    }
}
