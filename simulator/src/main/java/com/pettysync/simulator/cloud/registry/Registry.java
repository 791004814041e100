package com.pettysync.simulator.cloud.registry;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.tinylog.Logger;

/**
 * The local AWS IoT registry: things, thing types, thing groups, certificates, policies (with versions and
 * attachments), thing principals and provisioning templates, in one SQLite file ({@value #FILE} in the local IoT
 * Core's directory). The control plane serves it over AWS's REST API, the broker authenticates and authorizes
 * connections from it, fleet provisioning registers into it.
 *
 * <p><b>Guarantee.</b> Every mutating call is one SQLite transaction: when it returns, the change is committed and
 * survives a restart of the process (WAL journal, {@code synchronous=NORMAL}: a process crash loses nothing
 * committed; an operating-system crash or power cut may lose the last transactions, never half of one). When it
 * throws, nothing was changed. Calls are serialized on one connection (thread-safe); other processes may open the
 * same file (e.g. {@code pettysync cloud issue} while {@code pettysync cloud} runs): SQLite's locking keeps them
 * consistent and reads always see the last committed state (nothing is cached here).
 *
 * <p><b>Failure model.</b> A request that breaks AWS IoT's rules is refused with a {@link RegistryException} whose
 * {@link RegistryException.Reason} names the AWS error (the control plane maps it), before anything is written.
 * A store failure (disk, a lock held past the 5 s busy timeout) is a {@link RegistryException.Reason#UNAVAILABLE}
 * and the transaction is rolled back. Listeners ({@link #onCertificateChanged}) run after the commit, on the
 * caller's thread; a listener that throws is logged and does not undo the change.
 *
 * <p>Layout: {@link #things()} (things + thing principals), {@link #thingTypes()}, {@link #thingGroups()},
 * {@link #certificates()}, {@link #policies()} (policies, versions, attachments),
 * {@link #provisioningTemplates()}; {@link #provisionCollar} does a collar's whole registration in one
 * transaction.
 */
public final class Registry implements AutoCloseable {
    /** The registry's file name inside a local IoT Core directory. */
    public static final String FILE = "registry.db";

    /** What {@link #provisionCollar} registered. */
    public record ProvisionedCollar(Thing thing, RegisteredCertificate certificate, Policy policy) {}

    private final RegistryDatabase db;
    private final Arns arns;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final Things things;
    private final ThingTypes thingTypes;
    private final ThingGroups thingGroups;
    private final Certificates certificates;
    private final Policies policies;
    private final ProvisioningTemplates templates;

    private Registry(RegistryDatabase db, Clock clock, Arns arns) {
        this.db = db;
        this.arns = arns;
        Consumer<String> changed = this::certificateChanged;
        this.things = new Things(db, arns, clock, changed);
        this.thingTypes = new ThingTypes(db, arns, clock);
        this.thingGroups = new ThingGroups(db, arns, clock);
        this.certificates = new Certificates(db, arns, clock, changed);
        this.policies = new Policies(db, arns, clock, changed);
        this.templates = new ProvisioningTemplates(db, arns, clock);
    }

    /**
     * Opens (creating when missing) the registry in {@code file} for an account and region (the ARNs it writes).
     *
     * @throws RegistryException UNAVAILABLE when the file cannot be opened
     */
    public static Registry open(Path file, Clock clock, String region, String account) {
        Objects.requireNonNull(clock, "clock");
        return new Registry(RegistryDatabase.open(file), clock, new Arns(region, account));
    }

    /** The SQLite file. */
    public Path file() {
        return db.file();
    }

    /** The ARNs of this account and region. */
    public Arns arns() {
        return arns;
    }

    public Things things() {
        return things;
    }

    public ThingTypes thingTypes() {
        return thingTypes;
    }

    public ThingGroups thingGroups() {
        return thingGroups;
    }

    public Certificates certificates() {
        return certificates;
    }

    public Policies policies() {
        return policies;
    }

    public ProvisioningTemplates provisioningTemplates() {
        return templates;
    }

    /**
     * Calls {@code listener} with a certificate id after any committed change that may withdraw what the
     * certificate's connections were allowed: its status changed, it was deleted, a thing principal or a policy
     * attachment of it was added or removed.
     */
    public void onCertificateChanged(Consumer<String> listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    /**
     * A collar's registration in one transaction: registers {@code certificate} (signed by {@code issuer}) ACTIVE,
     * creates thing {@code thingName} if missing (no type, no attributes; an existing thing is kept as it is),
     * creates policy {@code policyName} with {@code policyDocument} if missing (an existing one is kept), and
     * attaches the policy and the thing to the certificate. What the local IoT Core's {@code issueCollar} and
     * {@code pettysync cloud issue} do.
     *
     * @throws RegistryException ALREADY_EXISTS when the certificate is registered already; INVALID, MALFORMED_POLICY
     */
    public ProvisionedCollar provisionCollar(String thingName, X509Certificate certificate, X509Certificate issuer,
            String policyName, String policyDocument) {
        Names.thing("thingName", thingName);
        Names.policy(policyName);
        return db.write(c -> {
            RegisteredCertificate cert = certificates.register(c, certificate, issuer, CertificateStatus.ACTIVE);
            Thing thing = things.find(c, thingName).orElse(null);
            if (thing == null) {
                thing = things.create(c, thingName, null, Map.of());
            }
            Policy policy = policies.find(c, policyName).orElse(null);
            if (policy == null) {
                policies.checkDocument(policyDocument);
                policy = policies.create(c, policyName, policyDocument);
            }
            policies.attach(c, policyName, cert.arn(), cert.id());
            things.attachPrincipal(c, thingName, cert.arn(), cert.id());
            return new ProvisionedCollar(thing, cert, policy);
        });
    }

    private void certificateChanged(String certificateId) {
        for (Consumer<String> l : listeners) {
            try {
                l.accept(certificateId);
            } catch (RuntimeException e) {
                Logger.warn("registry: a listener failed for certificate {}: {}", certificateId, e.toString());
            }
        }
    }

    @Override
    public void close() {
        db.close();
    }
}
