package com.pettysync.simulator.cloud.registry;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Fleet-provisioning templates — CreateProvisioningTemplate, DescribeProvisioningTemplate. The body is stored as
 * given after a shape check (a JSON object with a {@code Resources} object); interpreting it is fleet
 * provisioning's job. See {@link Registry} for the guarantees.
 */
public final class ProvisioningTemplates {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TYPES = Set.of("FLEET_PROVISIONING", "JITP");

    private final RegistryDatabase db;
    private final Arns arns;
    private final Clock clock;

    ProvisioningTemplates(RegistryDatabase db, Arns arns, Clock clock) {
        this.db = db;
        this.arns = arns;
        this.clock = clock;
    }

    /**
     * CreateProvisioningTemplate.
     *
     * @param type FLEET_PROVISIONING (default when null) or JITP
     * @throws RegistryException ALREADY_EXISTS, INVALID (name, body, role ARN, type)
     */
    public ProvisioningTemplate create(String name, String description, String templateBody, boolean enabled,
            String provisioningRoleArn, String type) {
        Names.template(name);
        Names.description("description", description);
        String kind = type == null ? "FLEET_PROVISIONING" : type;
        if (!TYPES.contains(kind)) {
            throw RegistryException.invalid("type must be FLEET_PROVISIONING or JITP, got \"" + type + "\"");
        }
        if (provisioningRoleArn == null || !provisioningRoleArn.startsWith("arn:aws:iam::")) {
            throw RegistryException.invalid("provisioningRoleArn must be an IAM role ARN (arn:aws:iam::ACCOUNT:role/"
                    + "NAME), got " + (provisioningRoleArn == null ? "nothing" : "\"" + provisioningRoleArn + "\""));
        }
        checkBody(templateBody);
        return db.write(c -> {
            if (find(c, name).isPresent()) {
                throw RegistryException.alreadyExists("provisioning template " + name + " already exists", name,
                        arns.provisioningTemplate(name));
            }
            long now = clock.millis();
            try (PreparedStatement s = c.prepareStatement("INSERT INTO provisioning_templates(name, description, "
                    + "body, enabled, role_arn, type, created_ms, modified_ms) VALUES (?,?,?,?,?,?,?,?)")) {
                s.setString(1, name);
                s.setString(2, description);
                s.setString(3, templateBody);
                s.setInt(4, enabled ? 1 : 0);
                s.setString(5, provisioningRoleArn);
                s.setString(6, kind);
                s.setLong(7, now);
                s.setLong(8, now);
                s.executeUpdate();
            }
            return find(c, name).orElseThrow();
        });
    }

    /** The template named {@code name}, if any. */
    public Optional<ProvisioningTemplate> find(String name) {
        return db.read(c -> find(c, name));
    }

    /** DescribeProvisioningTemplate. @throws RegistryException NOT_FOUND */
    public ProvisioningTemplate describe(String name) {
        return find(name).orElseThrow(() -> RegistryException.notFound("provisioning template " + name
                + " does not exist"));
    }

    private static void checkBody(String body) {
        JsonNode root;
        try {
            root = body == null ? null : JSON.readTree(body);
        } catch (JacksonException e) {
            throw RegistryException.invalid("templateBody is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || !root.path("Resources").isObject()) {
            throw RegistryException.invalid("templateBody must be a JSON object with a \"Resources\" object");
        }
    }

    private Optional<ProvisioningTemplate> find(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT description, body, enabled, role_arn, type, created_ms, "
                + "modified_ms FROM provisioning_templates WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new ProvisioningTemplate(name, arns.provisioningTemplate(name), r.getString(1),
                        r.getString(2), r.getInt(3) != 0, r.getString(4), r.getString(5), 1,
                        Instant.ofEpochMilli(r.getLong(6)), Instant.ofEpochMilli(r.getLong(7))));
            }
        }
    }
}
