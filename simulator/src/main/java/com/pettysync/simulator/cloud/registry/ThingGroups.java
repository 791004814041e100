package com.pettysync.simulator.cloud.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Static thing groups and their members — CreateThingGroup, DescribeThingGroup, AddThingToThingGroup, and the
 * expansion of a group into its things (itself and its descendants) that job targets need. See {@link Registry}.
 */
public final class ThingGroups {
    private final RegistryDatabase db;
    private final Arns arns;
    private final Clock clock;

    ThingGroups(RegistryDatabase db, Arns arns, Clock clock) {
        this.db = db;
        this.arns = arns;
        this.clock = clock;
    }

    /**
     * CreateThingGroup: a new group under {@code parentName} (or a root group), or the existing one when parent,
     * description and attributes are the same.
     *
     * @throws RegistryException ALREADY_EXISTS when one of that name differs; NOT_FOUND for an unknown parent;
     *     INVALID for bad names or attributes
     */
    public ThingGroup create(String name, String parentName, String description, Map<String, String> attributes) {
        Names.thing("thingGroupName", name);
        if (parentName != null) {
            Names.thing("parentGroupName", parentName);
        }
        Names.description("thingGroupProperties.thingGroupDescription", description);
        Map<String, String> attrs = new TreeMap<>(attributes == null ? Map.of() : attributes);
        Names.attributes("thingGroupProperties.attributePayload.attributes", attrs, true);
        return db.write(c -> {
            Optional<ThingGroup> existing = find(c, name);
            if (existing.isPresent()) {
                ThingGroup g = existing.get();
                if (Objects.equals(g.parentName(), parentName) && Objects.equals(g.description(), description)
                        && g.attributes().equals(attrs)) {
                    return g;
                }
                throw RegistryException.alreadyExists("thing group " + name + " already exists with other "
                        + "properties", g.id(), g.arn());
            }
            if (parentName != null && find(c, parentName).isEmpty()) {
                throw RegistryException.notFound("parent thing group " + parentName + " does not exist");
            }
            String id = UUID.randomUUID().toString();
            try (PreparedStatement s = c.prepareStatement("INSERT INTO thing_groups(name, id, parent, description, "
                    + "attributes, version, created_ms) VALUES (?,?,?,?,?,1,?)")) {
                s.setString(1, name);
                s.setString(2, id);
                s.setString(3, parentName);
                s.setString(4, description);
                s.setString(5, Rows.json(attrs));
                s.setLong(6, clock.millis());
                s.executeUpdate();
            }
            return find(c, name).orElseThrow();
        });
    }

    /** DescribeThingGroup. @throws RegistryException NOT_FOUND */
    public ThingGroup describe(String name) {
        return db.read(c -> find(c, name)).orElseThrow(() -> RegistryException.notFound("thing group " + name
                + " does not exist"));
    }

    /**
     * AddThingToThingGroup (idempotent).
     *
     * @throws RegistryException NOT_FOUND for an unknown group or thing
     */
    public void addThing(String groupName, String thingName) {
        Names.thing("thingGroupName", groupName);
        Names.thing("thingName", thingName);
        db.write(c -> {
            if (find(c, groupName).isEmpty()) {
                throw RegistryException.notFound("thing group " + groupName + " does not exist");
            }
            if (!Rows.exists(c, "SELECT 1 FROM things WHERE name = ?", thingName)) {
                throw RegistryException.notFound("thing " + thingName + " does not exist");
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT OR IGNORE INTO thing_group_members(group_name, thing_name) VALUES (?, ?)")) {
                s.setString(1, groupName);
                s.setString(2, thingName);
                s.executeUpdate();
            }
            return null;
        });
    }

    /**
     * The things in {@code groupName} and in all its descendant groups, each once, by name within each group.
     *
     * @throws RegistryException NOT_FOUND for an unknown group
     */
    public List<String> thingsIn(String groupName) {
        return db.read(c -> {
            if (find(c, groupName).isEmpty()) {
                throw RegistryException.notFound("thing group " + groupName + " does not exist");
            }
            Set<String> things = new LinkedHashSet<>();
            Deque<String> groups = new ArrayDeque<>(List.of(groupName));
            Set<String> seen = new LinkedHashSet<>();
            while (!groups.isEmpty()) {
                String g = groups.pop();
                if (!seen.add(g)) {
                    continue;
                }
                things.addAll(column(c, "SELECT thing_name FROM thing_group_members WHERE group_name = ? "
                        + "ORDER BY thing_name", g));
                groups.addAll(column(c, "SELECT name FROM thing_groups WHERE parent = ? ORDER BY name", g));
            }
            return List.copyOf(things);
        });
    }

    private static List<String> column(Connection c, String sql, String key) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, key);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
        }
        return out;
    }

    private Optional<ThingGroup> find(Connection c, String name) throws SQLException {
        String id;
        String parent;
        String description;
        String attributes;
        long version;
        long created;
        try (PreparedStatement s = c.prepareStatement("SELECT id, parent, description, attributes, version, "
                + "created_ms FROM thing_groups WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                id = r.getString(1);
                parent = r.getString(2);
                description = r.getString(3);
                attributes = r.getString(4);
                version = r.getLong(5);
                created = r.getLong(6);
            }
        }
        List<String> ancestors = new ArrayList<>();
        for (String p = parent; p != null && !ancestors.contains(p); ) {
            ancestors.add(0, p);
            List<String> up = column(c, "SELECT parent FROM thing_groups WHERE name = ?", p);
            p = up.isEmpty() ? null : up.get(0);
        }
        return Optional.of(new ThingGroup(name, arns.thingGroup(name), id, parent, ancestors, description,
                Rows.attributes(attributes), version, Instant.ofEpochMilli(created)));
    }
}
