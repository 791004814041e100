package com.pettysync.provisioning.factory;

import com.pettysync.contract.topic.ThingName;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.CertificateStatus;
import software.amazon.awssdk.services.iot.model.DeleteConflictException;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;

/**
 * Takes a collar's identity out of service: each certificate of the thing is set INACTIVE (or REVOKED), detached
 * from every policy and from the thing, and deleted; the thing itself is deleted when asked. Status first, so the
 * cloud closes the collar's open connection and refuses its next CONNECT before anything else changes. Idempotent:
 * a step already done (detached, deleted) is skipped.
 */
public final class CollarRevocation {
    /** DeleteCertificate right after a detach may still see the attachment (AWS: eventually consistent). */
    static final int DELETE_ATTEMPTS = 5;

    /** What was done. */
    public record Revoked(ThingName thing, List<String> certificates, boolean thingDeleted) {}

    private final IotClient iot;
    private final RateLimits limits;

    public CollarRevocation(IotClient iot, RateLimits limits) {
        this.iot = iot;
        this.limits = limits;
    }

    /** Revokes every certificate of {@code thing}; deletes the thing when {@code deleteThing}. */
    public Revoked revoke(ThingName thing, CertificateStatus status, boolean deleteThing, StepLog log) {
        List<String> done = new ArrayList<>();
        limits.acquire(ControlPlaneApi.LIST_THING_PRINCIPALS);
        for (String principal : iot.listThingPrincipalsPaginator(r -> r.thingName(thing.value())).principals()) {
            String id = CollarRegistrar.certificateIdOf(principal);
            if (id == null) {
                continue;
            }
            retire(thing, id, status, true);
            done.add(id);
            log.step(thing.value(), "certificate " + id + " " + status.toString().toLowerCase(java.util.Locale.ROOT)
                    + ", detached and deleted");
        }
        boolean deleted = false;
        if (deleteThing) {
            try {
                limits.acquire(ControlPlaneApi.DELETE_THING);
                iot.deleteThing(r -> r.thingName(thing.value()));
                deleted = true;
                log.step(thing.value(), "thing deleted");
            } catch (ResourceNotFoundException e) {
                log.step(thing.value(), "thing already gone");
            }
        }
        return new Revoked(thing, done, deleted);
    }

    /** Sets {@code certificateId} to {@code status}, detaches it from its policies and {@code thing}, and deletes it when asked. */
    void retire(ThingName thing, String certificateId, CertificateStatus status, boolean delete) {
        String arn;
        try {
            limits.acquire(ControlPlaneApi.UPDATE_CERTIFICATE);
            iot.updateCertificate(r -> r.certificateId(certificateId).newStatus(status));
            limits.acquire(ControlPlaneApi.DESCRIBE_CERTIFICATE);
            arn = iot.describeCertificate(r -> r.certificateId(certificateId)).certificateDescription()
                    .certificateArn();
        } catch (ResourceNotFoundException e) {
            return;
        }
        limits.acquire(ControlPlaneApi.LIST_ATTACHED_POLICIES);
        for (var policy : iot.listAttachedPoliciesPaginator(r -> r.target(arn)).policies()) {
            limits.acquire(ControlPlaneApi.DETACH_POLICY);
            iot.detachPolicy(r -> r.policyName(policy.policyName()).target(arn));
        }
        try {
            limits.acquire(ControlPlaneApi.DETACH_THING_PRINCIPAL);
            iot.detachThingPrincipal(r -> r.thingName(thing.value()).principal(arn));
        } catch (ResourceNotFoundException e) {
            // already detached, or the thing is gone
        }
        if (!delete) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                limits.acquire(ControlPlaneApi.DELETE_CERTIFICATE);
                iot.deleteCertificate(r -> r.certificateId(certificateId));
                return;
            } catch (ResourceNotFoundException e) {
                return;
            } catch (DeleteConflictException e) {
                if (attempt >= DELETE_ATTEMPTS) {
                    throw e;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L * attempt);
            }
        }
    }
}
