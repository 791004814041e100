package com.pettysync.contract.fleet;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The attributes of an AWS IoT thing, validated by the registry's rules: an immutable, insertion-ordered map from
 * attribute name to value, ready for {@code AttributePayload} of CreateThing / UpdateThing or a provisioning
 * template.
 *
 * <p>Rules (AWS IoT API reference, {@code AttributePayload} and {@code ThingAttribute}; developer guide, "Thing
 * types"):
 * <ul>
 *   <li>name: 1–{@value #MAX_NAME_LENGTH} characters of {@code [a-zA-Z0-9_.,@/:#-]};</li>
 *   <li>value: 1–{@value #MAX_VALUE_LENGTH} characters of {@code [a-zA-Z0-9_.,@/:#=\[\]-]} — AWS allows the empty
 *       value too, but in UpdateThing with {@code merge} it <em>deletes</em> the attribute, so it is refused here
 *       as a value;</li>
 *   <li>at most {@value #MAX_WITH_THING_TYPE} attributes on a thing that has a thing type (every collar has one),
 *       at most {@value #MAX_WITHOUT_THING_TYPE} on a thing without ({@link #fitsThingWithoutType()});</li>
 *   <li>a thing type names at most {@value #MAX_SEARCHABLE} of them as searchable attributes
 *       ({@code ThingTypeProperties.searchableAttributes}, "Maximum: 3").</li>
 * </ul>
 */
public final class ThingAttributes {
    /** Most characters of an attribute name. */
    public static final int MAX_NAME_LENGTH = 128;
    /** Most characters of an attribute value. */
    public static final int MAX_VALUE_LENGTH = 800;
    /** Most attributes of a thing with a thing type. */
    public static final int MAX_WITH_THING_TYPE = 50;
    /** Most attributes of a thing without a thing type. */
    public static final int MAX_WITHOUT_THING_TYPE = 3;
    /** Most searchable attributes of a thing type. */
    public static final int MAX_SEARCHABLE = 3;

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.,@/:#-]{1," + MAX_NAME_LENGTH + "}");
    private static final Pattern VALUE = Pattern.compile("[a-zA-Z0-9_.,@/:#=\\[\\]-]{1," + MAX_VALUE_LENGTH + "}");

    private final Map<String, String> attributes;

    private ThingAttributes(Map<String, String> attributes) {
        this.attributes = Collections.unmodifiableMap(attributes);
    }

    /**
     * Attributes from a map (iteration order kept).
     *
     * @throws FleetValueException ({@code attributes.<name>} or {@code attributes}) on the first name or value that
     *     breaks a rule, or when there are more than {@value #MAX_WITH_THING_TYPE}
     */
    public static ThingAttributes of(Map<String, String> attributes) {
        LinkedHashMap<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            checkName("attributes", e.getKey());
            checkValue("attributes." + e.getKey(), e.getValue());
            copy.put(e.getKey(), e.getValue());
        }
        checkCount(copy.size());
        return new ThingAttributes(copy);
    }

    /**
     * Attributes from {@code name=value} pairs, as typed on a command line ({@code --attribute batch=B2026-11}).
     * The value is everything after the first {@code =} (values may contain {@code =}).
     *
     * @throws FleetValueException naming the pair by position and text ({@code attribute 2 'batch'}) when it has
     *     no {@code =}, an empty or invalid name, an empty or invalid value, or repeats an earlier name; or
     *     ({@code attributes}) when there are more than {@value #MAX_WITH_THING_TYPE}
     */
    public static ThingAttributes parse(List<String> pairs) {
        LinkedHashMap<String, String> out = new LinkedHashMap<>();
        int position = 0;
        for (String pair : pairs) {
            position++;
            String field = "attribute " + position + " " + FleetValueException.quote(pair);
            if (pair == null) {
                throw new FleetValueException(field, "must be name=value");
            }
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw new FleetValueException(field, "must be name=value (no '=')");
            }
            String name = pair.substring(0, eq);
            String value = pair.substring(eq + 1);
            try {
                checkName("attributes", name);
                checkValue("attributes." + name, value);
            } catch (FleetValueException e) {
                throw new FleetValueException(field, e.rule());
            }
            if (out.putIfAbsent(name, value) != null) {
                throw new FleetValueException(field, "attribute '" + name + "' given twice");
            }
        }
        checkCount(out.size());
        return new ThingAttributes(out);
    }

    /** The attributes, unmodifiable, in the order given. */
    public Map<String, String> asMap() {
        return attributes;
    }

    /** Number of attributes. */
    public int size() {
        return attributes.size();
    }

    /** Whether a thing without a thing type could carry these ({@value #MAX_WITHOUT_THING_TYPE} at most). */
    public boolean fitsThingWithoutType() {
        return attributes.size() <= MAX_WITHOUT_THING_TYPE;
    }

    /**
     * Checks a thing type's searchable attribute names: valid names, no repeats, at most {@value #MAX_SEARCHABLE}.
     *
     * @throws FleetValueException ({@code searchableAttributes}) otherwise
     */
    public static List<String> checkSearchable(List<String> names) {
        if (names.size() > MAX_SEARCHABLE) {
            throw new FleetValueException("searchableAttributes", names.size() + " names, a thing type allows "
                    + MAX_SEARCHABLE);
        }
        for (String n : names) {
            checkName("searchableAttributes", n);
        }
        if (names.stream().distinct().count() != names.size()) {
            throw new FleetValueException("searchableAttributes", "names repeat: " + names);
        }
        return List.copyOf(names);
    }

    static void checkName(String field, String name) {
        if (name == null || name.isEmpty()) {
            throw new FleetValueException(field, "attribute name must not be empty");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new FleetValueException(field, "attribute name " + FleetValueException.quote(name) + " is "
                    + name.length() + " characters, AWS allows " + MAX_NAME_LENGTH);
        }
        if (!NAME.matcher(name).matches()) {
            throw new FleetValueException(field, "attribute name " + FleetValueException.quote(name)
                    + " must be characters of [a-zA-Z0-9_.,@/:#-]");
        }
    }

    static void checkValue(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new FleetValueException(field, "value must not be empty (an empty value deletes the attribute)");
        }
        if (value.length() > MAX_VALUE_LENGTH) {
            throw new FleetValueException(field, "value is " + value.length() + " characters, AWS allows "
                    + MAX_VALUE_LENGTH);
        }
        if (!VALUE.matcher(value).matches()) {
            throw new FleetValueException(field, "value " + FleetValueException.quote(value)
                    + " must be characters of [a-zA-Z0-9_.,@/:#=[]-]");
        }
    }

    private static void checkCount(int n) {
        if (n > MAX_WITH_THING_TYPE) {
            throw new FleetValueException("attributes", n + " attributes, a thing with a thing type allows "
                    + MAX_WITH_THING_TYPE);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ThingAttributes other && attributes.equals(other.attributes);
    }

    @Override
    public int hashCode() {
        return attributes.hashCode();
    }

    @Override
    public String toString() {
        return attributes.toString();
    }
}
