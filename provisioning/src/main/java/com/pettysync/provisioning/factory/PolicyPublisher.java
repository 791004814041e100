package com.pettysync.provisioning.factory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Comparator;
import java.util.Optional;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.GetPolicyResponse;
import software.amazon.awssdk.services.iot.model.PolicyVersion;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;

/**
 * Puts a policy document into the account idempotently: CreatePolicy when the name is new; nothing when the default
 * version already says the same (compared as JSON, not as text); otherwise a new default version
 * (CreatePolicyVersion), first deleting the oldest non-default version when the policy is at AWS IoT's limit of
 * {@value #MAX_VERSIONS} versions.
 */
public final class PolicyPublisher {
    /** AWS IoT keeps at most this many versions of a managed policy. */
    public static final int MAX_VERSIONS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What {@link #publish} did. */
    public enum Change { CREATED, UNCHANGED, NEW_VERSION }

    /** The outcome: the policy's ARN, its default version after the call, and the version pruned, if any. */
    public record Outcome(String name, String arn, Change change, String defaultVersionId,
            Optional<String> prunedVersionId) {}

    private final IotClient iot;
    private final RateLimits limits;

    public PolicyPublisher(IotClient iot, RateLimits limits) {
        this.iot = iot;
        this.limits = limits;
    }

    public Outcome publish(String name, String document) {
        GetPolicyResponse existing;
        try {
            limits.acquire(ControlPlaneApi.GET_POLICY);
            existing = iot.getPolicy(r -> r.policyName(name));
        } catch (ResourceNotFoundException e) {
            limits.acquire(ControlPlaneApi.CREATE_POLICY);
            var created = iot.createPolicy(r -> r.policyName(name).policyDocument(document));
            return new Outcome(name, created.policyArn(), Change.CREATED, created.policyVersionId(), Optional.empty());
        }
        if (sameJson(existing.policyDocument(), document)) {
            return new Outcome(name, existing.policyArn(), Change.UNCHANGED, existing.defaultVersionId(),
                    Optional.empty());
        }
        limits.acquire(ControlPlaneApi.LIST_POLICY_VERSIONS);
        var versions = iot.listPolicyVersions(r -> r.policyName(name)).policyVersions();
        Optional<String> pruned = Optional.empty();
        if (versions.size() >= MAX_VERSIONS) {
            PolicyVersion oldest = versions.stream().filter(v -> !Boolean.TRUE.equals(v.isDefaultVersion()))
                    .min(Comparator.comparing(PolicyVersion::createDate,
                            Comparator.nullsFirst(Comparator.naturalOrder()))
                            .thenComparing(v -> Integer.parseInt(v.versionId())))
                    .orElseThrow(() -> new IllegalStateException("policy " + name + " has " + versions.size()
                            + " versions and none of them is a non-default one to delete"));
            limits.acquire(ControlPlaneApi.DELETE_POLICY_VERSION);
            iot.deletePolicyVersion(r -> r.policyName(name).policyVersionId(oldest.versionId()));
            pruned = Optional.of(oldest.versionId());
        }
        limits.acquire(ControlPlaneApi.CREATE_POLICY_VERSION);
        var created = iot.createPolicyVersion(r -> r.policyName(name).policyDocument(document).setAsDefault(true));
        return new Outcome(name, created.policyArn(), Change.NEW_VERSION, created.policyVersionId(), pruned);
    }

    public static boolean sameJson(String a, String b) {
        try {
            JsonNode x = JSON.readTree(a);
            JsonNode y = JSON.readTree(b);
            return x.equals(y);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
