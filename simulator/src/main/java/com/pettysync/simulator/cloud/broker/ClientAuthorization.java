package com.pettysync.simulator.cloud.broker;

import com.pettysync.contract.policy.IotPolicy;
import com.pettysync.contract.topic.ThingName;
import com.pettysync.provisioning.ca.IssuedCredential;
import com.pettysync.provisioning.ca.LocalCertificateAuthority;
import com.pettysync.simulator.cloud.registry.Certificates;
import com.pettysync.simulator.cloud.registry.Policy;
import com.pettysync.simulator.cloud.registry.RegisteredCertificate;
import com.pettysync.simulator.cloud.registry.Registry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may connect, and what each connection may publish and subscribe to: decided once per connection at CONNECT
 * (the {@link Grant} is cached for the connection's life) with cloud-contract's {@link IotPolicy}, in one of two
 * modes.
 *
 * <p><b>Registry mode</b> (the default, as AWS IoT): the client certificate must chain to the local CA
 * ({@link IssuerCheck}: its signature is verified on every connect), be
 * registered in the {@link Registry} and ACTIVE; the thing-name policy variable resolves to the client ID only when
 * the certificate is attached to the thing of that name; the default versions of the policies attached to the
 * certificate, evaluated together ({@link IotPolicy#allowsAll}), must allow {@code iot:Connect} on
 * {@code client/<clientId>} and then decide every publish and subscribe. A certificate attached to no thing (a
 * fleet-provisioning claim certificate) connects when its policy allows that client ID without the thing variable.
 * When the registry announces a change to a certificate (status, deletion, thing or policy attachment),
 * {@link #recheck} re-decides each of its connections and returns those that may no longer stay open.
 *
 * <p><b>CA-only mode</b> (the fleet's scale runs, where registering tens of thousands of certificates is not
 * wanted): any certificate of the local CA is accepted; its CN is the thing, the collar policy authorizes, and the
 * client ID must be that thing.
 *
 * <p>In both, an operator certificate ({@code OU=operator}) is an administrator (any topic) whose client ID must
 * be its CN; in registry mode it must also be registered and ACTIVE. Thread-safe.
 */
final class ClientAuthorization {
    /**
     * What one connection was allowed at CONNECT.
     *
     * @param certificateId the certificate's id (registry mode), or null
     * @param operator      an administrator connection (any topic)
     * @param attachedThing the thing the thing-name variable resolves to, or null
     * @param policies      the policies that authorize it
     */
    record Grant(String certificateId, boolean operator, ThingName attachedThing, List<IotPolicy> policies) {}

    /** The outcome of a CONNECT: a grant, or the reason for CONNACK 0x87. */
    record Admission(Grant grant, String refusal) {
        static Admission refused(String why) {
            return new Admission(null, why);
        }
    }

    /** Distinct policy documents kept parsed at most; the cache is cleared when full. */
    static final int MAX_PARSED_POLICIES = 1024;

    private final IssuerCheck issuer;
    private final IotPolicy collarPolicy;
    private final Registry registry;
    private final Map<String, Grant> grants = new ConcurrentHashMap<>();
    // policy document text -> parsed policy: a document is immutable text (a new version is a new text), so the
    // many certificates attached to the same policy parse it once, not once per connect
    private final Map<String, IotPolicy> parsed = new ConcurrentHashMap<>();

    /** {@code registry} null = CA-only mode; {@code clock} decides certificate validity. */
    ClientAuthorization(LocalCertificateAuthority ca, IotPolicy collarPolicy, Registry registry, Clock clock) {
        this.issuer = new IssuerCheck(ca.certificate(), clock);
        this.collarPolicy = collarPolicy;
        this.registry = registry;
    }

    /** Decides a CONNECT; on success the grant is kept for {@code clientId}'s connection. */
    Admission admit(String clientId, Optional<X509Certificate> certificate) {
        if (certificate.isEmpty()) {
            return Admission.refused("a client certificate is required");
        }
        X509Certificate cert = certificate.get();
        if (!issuer.issued(cert)) {
            return Admission.refused("the certificate was not issued by this IoT Core's CA or has expired");
        }
        Admission a = registry == null ? admitByCa(clientId, cert) : admitByRegistry(clientId, cert);
        if (a.grant() != null) {
            grants.put(clientId, a.grant());
        }
        return a;
    }

    private Admission admitByCa(String clientId, X509Certificate cert) {
        String thing = IssuedCredential.commonNameOf(cert);
        boolean operator = LocalCertificateAuthority.isOperator(cert);
        boolean allowed = operator ? thing.equals(clientId) : ThingName.isValid(thing)
                && collarPolicy.allows(IotPolicy.Action.CONNECT, ThingName.of(thing), clientId);
        if (!allowed) {
            return Admission.refused("client ID \"" + clientId + "\" is not the certificate's thing \"" + thing + "\"");
        }
        return new Admission(new Grant(null, operator, operator ? null : ThingName.of(thing), List.of(collarPolicy)),
                null);
    }

    private Admission admitByRegistry(String clientId, X509Certificate cert) {
        String id = Certificates.idOf(cert);
        Optional<RegisteredCertificate> registered = registry.certificates().find(id);
        if (registered.isEmpty()) {
            return Admission.refused("certificate " + id + " is not registered");
        }
        return decide(clientId, registered.get(), LocalCertificateAuthority.isOperator(cert)
                ? IssuedCredential.commonNameOf(cert) : null);
    }

    /** {@code operatorName}: the CN of an operator certificate, null for any other. */
    private Admission decide(String clientId, RegisteredCertificate cert, String operatorName) {
        if (!cert.status().authenticates()) {
            return Admission.refused("certificate " + cert.id() + " is " + cert.status());
        }
        if (operatorName != null) {
            return operatorName.equals(clientId) ? new Admission(new Grant(cert.id(), true, null, List.of()), null)
                    : Admission.refused("client ID \"" + clientId + "\" is not the operator certificate's \""
                            + operatorName + "\"");
        }
        ThingName thing = ThingName.isValid(clientId) && registry.things().isAttached(clientId, cert.arn())
                ? ThingName.of(clientId) : null;
        List<IotPolicy> policies = new ArrayList<>();
        for (Policy p : registry.policies().attachedTo(cert.arn())) {
            policies.add(parsedPolicy(p.document()));
        }
        if (!IotPolicy.allowsAll(policies, IotPolicy.Action.CONNECT, thing, clientId, clientId)) {
            return Admission.refused("the policies attached to certificate " + cert.id() + " (" + policies.size()
                    + ") do not allow iot:Connect as client \"" + clientId + "\""
                    + (thing == null ? " (the certificate is not attached to a thing of that name)" : ""));
        }
        return new Admission(new Grant(cert.id(), false, thing, List.copyOf(policies)), null);
    }

    private IotPolicy parsedPolicy(String document) {
        IotPolicy p = parsed.get(document);
        if (p == null) {
            p = IotPolicy.fromDocument(registry.arns().region(), registry.arns().account(), document);
            if (parsed.size() >= MAX_PARSED_POLICIES) {
                parsed.clear();
            }
            parsed.put(document, p);
        }
        return p;
    }

    /** Whether {@code clientId}'s connection may publish to {@code topic}. */
    boolean mayPublish(String clientId, String topic) {
        return may(clientId, IotPolicy.Action.PUBLISH, topic);
    }

    /** Whether {@code clientId}'s connection may subscribe to {@code filter}. */
    boolean maySubscribe(String clientId, String filter) {
        return may(clientId, IotPolicy.Action.SUBSCRIBE, filter);
    }

    private boolean may(String clientId, IotPolicy.Action action, String resource) {
        Grant g = grants.get(clientId);
        if (g == null) {
            return false;
        }
        return g.operator() || IotPolicy.allowsAll(g.policies(), action, g.attachedThing(), clientId, resource);
    }

    /** Whether {@code clientId} connected as an operator. */
    boolean isOperator(String clientId) {
        Grant g = grants.get(clientId);
        return g != null && g.operator();
    }

    /**
     * Re-decides every connection made with certificate {@code certificateId} after a registry change; keeps the
     * new grant of those still allowed and returns client ID → reason for those that must be closed.
     */
    Map<String, String> recheck(String certificateId) {
        Map<String, String> close = new java.util.LinkedHashMap<>();
        if (registry == null) {
            return close;
        }
        for (Map.Entry<String, Grant> e : grants.entrySet()) {
            Grant g = e.getValue();
            if (!certificateId.equals(g.certificateId())) {
                continue;
            }
            String clientId = e.getKey();
            Optional<RegisteredCertificate> cert = registry.certificates().find(certificateId);
            Admission a = cert.isEmpty() ? Admission.refused("certificate " + certificateId + " was deleted")
                    : decide(clientId, cert.get(), g.operator() ? clientId : null);
            if (a.grant() != null) {
                grants.replace(clientId, g, a.grant());
            } else {
                grants.remove(clientId, g);
                close.put(clientId, a.refusal());
            }
        }
        return close;
    }
}
