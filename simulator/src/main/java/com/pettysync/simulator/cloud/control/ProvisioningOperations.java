package com.pettysync.simulator.cloud.control;

import static com.pettysync.simulator.cloud.control.ApiRequest.required;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.simulator.cloud.registry.ProvisioningTemplate;
import com.pettysync.simulator.cloud.registry.Registry;
import java.util.function.Supplier;

/**
 * What a device is onboarded with, over AWS IoT's REST bindings: CreateProvisioningTemplate,
 * DescribeProvisioningTemplate (stored for fleet provisioning), and DescribeEndpoint ({@code iot:Data-ATS} and the
 * legacy {@code iot:Data} → {@code localhost:PORT} of the local MQTT listener; other endpoint types are not served).
 */
final class ProvisioningOperations {
    private final Registry registry;
    private final Supplier<String> dataEndpoint;

    ProvisioningOperations(Registry registry, Supplier<String> dataEndpoint) {
        this.registry = registry;
        this.dataEndpoint = dataEndpoint;
    }

    void register(Router r) {
        r.add("CreateProvisioningTemplate", "POST", "/provisioning-templates", this::createTemplate);
        r.add("DescribeProvisioningTemplate", "GET", "/provisioning-templates/{templateName}", this::describeTemplate);
        r.add("DescribeEndpoint", "GET", "/endpoint", this::describeEndpoint);
    }

    private JsonNode createTemplate(ApiRequest q) {
        if (!q.object("preProvisioningHook").isEmpty()) {
            throw ApiError.invalidRequest("preProvisioningHook: Lambda hooks are not run by the local IoT Core");
        }
        Boolean enabled = q.bool("enabled");
        ProvisioningTemplate t = registry.provisioningTemplates().create(
                required("templateName", q.text("templateName")), q.text("description"),
                required("templateBody", q.text("templateBody")), enabled != null && enabled,
                required("provisioningRoleArn", q.text("provisioningRoleArn")), q.text("type"));
        return ApiJson.object().put("templateArn", t.arn()).put("templateName", t.name())
                .put("defaultVersionId", t.defaultVersionId());
    }

    private JsonNode describeTemplate(ApiRequest q) {
        ProvisioningTemplate t = registry.provisioningTemplates().describe(q.path("templateName"));
        ObjectNode o = ApiJson.object().put("templateArn", t.arn()).put("templateName", t.name());
        if (t.description() != null) {
            o.put("description", t.description());
        }
        return o.put("creationDate", ApiJson.time(t.creationDate()))
                .put("lastModifiedDate", ApiJson.time(t.lastModifiedDate()))
                .put("defaultVersionId", t.defaultVersionId()).put("templateBody", t.templateBody())
                .put("enabled", t.enabled()).put("provisioningRoleArn", t.provisioningRoleArn())
                .put("type", t.type());
    }

    private JsonNode describeEndpoint(ApiRequest q) {
        String type = q.query("endpointType");
        if (type != null && !type.equals("iot:Data-ATS") && !type.equals("iot:Data")) {
            throw ApiError.invalidRequest("endpointType " + type + " is not served by the local IoT Core (only "
                    + "iot:Data-ATS and iot:Data, its MQTT listener)");
        }
        return ApiJson.object().put("endpointAddress", dataEndpoint.get());
    }
}
