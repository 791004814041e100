package com.pettysync.simulator.cloud.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the registry's tables hold what SQL has no type for: attribute maps and name lists as JSON text, page tokens
 * as URL-safe Base64 of the last key, page sizes checked against AWS's 1–250.
 */
final class Rows {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_PAGE = 250;

    private Rows() {
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value, e);
        }
    }

    static Map<String, String> attributes(String json) {
        try {
            return new TreeMap<>(JSON.readValue(json, new TypeReference<Map<String, String>>() { }));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("registry row holds bad attributes JSON: " + json, e);
        }
    }

    static List<String> names(String json) {
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("registry row holds a bad name list: " + json, e);
        }
    }

    static String token(String lastKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastKey.getBytes(StandardCharsets.UTF_8));
    }

    /** The key a token stands for; "" (before everything) for null. */
    static String untoken(String field, String token) {
        if (token == null || token.isEmpty()) {
            return "";
        }
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw RegistryException.invalid(field + " is not a token this service returned: \"" + token + "\"");
        }
    }

    static int pageSize(String field, Integer requested, int byDefault) {
        if (requested == null) {
            return byDefault;
        }
        if (requested < 1 || requested > MAX_PAGE) {
            throw RegistryException.invalid(field + " must be 1-" + MAX_PAGE + ", got " + requested);
        }
        return requested;
    }

    static boolean exists(Connection c, String sql, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, key);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    static int update(Connection c, String sql, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, key);
            return s.executeUpdate();
        }
    }
}
