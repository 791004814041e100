package com.pettysync.simulator.cloud.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The things of the registry and the principals (certificates) attached to them — CreateThing, DescribeThing,
 * UpdateThing, DeleteThing, ListThings, AttachThingPrincipal, DetachThingPrincipal, ListThingPrincipals,
 * ListPrincipalThings. Semantics as AWS IoT's API reference states them; see {@link Registry} for the guarantees.
 */
public final class Things {
    /** ListThings' filters; null fields do not filter. */
    public record Query(String attributeName, String attributeValue, boolean usePrefixAttributeValue,
            String thingTypeName, Integer maxResults, String nextToken) {
        public static Query all() {
            return new Query(null, null, false, null, null, null);
        }
    }

    private final RegistryDatabase db;
    private final Arns arns;
    private final Clock clock;
    private final Consumer<String> principalChanged;

    Things(RegistryDatabase db, Arns arns, Clock clock, Consumer<String> principalChanged) {
        this.db = db;
        this.arns = arns;
        this.clock = clock;
        this.principalChanged = principalChanged;
    }

    /**
     * CreateThing: a new thing, or the existing one when it has the same type and attributes (AWS is idempotent
     * there).
     *
     * @throws RegistryException ALREADY_EXISTS (with the thing's id and ARN) when a thing of that name differs;
     *     NOT_FOUND for an unknown thing type; INVALID for bad names, attributes or too many attributes
     */
    public Thing create(String name, String typeName, Map<String, String> attributes) {
        Names.thing("thingName", name);
        if (typeName != null) {
            Names.thing("thingTypeName", typeName);
        }
        Map<String, String> attrs = new TreeMap<>(attributes == null ? Map.of() : attributes);
        Names.attributes("attributePayload.attributes", attrs, typeName != null);
        return db.write(c -> create(c, name, typeName, attrs));
    }

    Thing create(Connection c, String name, String typeName, Map<String, String> attrs) throws SQLException {
        Optional<Thing> existing = find(c, name);
        if (existing.isPresent()) {
            Thing t = existing.get();
            if (Objects.equals(t.typeName(), typeName) && t.attributes().equals(attrs)) {
                return t;
            }
            throw RegistryException.alreadyExists("thing " + name + " already exists with a different thing type "
                    + "or attributes", t.id(), t.arn());
        }
        if (typeName != null && !Rows.exists(c, "SELECT 1 FROM thing_types WHERE name = ?", typeName)) {
            throw RegistryException.notFound("thing type " + typeName + " does not exist");
        }
        String id = UUID.randomUUID().toString();
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO things(name, id, type_name, attributes, version, created_ms) VALUES (?,?,?,?,1,?)")) {
            s.setString(1, name);
            s.setString(2, id);
            s.setString(3, typeName);
            s.setString(4, Rows.json(attrs));
            s.setLong(5, clock.millis());
            s.executeUpdate();
        }
        return new Thing(name, arns.thing(name), id, typeName, attrs, 1);
    }

    /** The thing named {@code name}, if registered. */
    public Optional<Thing> find(String name) {
        return db.read(c -> find(c, name));
    }

    /** DescribeThing. @throws RegistryException NOT_FOUND */
    public Thing describe(String name) {
        return find(name).orElseThrow(() -> RegistryException.notFound("thing " + name + " does not exist"));
    }

    /**
     * UpdateThing: sets or removes the thing type, and replaces the attributes or ({@code merge}) merges them in,
     * where an empty value removes an attribute; the version goes up by one.
     *
     * @param typeName        the new type, or null to keep it
     * @param removeType      remove the type (then {@code typeName} must be null)
     * @param attributes      the new attributes, or null to keep them
     * @param expectedVersion refuse unless this is the current version (null: any)
     * @throws RegistryException NOT_FOUND (thing or type), VERSION_CONFLICT, INVALID
     */
    public Thing update(String name, String typeName, boolean removeType, Map<String, String> attributes,
            boolean merge, Long expectedVersion) {
        if (removeType && typeName != null) {
            throw RegistryException.invalid("removeThingType and thingTypeName cannot be given together");
        }
        if (typeName != null) {
            Names.thing("thingTypeName", typeName);
        }
        Thing updated = db.write(c -> {
            Thing t = find(c, name).orElseThrow(() -> RegistryException.notFound("thing " + name
                    + " does not exist"));
            if (expectedVersion != null && expectedVersion != t.version()) {
                throw new RegistryException(RegistryException.Reason.VERSION_CONFLICT, "thing " + name
                        + " is at version " + t.version() + ", not the expected " + expectedVersion);
            }
            String type = removeType ? null : typeName != null ? typeName : t.typeName();
            if (type != null && !type.equals(t.typeName())
                    && !Rows.exists(c, "SELECT 1 FROM thing_types WHERE name = ?", type)) {
                throw RegistryException.notFound("thing type " + type + " does not exist");
            }
            Map<String, String> attrs = new TreeMap<>(t.attributes());
            if (attributes != null) {
                if (!merge) {
                    attrs.clear();
                }
                for (Map.Entry<String, String> a : attributes.entrySet()) {
                    if (merge && a.getValue().isEmpty()) {
                        attrs.remove(a.getKey());
                    } else {
                        attrs.put(a.getKey(), a.getValue());
                    }
                }
            }
            Names.attributes("attributePayload.attributes", attrs, type != null);
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE things SET type_name = ?, attributes = ?, version = version + 1 WHERE name = ?")) {
                s.setString(1, type);
                s.setString(2, Rows.json(attrs));
                s.setString(3, name);
                s.executeUpdate();
            }
            return new Thing(name, t.arn(), t.id(), type, attrs, t.version() + 1);
        });
        return updated;
    }

    /**
     * DeleteThing: removes the thing and its group memberships; a thing that does not exist is no error (as AWS).
     *
     * @throws RegistryException VERSION_CONFLICT; INVALID while principals are attached (AWS refuses that too)
     */
    public void delete(String name, Long expectedVersion) {
        Names.thing("thingName", name);
        db.write(c -> {
            Optional<Thing> t = find(c, name);
            if (t.isEmpty()) {
                return null;
            }
            if (expectedVersion != null && expectedVersion != t.get().version()) {
                throw new RegistryException(RegistryException.Reason.VERSION_CONFLICT, "thing " + name
                        + " is at version " + t.get().version() + ", not the expected " + expectedVersion);
            }
            if (Rows.exists(c, "SELECT 1 FROM thing_principals WHERE thing_name = ?", name)) {
                throw RegistryException.invalid("cannot delete thing " + name + ": principals are still attached "
                        + "(DetachThingPrincipal first)");
            }
            Rows.update(c, "DELETE FROM thing_group_members WHERE thing_name = ?", name);
            Rows.update(c, "DELETE FROM things WHERE name = ?", name);
            return null;
        });
    }

    /** ListThings: by name, filtered, a page of at most {@code maxResults} (default 100). */
    public Page<Thing> list(Query q) {
        int max = Rows.pageSize("maxResults", q.maxResults(), 100);
        String after = Rows.untoken("nextToken", q.nextToken());
        if (q.attributeValue() != null && q.attributeName() == null) {
            throw RegistryException.invalid("attributeValue needs attributeName");
        }
        return db.read(c -> {
            List<Thing> out = new ArrayList<>();
            String sql = "SELECT name, id, type_name, attributes, version FROM things WHERE name > ?"
                    + (q.thingTypeName() != null ? " AND type_name = ?" : "") + " ORDER BY name";
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, after);
                if (q.thingTypeName() != null) {
                    s.setString(2, q.thingTypeName());
                }
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        Thing t = thing(r);
                        if (!matches(t, q)) {
                            continue;
                        }
                        if (out.size() == max) {
                            return new Page<>(out, Rows.token(out.get(max - 1).name()));
                        }
                        out.add(t);
                    }
                }
            }
            return new Page<>(out, null);
        });
    }

    private static boolean matches(Thing t, Query q) {
        if (q.attributeName() == null) {
            return true;
        }
        String v = t.attributes().get(q.attributeName());
        if (v == null) {
            return false;
        }
        if (q.attributeValue() == null) {
            return true;
        }
        return q.usePrefixAttributeValue() ? v.startsWith(q.attributeValue()) : v.equals(q.attributeValue());
    }

    /**
     * AttachThingPrincipal: attaches a registered certificate (by ARN) to a thing; attaching twice is no error.
     *
     * @throws RegistryException NOT_FOUND for an unknown thing or certificate; INVALID for a principal that is not
     *     a certificate ARN of this account
     */
    public void attachPrincipal(String thingName, String principalArn) {
        Names.thing("thingName", thingName);
        String certificateId = certificateIdOf(principalArn);
        db.write(c -> attachPrincipal(c, thingName, principalArn, certificateId));
        principalChanged.accept(certificateId);
    }

    Void attachPrincipal(Connection c, String thingName, String principalArn, String certificateId)
            throws SQLException {
        if (!Rows.exists(c, "SELECT 1 FROM things WHERE name = ?", thingName)) {
            throw RegistryException.notFound("thing " + thingName + " does not exist");
        }
        if (!Rows.exists(c, "SELECT 1 FROM certificates WHERE id = ?", certificateId)) {
            throw RegistryException.notFound("certificate " + certificateId + " does not exist");
        }
        try (PreparedStatement s = c.prepareStatement(
                "INSERT OR IGNORE INTO thing_principals(thing_name, principal) VALUES (?, ?)")) {
            s.setString(1, thingName);
            s.setString(2, principalArn);
            s.executeUpdate();
        }
        return null;
    }

    /**
     * DetachThingPrincipal: detaches a principal; detaching one that is not attached is no error.
     *
     * @throws RegistryException NOT_FOUND for an unknown thing
     */
    public void detachPrincipal(String thingName, String principalArn) {
        Names.thing("thingName", thingName);
        String certificateId = certificateIdOf(principalArn);
        db.write(c -> {
            if (!Rows.exists(c, "SELECT 1 FROM things WHERE name = ?", thingName)) {
                throw RegistryException.notFound("thing " + thingName + " does not exist");
            }
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM thing_principals WHERE thing_name = ? AND principal = ?")) {
                s.setString(1, thingName);
                s.setString(2, principalArn);
                s.executeUpdate();
            }
            return null;
        });
        principalChanged.accept(certificateId);
    }

    /** ListThingPrincipals: principal ARNs attached to a thing. @throws RegistryException NOT_FOUND */
    public Page<String> principals(String thingName, Integer maxResults, String nextToken) {
        int max = Rows.pageSize("maxResults", maxResults, 100);
        String after = Rows.untoken("nextToken", nextToken);
        return db.read(c -> {
            if (!Rows.exists(c, "SELECT 1 FROM things WHERE name = ?", thingName)) {
                throw RegistryException.notFound("thing " + thingName + " does not exist");
            }
            return page(c, "SELECT principal FROM thing_principals WHERE thing_name = ? AND principal > ? "
                    + "ORDER BY principal LIMIT ?", thingName, after, max);
        });
    }

    /** ListPrincipalThings: names of the things a principal is attached to. */
    public Page<String> principalThings(String principalArn, Integer maxResults, String nextToken) {
        certificateIdOf(principalArn);
        int max = Rows.pageSize("maxResults", maxResults, 100);
        String after = Rows.untoken("nextToken", nextToken);
        return db.read(c -> page(c, "SELECT thing_name FROM thing_principals WHERE principal = ? AND thing_name > ? "
                + "ORDER BY thing_name LIMIT ?", principalArn, after, max));
    }

    /** Whether {@code principalArn} is attached to thing {@code thingName} (the broker's connect check). */
    public boolean isAttached(String thingName, String principalArn) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT 1 FROM thing_principals WHERE thing_name = ? AND principal = ?")) {
                s.setString(1, thingName);
                s.setString(2, principalArn);
                try (ResultSet r = s.executeQuery()) {
                    return r.next();
                }
            }
        });
    }

    private String certificateIdOf(String principalArn) {
        String id = arns.nameIn(principalArn, "cert");
        if (id == null) {
            throw RegistryException.invalid("principal must be a certificate ARN (" + arns.certificate("ID")
                    + "), got \"" + principalArn + "\"");
        }
        return id;
    }

    private static Page<String> page(Connection c, String sql, String key, String after, int max)
            throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, key);
            s.setString(2, after);
            s.setInt(3, max + 1);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
        }
        if (out.size() > max) {
            out = out.subList(0, max);
            return new Page<>(out, Rows.token(out.get(max - 1)));
        }
        return new Page<>(out, null);
    }

    Optional<Thing> find(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT name, id, type_name, attributes, version FROM things WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(thing(r)) : Optional.empty();
            }
        }
    }

    private Thing thing(ResultSet r) throws SQLException {
        String name = r.getString(1);
        return new Thing(name, arns.thing(name), r.getString(2), r.getString(3), Rows.attributes(r.getString(4)),
                r.getLong(5));
    }
}
