package com.pettysync.simulator.cloud.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** The thing types of the registry — CreateThingType, DescribeThingType. See {@link Registry} for the guarantees. */
public final class ThingTypes {
    private static final int MAX_SEARCHABLE = 3;

    private final RegistryDatabase db;
    private final Arns arns;
    private final Clock clock;

    ThingTypes(RegistryDatabase db, Arns arns, Clock clock) {
        this.db = db;
        this.arns = arns;
        this.clock = clock;
    }

    /**
     * CreateThingType: a new type, or the existing one when description and searchable attributes are the same.
     *
     * @throws RegistryException ALREADY_EXISTS when one of that name differs; INVALID for a bad name, description
     *     or more than three searchable attributes
     */
    public ThingType create(String name, String description, List<String> searchableAttributes) {
        Names.thing("thingTypeName", name);
        Names.description("thingTypeProperties.thingTypeDescription", description);
        List<String> searchable = searchableAttributes == null ? List.of() : List.copyOf(searchableAttributes);
        if (searchable.size() > MAX_SEARCHABLE) {
            throw RegistryException.invalid("thingTypeProperties.searchableAttributes: at most " + MAX_SEARCHABLE
                    + " attributes, got " + searchable.size());
        }
        return db.write(c -> {
            Optional<ThingType> existing = find(c, name);
            if (existing.isPresent()) {
                ThingType t = existing.get();
                if (Objects.equals(t.description(), description) && t.searchableAttributes().equals(searchable)) {
                    return t;
                }
                throw RegistryException.alreadyExists("thing type " + name + " already exists with other properties",
                        t.id(), t.arn());
            }
            String id = UUID.randomUUID().toString();
            long now = clock.millis();
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO thing_types(name, id, description, searchable, created_ms) VALUES (?,?,?,?,?)")) {
                s.setString(1, name);
                s.setString(2, id);
                s.setString(3, description);
                s.setString(4, Rows.json(searchable));
                s.setLong(5, now);
                s.executeUpdate();
            }
            return new ThingType(name, arns.thingType(name), id, description, searchable, Instant.ofEpochMilli(now));
        });
    }

    /** DescribeThingType. @throws RegistryException NOT_FOUND */
    public ThingType describe(String name) {
        return db.read(c -> find(c, name)).orElseThrow(() -> RegistryException.notFound("thing type " + name
                + " does not exist"));
    }

    private Optional<ThingType> find(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT id, description, searchable, created_ms FROM thing_types WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new ThingType(name, arns.thingType(name), r.getString(1), r.getString(2),
                        Rows.names(r.getString(3)), Instant.ofEpochMilli(r.getLong(4))));
            }
        }
    }
}
