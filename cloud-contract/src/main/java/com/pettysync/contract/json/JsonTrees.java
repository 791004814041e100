package com.pettysync.contract.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Jackson trees ({@link JsonNode}) read and written with jackson-core's streaming parser and generator only, so
 * that code on the collar never builds an {@code ObjectMapper}: a mapper loads about 310 more classes than this
 * (417 against 108 for one read and one write, measured with {@code -verbose:class}), which is metaspace the
 * agent carries for its whole life. The trees are the ordinary databind node classes, so callers keep the
 * {@code JsonNode} API.
 *
 * <p>Reading is stricter than {@code ObjectMapper.readTree}: a duplicate field name, content after the first
 * value, an empty document and nesting deeper than {@value #MAX_DEPTH} are errors ({@link JsonParseException} with
 * the location), never a silent choice. Numbers become the nodes a mapper would make (int, long, BigInteger;
 * double for fractions). Writing never calls {@code JsonNode.toString()} (which builds a mapper internally).
 */
public final class JsonTrees {
    /** Deepest nesting accepted; the collar's documents (config, shadow, model metadata) need 4. */
    public static final int MAX_DEPTH = 32;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTrees() {
    }

    /** A new empty object node (what {@code mapper.createObjectNode()} gives). */
    public static ObjectNode object() {
        return NODES.objectNode();
    }

    /** One JSON value from UTF-8 bytes. */
    public static JsonNode read(byte[] json) throws JsonParseException {
        try (JsonParser p = FACTORY.createParser(json)) {
            return readDocument(p);
        } catch (JsonParseException e) {
            throw e;
        } catch (IOException e) { // a byte array cannot fail to read; anything else is a parse problem
            throw new JsonParseException(null, e.getMessage(), e);
        }
    }

    /** One JSON value from a string. */
    public static JsonNode read(String json) throws JsonParseException {
        return read(json.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode readDocument(JsonParser p) throws IOException {
        JsonToken first = p.nextToken();
        if (first == null) {
            throw new JsonParseException(p, "empty document: no JSON value");
        }
        JsonNode root = value(p, first);
        JsonToken after = p.nextToken();
        if (after != null) {
            throw new JsonParseException(p, "content after the JSON value: " + after);
        }
        return root;
    }

    private static JsonNode value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                ObjectNode o = NODES.objectNode();
                for (JsonToken n = p.nextToken(); n != JsonToken.END_OBJECT; n = p.nextToken()) {
                    String name = p.currentName();
                    o.set(name, value(p, p.nextToken()));
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                for (JsonToken n = p.nextToken(); n != JsonToken.END_ARRAY; n = p.nextToken()) {
                    a.add(value(p, n));
                }
                return a;
            }
            case VALUE_STRING -> {
                return NODES.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(p.getDoubleValue());
            }
            case VALUE_TRUE -> {
                return NODES.booleanNode(true);
            }
            case VALUE_FALSE -> {
                return NODES.booleanNode(false);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new JsonParseException(p, "unexpected token " + t);
        }
    }

    /** Compact UTF-8 JSON. */
    public static byte[] bytes(JsonNode node) {
        return write(node, false);
    }

    /** Compact JSON as a string (what {@code node.toString()} gives, without a mapper). */
    public static String string(JsonNode node) {
        return new String(write(node, false), StandardCharsets.UTF_8);
    }

    /** Indented UTF-8 JSON, for files people read. */
    public static byte[] prettyBytes(JsonNode node) {
        return write(node, true);
    }

    private static byte[] write(JsonNode node, boolean pretty) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            if (pretty) {
                g.useDefaultPrettyPrinter();
            }
            write(g, node);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // into memory: cannot happen
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator g, JsonNode n) throws IOException {
        switch (n.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject();
                for (Map.Entry<String, JsonNode> e : n.properties()) {
                    g.writeFieldName(e.getKey());
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (JsonNode c : n) {
                    write(g, c);
                }
                g.writeEndArray();
            }
            case STRING -> g.writeString(n.textValue());
            case NUMBER -> {
                switch (n.numberType()) {
                    case INT -> g.writeNumber(n.intValue());
                    case LONG -> g.writeNumber(n.longValue());
                    case BIG_INTEGER -> g.writeNumber(n.bigIntegerValue());
                    case FLOAT -> g.writeNumber(n.floatValue());
                    case BIG_DECIMAL -> g.writeNumber(n.decimalValue());
                    default -> g.writeNumber(n.doubleValue());
                }
            }
            case BOOLEAN -> g.writeBoolean(n.booleanValue());
            case NULL -> g.writeNull();
            default -> throw new IllegalArgumentException("not a JSON value: " + n.getNodeType());
        }
    }
}
