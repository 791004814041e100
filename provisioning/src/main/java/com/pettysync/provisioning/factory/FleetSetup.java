package com.pettysync.provisioning.factory;

import com.pettysync.contract.policy.IotPolicy;
import com.pettysync.contract.topic.RuleName;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.tinylog.Logger;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;

/**
 * The fleet-wide resources every collar's registration relies on, made sure of once per run: the thing type, the
 * thing groups named, the collar policy (published idempotently, see {@link PolicyPublisher}) and the data endpoint
 * collars connect to. The account id the policy's ARNs need is read from the thing type's ARN, so no extra service
 * (STS) is involved.
 */
public record FleetSetup(String thingType, String policyName, String policyArn, DataEndpoint endpoint,
        String rootCaPem, String account) {
    public FleetSetup {
        Objects.requireNonNull(thingType);
        Objects.requireNonNull(policyName);
        Objects.requireNonNull(endpoint);
        Objects.requireNonNull(rootCaPem);
    }

    /** Makes sure of the type, the groups and the policy, and looks up the endpoint. */
    public static FleetSetup prepare(IotClient iot, RateLimits limits, String thingType, List<String> searchable,
            Collection<String> groups, String policyName, RuleName rule, String region, String rootCaPem,
            StepLog log) {
        String typeArn = ensureThingType(iot, limits, thingType, searchable, log);
        String account = accountOf(typeArn);
        for (String group : groups) {
            ensureThingGroup(iot, limits, group, log);
        }
        PolicyPublisher.Outcome policy = new PolicyPublisher(iot, limits).publish(policyName,
                IotPolicy.forCollars(region, account, rule).json());
        log.step("fleet", "policy " + policyName + ": " + describe(policy));
        limits.acquire(ControlPlaneApi.DESCRIBE_ENDPOINT);
        DataEndpoint endpoint = DataEndpoint.parse(iot.describeEndpoint(r -> r.endpointType("iot:Data-ATS"))
                .endpointAddress());
        log.step("fleet", "data endpoint " + endpoint.host() + ":" + endpoint.port());
        return new FleetSetup(thingType, policyName, policy.arn(), endpoint, rootCaPem, account);
    }

    /** The account id of an ARN ({@code arn:partition:service:region:account:resource}). */
    public static String accountOf(String arn) {
        String[] parts = arn == null ? new String[0] : arn.split(":", 6);
        if (parts.length < 6 || !parts[0].equals("arn") || !parts[4].matches("[0-9]{12}")) {
            throw new IllegalStateException("\"" + arn + "\" is not an ARN with a 12-digit account id");
        }
        return parts[4];
    }

    public static String describe(PolicyPublisher.Outcome o) {
        return switch (o.change()) {
            case CREATED -> "created (version " + o.defaultVersionId() + ")";
            case UNCHANGED -> "unchanged (version " + o.defaultVersionId() + ")";
            case NEW_VERSION -> "new default version " + o.defaultVersionId()
                    + o.prunedVersionId().map(v -> ", oldest version " + v + " deleted").orElse("");
        };
    }

    public static String ensureThingType(IotClient iot, RateLimits limits, String name, List<String> searchable,
            StepLog log) {
        try {
            limits.acquire(ControlPlaneApi.DESCRIBE_THING_TYPE);
            return iot.describeThingType(r -> r.thingTypeName(name)).thingTypeArn();
        } catch (ResourceNotFoundException e) {
            try {
                limits.acquire(ControlPlaneApi.CREATE_THING_TYPE);
                String arn = iot.createThingType(r -> r.thingTypeName(name)
                        .thingTypeProperties(p -> p.searchableAttributes(searchable))).thingTypeArn();
                log.step("fleet", "thing type " + name + " created");
                return arn;
            } catch (ResourceAlreadyExistsException raced) {
                Logger.debug("thing type {} created concurrently", name);
                return iot.describeThingType(r -> r.thingTypeName(name)).thingTypeArn();
            }
        }
    }

    public static void ensureThingGroup(IotClient iot, RateLimits limits, String name, StepLog log) {
        try {
            limits.acquire(ControlPlaneApi.DESCRIBE_THING_GROUP);
            iot.describeThingGroup(r -> r.thingGroupName(name));
        } catch (ResourceNotFoundException e) {
            try {
                limits.acquire(ControlPlaneApi.CREATE_THING_GROUP);
                iot.createThingGroup(r -> r.thingGroupName(name));
                log.step("fleet", "thing group " + name + " created");
            } catch (ResourceAlreadyExistsException raced) {
                Logger.debug("thing group {} created concurrently", name);
            }
        }
    }
}
