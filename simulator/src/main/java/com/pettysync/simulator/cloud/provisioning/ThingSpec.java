package com.pettysync.simulator.cloud.provisioning;

import com.pettysync.simulator.cloud.provisioning.ProvisioningRefusal.Reason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A template's {@code AWS::IoT::Thing} resource: the thing it describes and its {@code OverrideSettings}, i.e. what
 * to do when the thing already exists (https://docs.aws.amazon.com/iot/latest/developerguide/provision-template.html,
 * "Override settings"). The one place these rules live: registries call {@link #resolveAgainst}.
 *
 * @param desired          the thing as the template describes it
 * @param attributePayload what to do with an existing thing's attributes
 * @param thingTypeName    what to do with an existing thing's type ({@link Override#MERGE} is not valid here)
 * @param thingGroups      what to do with an existing thing's groups
 */
public record ThingSpec(Thing desired, Override attributePayload, Override thingTypeName, Override thingGroups) {
    /**
     * AWS's override actions. Where the template gives none, {@link #DO_NOTHING} applies (AWS does not document a
     * default; leaving an existing thing as it is loses nothing).
     */
    public enum Override {
        /** Leave the existing value as it is. */
        DO_NOTHING,
        /** Replace it with the template's. */
        REPLACE,
        /** Refuse the request ({@code ResourceConflicts}, 409) when the thing exists. */
        FAIL,
        /** Attributes and groups only: the existing ones plus the template's (the template's win on a clash). */
        MERGE
    }

    public ThingSpec {
        Objects.requireNonNull(desired, "desired");
        Objects.requireNonNull(attributePayload, "attributePayload");
        Objects.requireNonNull(thingTypeName, "thingTypeName");
        Objects.requireNonNull(thingGroups, "thingGroups");
        if (thingTypeName == Override.MERGE) {
            throw new IllegalArgumentException("MERGE is valid only for AttributePayload and ThingGroups");
        }
    }

    /**
     * The thing to store: {@link #desired} when no thing of that name exists, otherwise the existing thing with each
     * property overridden as its setting says. The template's BillingGroup, when it gives one, replaces the existing
     * one (AWS offers no override setting for it).
     *
     * @throws ProvisioningRefusal {@link Reason#RESOURCE_CONFLICT} when the thing exists and a setting is FAIL
     */
    public Thing resolveAgainst(Optional<Thing> existing) throws ProvisioningRefusal {
        if (existing.isEmpty()) {
            return desired;
        }
        Thing old = existing.get();
        for (var setting : List.of(Map.entry("AttributePayload", attributePayload),
                Map.entry("ThingTypeName", thingTypeName), Map.entry("ThingGroups", thingGroups))) {
            if (setting.getValue() == Override.FAIL) {
                throw new ProvisioningRefusal(Reason.RESOURCE_CONFLICT, "Thing " + old.name()
                        + " already exists and the template's OverrideSettings." + setting.getKey() + " is FAIL");
            }
        }
        Map<String, String> attributes = switch (attributePayload) {
            case DO_NOTHING -> old.attributes();
            case REPLACE -> desired.attributes();
            case MERGE -> {
                Map<String, String> merged = new LinkedHashMap<>(old.attributes());
                merged.putAll(desired.attributes());
                yield merged;
            }
            case FAIL -> throw new AssertionError();
        };
        Optional<String> type = thingTypeName == Override.REPLACE ? desired.thingTypeName() : old.thingTypeName();
        List<String> groups = switch (thingGroups) {
            case DO_NOTHING -> old.thingGroups();
            case REPLACE -> desired.thingGroups();
            case MERGE -> {
                List<String> merged = new ArrayList<>(old.thingGroups());
                merged.addAll(desired.thingGroups());
                yield merged;
            }
            case FAIL -> throw new AssertionError();
        };
        Optional<String> billing = desired.billingGroup().isPresent() ? desired.billingGroup() : old.billingGroup();
        return new Thing(old.name(), type, groups, attributes, billing);
    }
}
