package com.pettysync.simulator.cloud.control;

import static com.pettysync.simulator.cloud.control.ApiRequest.required;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.simulator.cloud.registry.Page;
import com.pettysync.simulator.cloud.registry.Registry;
import com.pettysync.simulator.cloud.registry.Thing;
import com.pettysync.simulator.cloud.registry.ThingGroup;
import com.pettysync.simulator.cloud.registry.ThingType;
import com.pettysync.simulator.cloud.registry.Things;
import java.util.Map;

/**
 * Things, thing types, thing groups and thing principals over AWS IoT's REST bindings: CreateThingType,
 * DescribeThingType, CreateThingGroup, DescribeThingGroup, AddThingToThingGroup, CreateThing, DescribeThing,
 * UpdateThing, DeleteThing, ListThings, AttachThingPrincipal, DetachThingPrincipal, ListThingPrincipals,
 * ListPrincipalThings. Member names are those of the SDK's model.
 */
final class ThingOperations {
    private static final String PRINCIPAL_HEADER = "x-amzn-principal";

    private final Registry registry;

    ThingOperations(Registry registry) {
        this.registry = registry;
    }

    void register(Router r) {
        r.add("CreateThingType", "POST", "/thing-types/{thingTypeName}", this::createThingType);
        r.add("DescribeThingType", "GET", "/thing-types/{thingTypeName}", this::describeThingType);
        r.add("CreateThingGroup", "POST", "/thing-groups/{thingGroupName}", this::createThingGroup);
        r.add("DescribeThingGroup", "GET", "/thing-groups/{thingGroupName}", this::describeThingGroup);
        r.add("AddThingToThingGroup", "PUT", "/thing-groups/addThingToThingGroup", this::addThingToThingGroup);
        r.add("CreateThing", "POST", "/things/{thingName}", this::createThing);
        r.add("DescribeThing", "GET", "/things/{thingName}", this::describeThing);
        r.add("UpdateThing", "PATCH", "/things/{thingName}", this::updateThing);
        r.add("DeleteThing", "DELETE", "/things/{thingName}", this::deleteThing);
        r.add("ListThings", "GET", "/things", this::listThings);
        r.add("AttachThingPrincipal", "PUT", "/things/{thingName}/principals", this::attachThingPrincipal);
        r.add("DetachThingPrincipal", "DELETE", "/things/{thingName}/principals", this::detachThingPrincipal);
        r.add("ListThingPrincipals", "GET", "/things/{thingName}/principals", this::listThingPrincipals);
        r.add("ListPrincipalThings", "GET", "/principals/things", this::listPrincipalThings);
    }

    private JsonNode createThingType(ApiRequest q) {
        JsonNode props = q.object("thingTypeProperties");
        ThingType t = registry.thingTypes().create(q.path("thingTypeName"),
                ApiRequest.text(props, "thingTypeDescription", "thingTypeProperties.thingTypeDescription"),
                ApiRequest.strings(props, "searchableAttributes", "thingTypeProperties.searchableAttributes"));
        return ApiJson.object().put("thingTypeName", t.name()).put("thingTypeArn", t.arn()).put("thingTypeId", t.id());
    }

    private JsonNode describeThingType(ApiRequest q) {
        ThingType t = registry.thingTypes().describe(q.path("thingTypeName"));
        ObjectNode o = ApiJson.object().put("thingTypeName", t.name()).put("thingTypeId", t.id())
                .put("thingTypeArn", t.arn());
        ObjectNode props = o.putObject("thingTypeProperties");
        if (t.description() != null) {
            props.put("thingTypeDescription", t.description());
        }
        ArrayNode searchable = props.putArray("searchableAttributes");
        t.searchableAttributes().forEach(searchable::add);
        o.putObject("thingTypeMetadata").put("deprecated", false).put("creationDate", ApiJson.time(t.creationDate()));
        return o;
    }

    private JsonNode createThingGroup(ApiRequest q) {
        JsonNode props = q.object("thingGroupProperties");
        JsonNode payload = ApiRequest.object(props, "attributePayload", "thingGroupProperties.attributePayload");
        Map<String, String> attrs = ApiRequest.stringMap(payload, "attributes",
                "thingGroupProperties.attributePayload.attributes");
        ThingGroup g = registry.thingGroups().create(q.path("thingGroupName"), q.text("parentGroupName"),
                ApiRequest.text(props, "thingGroupDescription", "thingGroupProperties.thingGroupDescription"), attrs);
        return ApiJson.object().put("thingGroupName", g.name()).put("thingGroupArn", g.arn())
                .put("thingGroupId", g.id());
    }

    private JsonNode describeThingGroup(ApiRequest q) {
        ThingGroup g = registry.thingGroups().describe(q.path("thingGroupName"));
        ObjectNode o = ApiJson.object().put("thingGroupName", g.name()).put("thingGroupId", g.id())
                .put("thingGroupArn", g.arn()).put("version", g.version());
        ObjectNode props = o.putObject("thingGroupProperties");
        if (g.description() != null) {
            props.put("thingGroupDescription", g.description());
        }
        props.putObject("attributePayload").set("attributes", ApiJson.strings(g.attributes()));
        ObjectNode meta = o.putObject("thingGroupMetadata");
        if (g.parentName() != null) {
            meta.put("parentGroupName", g.parentName());
        }
        ArrayNode chain = meta.putArray("rootToParentThingGroups");
        for (String ancestor : g.rootToParent()) {
            chain.addObject().put("groupName", ancestor).put("groupArn", registry.arns().thingGroup(ancestor));
        }
        meta.put("creationDate", ApiJson.time(g.creationDate()));
        return o;
    }

    private JsonNode addThingToThingGroup(ApiRequest q) {
        String group = nameOrArn(q, "thingGroupName", "thingGroupArn", "thinggroup");
        String thing = nameOrArn(q, "thingName", "thingArn", "thing");
        registry.thingGroups().addThing(group, thing);
        return null;
    }

    private String nameOrArn(ApiRequest q, String nameMember, String arnMember, String type) {
        String name = q.text(nameMember);
        String arn = q.text(arnMember);
        if (name != null) {
            return name;
        }
        if (arn == null) {
            throw ApiError.invalidRequest(nameMember + " or " + arnMember + " is required");
        }
        String fromArn = registry.arns().nameIn(arn, type);
        if (fromArn == null) {
            throw ApiError.invalidRequest(arnMember + " is not a " + type + " ARN of this account: " + arn);
        }
        return fromArn;
    }

    private JsonNode createThing(ApiRequest q) {
        if (q.text("billingGroupName") != null) {
            throw ApiError.invalidRequest("billingGroupName: billing groups are not kept by the local IoT Core");
        }
        Map<String, String> attrs = ApiRequest.stringMap(q.object("attributePayload"), "attributes",
                "attributePayload.attributes");
        Thing t = registry.things().create(q.path("thingName"), q.text("thingTypeName"), attrs);
        return ApiJson.object().put("thingName", t.name()).put("thingArn", t.arn()).put("thingId", t.id());
    }

    private JsonNode describeThing(ApiRequest q) {
        Thing t = registry.things().describe(q.path("thingName"));
        ObjectNode o = ApiJson.object().put("defaultClientId", t.name()).put("thingName", t.name())
                .put("thingId", t.id()).put("thingArn", t.arn());
        if (t.typeName() != null) {
            o.put("thingTypeName", t.typeName());
        }
        o.set("attributes", ApiJson.strings(t.attributes()));
        o.put("version", t.version());
        return o;
    }

    private JsonNode updateThing(ApiRequest q) {
        JsonNode payload = q.body().get("attributePayload");
        Map<String, String> attrs = null;
        boolean merge = false;
        if (payload != null && !payload.isNull()) {
            JsonNode p = q.object("attributePayload");
            attrs = ApiRequest.stringMap(p, "attributes", "attributePayload.attributes");
            JsonNode m = p.get("merge");
            if (m != null && !m.isNull() && !m.isBoolean()) {
                throw ApiError.invalidRequest("attributePayload.merge must be a boolean");
            }
            merge = m != null && m.asBoolean();
        }
        Boolean remove = q.bool("removeThingType");
        registry.things().update(q.path("thingName"), q.text("thingTypeName"), remove != null && remove, attrs, merge,
                q.number("expectedVersion"));
        return null;
    }

    private JsonNode deleteThing(ApiRequest q) {
        registry.things().delete(q.path("thingName"), q.queryLong("expectedVersion"));
        return null;
    }

    private JsonNode listThings(ApiRequest q) {
        Page<Thing> page = registry.things().list(new Things.Query(q.query("attributeName"),
                q.query("attributeValue"), q.queryBool("usePrefixAttributeValue"), q.query("thingTypeName"),
                q.queryInt("maxResults"), q.query("nextToken")));
        ObjectNode o = ApiJson.object();
        ArrayNode things = o.putArray("things");
        for (Thing t : page.items()) {
            ObjectNode e = things.addObject().put("thingName", t.name());
            if (t.typeName() != null) {
                e.put("thingTypeName", t.typeName());
            }
            e.put("thingArn", t.arn());
            e.set("attributes", ApiJson.strings(t.attributes()));
            e.put("version", t.version());
        }
        if (page.nextToken() != null) {
            o.put("nextToken", page.nextToken());
        }
        return o;
    }

    private JsonNode attachThingPrincipal(ApiRequest q) {
        String type = q.query("thingPrincipalType");
        if (type != null && !type.equals("EXCLUSIVE_THING") && !type.equals("NON_EXCLUSIVE_THING")) {
            throw ApiError.invalidRequest("thingPrincipalType must be EXCLUSIVE_THING or NON_EXCLUSIVE_THING");
        }
        registry.things().attachPrincipal(q.path("thingName"), required(PRINCIPAL_HEADER,
                q.header(PRINCIPAL_HEADER)));
        return null;
    }

    private JsonNode detachThingPrincipal(ApiRequest q) {
        registry.things().detachPrincipal(q.path("thingName"), required(PRINCIPAL_HEADER,
                q.header(PRINCIPAL_HEADER)));
        return null;
    }

    private JsonNode listThingPrincipals(ApiRequest q) {
        Page<String> page = registry.things().principals(q.path("thingName"), q.queryInt("maxResults"),
                q.query("nextToken"));
        return list("principals", page);
    }

    private JsonNode listPrincipalThings(ApiRequest q) {
        Page<String> page = registry.things().principalThings(required(PRINCIPAL_HEADER, q.header(PRINCIPAL_HEADER)),
                q.queryInt("maxResults"), q.query("nextToken"));
        return list("things", page);
    }

    private static JsonNode list(String member, Page<String> page) {
        ObjectNode o = ApiJson.object();
        ArrayNode a = o.putArray(member);
        page.items().forEach(a::add);
        if (page.nextToken() != null) {
            o.put("nextToken", page.nextToken());
        }
        return o;
    }
}
