package com.pettysync.simulator.cloud.registry;

import com.pettysync.contract.policy.IotPolicy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * IoT policies, their versions and their attachments to certificates — CreatePolicy, GetPolicy,
 * CreatePolicyVersion, ListPolicyVersions, GetPolicyVersion, DeletePolicyVersion, SetDefaultPolicyVersion,
 * AttachPolicy, DetachPolicy, ListAttachedPolicies. Every document is checked with cloud-contract's
 * {@link IotPolicy#fromDocument} (the engine that later authorizes with it) before it is stored. At most
 * {@value #MAX_VERSIONS} versions per policy (AWS's limit); version ids are never reused. Attachment changes are
 * announced to the registry's listeners after they commit. See {@link Registry} for the guarantees.
 */
public final class Policies {
    /** AWS IoT keeps at most five versions of a policy. */
    public static final int MAX_VERSIONS = 5;

    private final RegistryDatabase db;
    private final Arns arns;
    private final Clock clock;
    private final Consumer<String> attachmentChanged;

    Policies(RegistryDatabase db, Arns arns, Clock clock, Consumer<String> attachmentChanged) {
        this.db = db;
        this.arns = arns;
        this.clock = clock;
        this.attachmentChanged = attachmentChanged;
    }

    /**
     * CreatePolicy: version 1, the default.
     *
     * @throws RegistryException ALREADY_EXISTS, MALFORMED_POLICY, INVALID (name)
     */
    public Policy create(String name, String document) {
        Names.policy(name);
        checkDocument(document);
        return db.write(c -> create(c, name, document));
    }

    Policy create(Connection c, String name, String document) throws SQLException {
        if (Rows.exists(c, "SELECT 1 FROM policies WHERE name = ?", name)) {
            throw RegistryException.alreadyExists("policy " + name + " already exists", name, arns.policy(name));
        }
        long now = clock.millis();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO policies(name, default_version, last_version, "
                + "created_ms, modified_ms, generation) VALUES (?, 1, 1, ?, ?, 1)")) {
            s.setString(1, name);
            s.setLong(2, now);
            s.setLong(3, now);
            s.executeUpdate();
        }
        insertVersion(c, name, 1, document, now);
        return find(c, name).orElseThrow();
    }

    /** The policy named {@code name} with its default document, if it exists. */
    public Optional<Policy> find(String name) {
        return db.read(c -> find(c, name));
    }

    /** GetPolicy. @throws RegistryException NOT_FOUND */
    public Policy get(String name) {
        return find(name).orElseThrow(() -> notFound(name));
    }

    /**
     * CreatePolicyVersion: the next version id; the default only if {@code setAsDefault}.
     *
     * @throws RegistryException NOT_FOUND, VERSIONS_LIMIT (five already), MALFORMED_POLICY
     */
    public PolicyVersion createVersion(String name, String document, boolean setAsDefault) {
        checkDocument(document);
        return db.write(c -> {
            Policy p = find(c, name).orElseThrow(() -> notFound(name));
            int count = count(c, name);
            if (count >= MAX_VERSIONS) {
                throw new RegistryException(RegistryException.Reason.VERSIONS_LIMIT, "policy " + name + " already has "
                        + count + " versions, the most AWS IoT keeps: DeletePolicyVersion first");
            }
            int version = lastVersion(c, name) + 1;
            long now = clock.millis();
            insertVersion(c, name, version, document, now);
            try (PreparedStatement s = c.prepareStatement("UPDATE policies SET last_version = ?, modified_ms = ?, "
                    + "generation = generation + 1" + (setAsDefault ? ", default_version = ?" : "")
                    + " WHERE name = ?")) {
                s.setInt(1, version);
                s.setLong(2, now);
                if (setAsDefault) {
                    s.setInt(3, version);
                    s.setString(4, name);
                } else {
                    s.setString(3, name);
                }
                s.executeUpdate();
            }
            return new PolicyVersion(p.name(), Integer.toString(version), document, setAsDefault,
                    Instant.ofEpochMilli(now));
        });
    }

    /** ListPolicyVersions, newest first. @throws RegistryException NOT_FOUND */
    public List<PolicyVersion> versions(String name) {
        return db.read(c -> {
            Policy p = find(c, name).orElseThrow(() -> notFound(name));
            List<PolicyVersion> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT version, document, created_ms FROM policy_versions "
                    + "WHERE policy_name = ? ORDER BY version DESC")) {
                s.setString(1, name);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        String v = Integer.toString(r.getInt(1));
                        out.add(new PolicyVersion(name, v, r.getString(2), v.equals(p.defaultVersionId()),
                                Instant.ofEpochMilli(r.getLong(3))));
                    }
                }
            }
            return out;
        });
    }

    /** GetPolicyVersion. @throws RegistryException NOT_FOUND (policy or version), INVALID (version id) */
    public PolicyVersion version(String name, String versionId) {
        return versions(name).stream().filter(v -> v.versionId().equals(versionNumber(versionId) + ""))
                .findFirst().orElseThrow(() -> RegistryException.notFound("policy " + name + " has no version "
                        + versionId));
    }

    /**
     * DeletePolicyVersion: any version but the default.
     *
     * @throws RegistryException NOT_FOUND, DELETE_CONFLICT (the default version)
     */
    public void deleteVersion(String name, String versionId) {
        int v = versionNumber(versionId);
        db.write(c -> {
            Policy p = find(c, name).orElseThrow(() -> notFound(name));
            if (p.defaultVersionId().equals(Integer.toString(v))) {
                throw new RegistryException(RegistryException.Reason.DELETE_CONFLICT, "version " + v + " is the "
                        + "default version of policy " + name + ": make another version the default first");
            }
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM policy_versions WHERE policy_name = ? AND version = ?")) {
                s.setString(1, name);
                s.setInt(2, v);
                if (s.executeUpdate() == 0) {
                    throw RegistryException.notFound("policy " + name + " has no version " + versionId);
                }
            }
            return null;
        });
    }

    /**
     * SetDefaultPolicyVersion. Connections already open keep the policy they were authorized with (the broker
     * evaluates policies once per connection).
     *
     * @throws RegistryException NOT_FOUND
     */
    public void setDefaultVersion(String name, String versionId) {
        int v = versionNumber(versionId);
        db.write(c -> {
            find(c, name).orElseThrow(() -> notFound(name));
            try (PreparedStatement s = c.prepareStatement("UPDATE policies SET default_version = ?, modified_ms = ?, "
                    + "generation = generation + 1 WHERE name = ? AND EXISTS (SELECT 1 FROM policy_versions "
                    + "WHERE policy_name = ? AND version = ?)")) {
                s.setInt(1, v);
                s.setLong(2, clock.millis());
                s.setString(3, name);
                s.setString(4, name);
                s.setInt(5, v);
                if (s.executeUpdate() == 0) {
                    throw RegistryException.notFound("policy " + name + " has no version " + versionId);
                }
            }
            return null;
        });
    }

    /**
     * AttachPolicy to a certificate ARN (idempotent).
     *
     * @throws RegistryException NOT_FOUND (policy or certificate), INVALID (target not a certificate ARN)
     */
    public void attach(String name, String target) {
        String certificateId = certificateIdOf(target);
        db.write(c -> attach(c, name, target, certificateId));
        attachmentChanged.accept(certificateId);
    }

    Void attach(Connection c, String name, String target, String certificateId) throws SQLException {
        find(c, name).orElseThrow(() -> notFound(name));
        if (!Rows.exists(c, "SELECT 1 FROM certificates WHERE id = ?", certificateId)) {
            throw RegistryException.notFound("certificate " + certificateId + " does not exist");
        }
        try (PreparedStatement s = c.prepareStatement(
                "INSERT OR IGNORE INTO policy_targets(policy_name, target) VALUES (?, ?)")) {
            s.setString(1, name);
            s.setString(2, target);
            s.executeUpdate();
        }
        return null;
    }

    /** DetachPolicy (detaching a policy that is not attached is no error). @throws RegistryException NOT_FOUND */
    public void detach(String name, String target) {
        String certificateId = certificateIdOf(target);
        db.write(c -> {
            find(c, name).orElseThrow(() -> notFound(name));
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM policy_targets WHERE policy_name = ? AND target = ?")) {
                s.setString(1, name);
                s.setString(2, target);
                s.executeUpdate();
            }
            return null;
        });
        attachmentChanged.accept(certificateId);
    }

    /** ListAttachedPolicies: the policies attached to {@code target}, by name, a page of at most {@code pageSize}. */
    public Page<Policy> attachedTo(String target, Integer pageSize, String marker) {
        certificateIdOf(target);
        int max = Rows.pageSize("pageSize", pageSize, 25);
        String after = Rows.untoken("marker", marker);
        List<Policy> all = attachedTo(target).stream().filter(p -> p.name().compareTo(after) > 0).toList();
        if (all.size() > max) {
            List<Policy> page = all.subList(0, max);
            return new Page<>(page, Rows.token(page.get(max - 1).name()));
        }
        return new Page<>(all, null);
    }

    /** Every policy attached to {@code target} with its default document, by name (the broker's connect check). */
    public List<Policy> attachedTo(String target) {
        return db.read(c -> {
            List<String> names = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT policy_name FROM policy_targets WHERE target = ? ORDER BY policy_name")) {
                s.setString(1, target);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        names.add(r.getString(1));
                    }
                }
            }
            List<Policy> out = new ArrayList<>();
            for (String n : names) {
                find(c, n).ifPresent(out::add);
            }
            return out;
        });
    }

    void checkDocument(String document) {
        try {
            IotPolicy.fromDocument(arns.region(), arns.account(), document);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(RegistryException.Reason.MALFORMED_POLICY, "policyDocument: " + e.getMessage());
        }
    }

    private String certificateIdOf(String target) {
        String id = arns.nameIn(target, "cert");
        if (id == null) {
            throw RegistryException.invalid("target must be a certificate ARN (" + arns.certificate("ID")
                    + "), got \"" + target + "\"");
        }
        return id;
    }

    private static int versionNumber(String versionId) {
        try {
            int v = Integer.parseInt(versionId);
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException | NullPointerException e) {
            // below
        }
        throw RegistryException.invalid("policyVersionId must be a positive number, got \"" + versionId + "\"");
    }

    private static RegistryException notFound(String name) {
        return RegistryException.notFound("policy " + name + " does not exist");
    }

    private static void insertVersion(Connection c, String name, int version, String document, long now)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO policy_versions(policy_name, version, document, "
                + "created_ms) VALUES (?, ?, ?, ?)")) {
            s.setString(1, name);
            s.setInt(2, version);
            s.setString(3, document);
            s.setLong(4, now);
            s.executeUpdate();
        }
    }

    private static int count(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM policy_versions WHERE policy_name = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    private static int lastVersion(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT last_version FROM policies WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    Optional<Policy> find(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT p.default_version, v.document, p.created_ms, "
                + "p.modified_ms, p.generation FROM policies p JOIN policy_versions v ON v.policy_name = p.name "
                + "AND v.version = p.default_version WHERE p.name = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Policy(name, arns.policy(name), r.getString(2), Integer.toString(r.getInt(1)),
                        Instant.ofEpochMilli(r.getLong(3)), Instant.ofEpochMilli(r.getLong(4)),
                        Long.toString(r.getLong(5))));
            }
        }
    }
}
