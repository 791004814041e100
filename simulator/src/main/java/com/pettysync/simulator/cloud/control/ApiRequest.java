package com.pettysync.simulator.cloud.control;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One authenticated control-plane request, decoded: the operation it was routed to, its path parameters, query
 * parameters, the headers the operation reads, and the JSON body. The accessors check each member's JSON type and
 * refuse a wrong one with InvalidRequestException naming the member, so no operation sees a half-typed request.
 */
final class ApiRequest {
    private final String operation;
    private final Map<String, String> path;
    private final Map<String, String> query;
    private final Map<String, List<String>> headers;
    private final JsonNode body;

    ApiRequest(String operation, Map<String, String> path, Map<String, String> query,
            Map<String, List<String>> headers, JsonNode body) {
        this.operation = operation;
        this.path = path;
        this.query = query;
        this.headers = headers;
        this.body = body;
    }

    String operation() {
        return operation;
    }

    /** A path parameter (URL-decoded). */
    String path(String name) {
        return path.get(name);
    }

    String query(String name) {
        return query.get(name);
    }

    Integer queryInt(String name) {
        String v = query.get(name);
        if (v == null) {
            return null;
        }
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            throw ApiError.invalidRequest(name + " must be a number, got \"" + v + "\"");
        }
    }

    Long queryLong(String name) {
        Integer i = queryInt(name);
        return i == null ? null : i.longValue();
    }

    boolean queryBool(String name) {
        String v = query.get(name);
        if (v == null) {
            return false;
        }
        if (!v.equals("true") && !v.equals("false")) {
            throw ApiError.invalidRequest(name + " must be true or false, got \"" + v + "\"");
        }
        return v.equals("true");
    }

    /** A header, or null (names are case-insensitive). */
    String header(String name) {
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase(name) && !h.getValue().isEmpty()) {
                return h.getValue().get(0);
            }
        }
        return null;
    }

    /** A required path, query or header parameter, or body member (InvalidRequestException when absent). */
    static <T> T required(String name, T value) {
        if (value == null) {
            throw ApiError.invalidRequest(name + " is required");
        }
        return value;
    }

    String text(String member) {
        return text(body, member, member);
    }

    Boolean bool(String member) {
        JsonNode n = body.get(member);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isBoolean()) {
            throw ApiError.invalidRequest(member + " must be a boolean");
        }
        return n.booleanValue();
    }

    Long number(String member) {
        JsonNode n = body.get(member);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber()) {
            throw ApiError.invalidRequest(member + " must be an integer");
        }
        return n.longValue();
    }

    /** An object member (empty object when absent). */
    JsonNode object(String member) {
        return object(body, member, member);
    }

    static JsonNode object(JsonNode parent, String member, String path) {
        JsonNode n = parent.get(member);
        if (n == null || n.isNull()) {
            return ApiJson.MAPPER.createObjectNode();
        }
        if (!n.isObject()) {
            throw ApiError.invalidRequest(path + " must be an object");
        }
        return n;
    }

    static String text(JsonNode parent, String member, String path) {
        JsonNode n = parent.get(member);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw ApiError.invalidRequest(path + " must be a string");
        }
        return n.textValue();
    }

    /** A string → string map member, or null when absent. */
    static Map<String, String> stringMap(JsonNode parent, String member, String path) {
        JsonNode n = parent.get(member);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw ApiError.invalidRequest(path + " must be an object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            if (!e.getValue().isTextual()) {
                throw ApiError.invalidRequest(path + "." + e.getKey() + " must be a string");
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return out;
    }

    /** A list-of-strings member, or an empty list when absent. */
    static List<String> strings(JsonNode parent, String member, String path) {
        JsonNode n = parent.get(member);
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            throw ApiError.invalidRequest(path + " must be a list of strings");
        }
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw ApiError.invalidRequest(path + " must be a list of strings");
            }
            out.add(e.textValue());
        }
        return out;
    }

    JsonNode body() {
        return body;
    }
}
