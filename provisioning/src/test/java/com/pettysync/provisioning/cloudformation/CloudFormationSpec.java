package com.pettysync.provisioning.cloudformation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * AWS's CloudFormation resource specification, read from the database that the AWS CDK publishes as the npm package
 * {@code @aws-cdk/aws-service-spec} ({@code db.json.gz}: every resource type of the CloudFormation registry schemas
 * merged with the legacy resource specification, the source of the CDK's own L1 classes). The Maven build downloads
 * the package (sha256-pinned) and names the file in the system property {@value #DB_PROPERTY}.
 *
 * <p>What is read of it: {@code schema.resource.entities} (per resource: {@code cloudFormationType},
 * {@code properties} and {@code attributes}) and {@code schema.typeDefinition.entities} (property types, by
 * {@code $id}). A property is {@code {"type": T, "required": bool}}; T is one of {@code string} (optionally with
 * {@code allowedValues}), {@code integer}, {@code number}, {@code boolean}, {@code json}, {@code date-time},
 * {@code tag}, {@code array}/{@code map} with an {@code element} T, {@code ref} to a type definition, or
 * {@code union} of {@code types}.
 */
final class CloudFormationSpec {
    /** System property with the path of {@code db.json.gz} (set by the provisioning pom for surefire). */
    static final String DB_PROPERTY = "aws.service.spec.db";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, JsonNode> resources;
    private final Map<String, JsonNode> typeDefinitions;

    private CloudFormationSpec(Map<String, JsonNode> resources, Map<String, JsonNode> typeDefinitions) {
        this.resources = resources;
        this.typeDefinitions = typeDefinitions;
    }

    private static CloudFormationSpec fromBuild;

    /** The spec the build downloaded (read once per JVM: the test classes share it). */
    static synchronized CloudFormationSpec fromBuild() {
        if (fromBuild != null) {
            return fromBuild;
        }
        String path = System.getProperty(DB_PROPERTY);
        if (path == null || !Files.isRegularFile(Path.of(path))) {
            throw new IllegalStateException("CloudFormation spec not found (system property " + DB_PROPERTY + " = "
                    + path + "): run the test through Maven, which downloads @aws-cdk/aws-service-spec at "
                    + "generate-test-resources");
        }
        fromBuild = load(Path.of(path));
        return fromBuild;
    }

    static CloudFormationSpec load(Path dbJsonGz) {
        Map<String, JsonNode> resources = new HashMap<>();
        Map<String, JsonNode> types = new HashMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(dbJsonGz), 1 << 16);
                JsonParser p = MAPPER.createParser(in)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String top = p.currentName();
                p.nextToken();
                if (!top.equals("schema")) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String table = p.currentName();
                    p.nextToken();
                    if (table.equals("resource") || table.equals("typeDefinition")) {
                        readEntities(p, table.equals("resource") ? resources : types, table.equals("resource")
                                ? "cloudFormationType" : "$id");
                    } else {
                        p.skipChildren();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CloudFormation spec " + dbJsonGz, e);
        }
        if (resources.isEmpty() || types.isEmpty()) {
            throw new IllegalStateException("no resources or type definitions in " + dbJsonGz);
        }
        return new CloudFormationSpec(Map.copyOf(resources), Map.copyOf(types));
    }

    /** Reads {@code {"type": …, "entities": [ … ]}} into {@code into}, keyed by each entity's {@code key} field. */
    private static void readEntities(JsonParser p, Map<String, JsonNode> into, String key) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            if (!field.equals("entities")) {
                p.skipChildren();
                continue;
            }
            expect(t, JsonToken.START_ARRAY);
            while (p.nextToken() == JsonToken.START_OBJECT) {
                JsonNode entity = MAPPER.readTree(p);
                into.put(entity.path(key).asText(), entity);
            }
        }
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("unexpected " + actual + " in the spec, expected " + expected);
        }
    }

    /** The resource type, e.g. {@code AWS::IoT::Policy}: its {@code properties} and {@code attributes}. */
    Optional<JsonNode> resource(String cloudFormationType) {
        return Optional.ofNullable(resources.get(cloudFormationType));
    }

    /** The property type with this {@code $id}. */
    JsonNode typeDefinition(String id) {
        JsonNode t = typeDefinitions.get(id);
        if (t == null) {
            throw new IllegalStateException("the spec references type definition " + id + ", which it lacks");
        }
        return t;
    }

    /** Number of resource types. */
    int resourceTypeCount() {
        return resources.size();
    }
}
