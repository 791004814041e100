package com.pettysync.simulator.cloud.control;

import static com.pettysync.simulator.cloud.control.ApiRequest.required;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.simulator.cloud.registry.Page;
import com.pettysync.simulator.cloud.registry.Policy;
import com.pettysync.simulator.cloud.registry.PolicyVersion;
import com.pettysync.simulator.cloud.registry.Registry;

/**
 * Policies over AWS IoT's REST bindings: CreatePolicy, GetPolicy, CreatePolicyVersion, ListPolicyVersions,
 * GetPolicyVersion, DeletePolicyVersion, SetDefaultPolicyVersion, AttachPolicy, DetachPolicy, ListAttachedPolicies.
 */
final class PolicyOperations {
    private final Registry registry;

    PolicyOperations(Registry registry) {
        this.registry = registry;
    }

    void register(Router r) {
        r.add("CreatePolicy", "POST", "/policies/{policyName}", this::createPolicy);
        r.add("GetPolicy", "GET", "/policies/{policyName}", this::getPolicy);
        r.add("CreatePolicyVersion", "POST", "/policies/{policyName}/version", this::createPolicyVersion);
        r.add("ListPolicyVersions", "GET", "/policies/{policyName}/version", this::listPolicyVersions);
        r.add("GetPolicyVersion", "GET", "/policies/{policyName}/version/{policyVersionId}", this::getPolicyVersion);
        r.add("DeletePolicyVersion", "DELETE", "/policies/{policyName}/version/{policyVersionId}",
                this::deletePolicyVersion);
        r.add("SetDefaultPolicyVersion", "PATCH", "/policies/{policyName}/version/{policyVersionId}",
                this::setDefaultPolicyVersion);
        r.add("AttachPolicy", "PUT", "/target-policies/{policyName}", this::attachPolicy);
        r.add("DetachPolicy", "POST", "/target-policies/{policyName}", this::detachPolicy);
        r.add("ListAttachedPolicies", "POST", "/attached-policies/{target}", this::listAttachedPolicies);
    }

    private JsonNode createPolicy(ApiRequest q) {
        Policy p = registry.policies().create(q.path("policyName"),
                required("policyDocument", q.text("policyDocument")));
        return ApiJson.object().put("policyName", p.name()).put("policyArn", p.arn())
                .put("policyDocument", p.document()).put("policyVersionId", p.defaultVersionId());
    }

    private JsonNode getPolicy(ApiRequest q) {
        Policy p = registry.policies().get(q.path("policyName"));
        return ApiJson.object().put("policyName", p.name()).put("policyArn", p.arn())
                .put("policyDocument", p.document()).put("defaultVersionId", p.defaultVersionId())
                .put("creationDate", ApiJson.time(p.creationDate()))
                .put("lastModifiedDate", ApiJson.time(p.lastModifiedDate())).put("generationId", p.generationId());
    }

    private JsonNode createPolicyVersion(ApiRequest q) {
        PolicyVersion v = registry.policies().createVersion(q.path("policyName"),
                required("policyDocument", q.text("policyDocument")), q.queryBool("setAsDefault"));
        return ApiJson.object().put("policyArn", registry.arns().policy(v.policyName()))
                .put("policyDocument", v.document()).put("policyVersionId", v.versionId())
                .put("isDefaultVersion", v.isDefault());
    }

    private JsonNode listPolicyVersions(ApiRequest q) {
        ObjectNode o = ApiJson.object();
        ArrayNode a = o.putArray("policyVersions");
        for (PolicyVersion v : registry.policies().versions(q.path("policyName"))) {
            a.addObject().put("versionId", v.versionId()).put("isDefaultVersion", v.isDefault())
                    .put("createDate", ApiJson.time(v.createDate()));
        }
        return o;
    }

    private JsonNode getPolicyVersion(ApiRequest q) {
        String name = q.path("policyName");
        PolicyVersion v = registry.policies().version(name, q.path("policyVersionId"));
        Policy p = registry.policies().get(name);
        return ApiJson.object().put("policyArn", p.arn()).put("policyName", name).put("policyDocument", v.document())
                .put("policyVersionId", v.versionId()).put("isDefaultVersion", v.isDefault())
                .put("creationDate", ApiJson.time(v.createDate()))
                .put("lastModifiedDate", ApiJson.time(v.createDate())).put("generationId", p.generationId());
    }

    private JsonNode deletePolicyVersion(ApiRequest q) {
        registry.policies().deleteVersion(q.path("policyName"), q.path("policyVersionId"));
        return null;
    }

    private JsonNode setDefaultPolicyVersion(ApiRequest q) {
        registry.policies().setDefaultVersion(q.path("policyName"), q.path("policyVersionId"));
        return null;
    }

    private JsonNode attachPolicy(ApiRequest q) {
        registry.policies().attach(q.path("policyName"), required("target", q.text("target")));
        return null;
    }

    private JsonNode detachPolicy(ApiRequest q) {
        registry.policies().detach(q.path("policyName"), required("target", q.text("target")));
        return null;
    }

    private JsonNode listAttachedPolicies(ApiRequest q) {
        if (q.queryBool("recursive")) {
            throw ApiError.invalidRequest("recursive: thing-group policy inheritance is not kept by the local IoT "
                    + "Core (policies attach to certificates only)");
        }
        Page<Policy> page = registry.policies().attachedTo(q.path("target"), q.queryInt("pageSize"),
                q.query("marker"));
        ObjectNode o = ApiJson.object();
        ArrayNode a = o.putArray("policies");
        for (Policy p : page.items()) {
            a.addObject().put("policyName", p.name()).put("policyArn", p.arn());
        }
        if (page.nextToken() != null) {
            o.put("nextMarker", page.nextToken());
        }
        return o;
    }
}
