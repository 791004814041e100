package com.pettysync.contract.frame;

import java.util.List;

/**
 * Checks a {@link CborItem} tree against the shapes of the contract (a map with small unsigned keys, fixed-
 * length arrays of integers) and turns shape errors into {@link ContractViolation}s with a path and rule.
 * Shared by the telemetry, event and voice part decoders.
 */
public final class FrameShape {
    private FrameShape() {}

    /**
     * The values of the top-level map's keys {@code 0 … maxKey} (absent keys are {@code null}); larger unsigned
     * keys are ignored. Rejects a non-map, a key that is not an unsigned integer, a duplicate key and a
     * {@code null} value of a known key ({@code names[k]} names key k in paths).
     */
    public static CborItem[] topLevel(CborItem item, String[] names) {
        if (!(item instanceof CborItem.Map map)) {
            throw new ContractViolation("frame", "top level must be a map, not " + CborItem.typeName(item));
        }
        CborItem[] known = new CborItem[names.length];
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (CborItem.Entry e : map.entries()) {
            long key;
            if (e.key() instanceof CborItem.Int i && i.value() >= 0) {
                key = i.value();
            } else if (e.key() instanceof CborItem.BigInt b && !b.negative()) {
                continue; // an unsigned key above 2^63: above 9, ignored (cannot be a duplicate we care about)
            } else {
                throw new ContractViolation("frame", "map key must be an unsigned integer, not "
                        + CborItem.typeName(e.key()));
            }
            if (!seen.add(key)) {
                throw new ContractViolation("frame", "duplicate map key " + key);
            }
            if (key < names.length) {
                if (e.value() instanceof CborItem.Simple s && s.value() == CborItem.Simple.NULL) {
                    throw new ContractViolation(names[(int) key], "must not be null (absent key = no data)");
                }
                known[(int) key] = e.value();
            }
        }
        return known;
    }

    /** The integer value of {@code item}, checked against {@code field}. */
    public static long integer(CborItem item, String path, Field field) {
        switch (item) {
            case CborItem.Int i -> {
                if (field.unsigned() && i.value() < 0) {
                    throw new ContractViolation(path, field.name() + " must be an unsigned integer");
                }
                return field.check(i.value(), path);
            }
            case CborItem.BigInt b -> {
                if (field.unsigned() && b.negative()) {
                    throw new ContractViolation(path, field.name() + " must be an unsigned integer");
                }
                throw new ContractViolation(path, field.outOfRange());
            }
            default -> throw wrongType(item, path, field.name() + " must be "
                    + (field.unsigned() ? "an unsigned integer" : "an integer"));
        }
    }

    /** The elements of {@code item}, which must be an array of exactly {@code fields.length} integers. */
    public static long[] integers(CborItem item, String path, Field[] fields) {
        List<CborItem> items = array(item, path, fields.length);
        long[] values = new long[fields.length];
        for (int i = 0; i < fields.length; i++) {
            values[i] = integer(items.get(i), path + "[" + i + "]", fields[i]);
        }
        return values;
    }

    /** The elements of {@code item}, which must be an array of {@code n} elements ({@code n < 0}: any length). */
    public static List<CborItem> array(CborItem item, String path, int n) {
        if (!(item instanceof CborItem.Array array)) {
            throw wrongType(item, path, "must be an array" + (n >= 0 ? " of " + n : ""));
        }
        if (n >= 0 && array.items().size() != n) {
            throw new ContractViolation(path, "must be an array of " + n + ", not " + array.items().size());
        }
        return array.items();
    }

    /** The bytes of {@code item}, which must be a byte string. */
    public static byte[] bytes(CborItem item, String path) {
        if (!(item instanceof CborItem.Bytes b)) {
            throw wrongType(item, path, "must be a byte string");
        }
        return b.value();
    }

    /** Rejects {@code null} with its own rule, anything else with {@code rule} (naming what was found). */
    public static ContractViolation wrongType(CborItem item, String path, String rule) {
        if (item instanceof CborItem.Simple s && s.value() == CborItem.Simple.NULL) {
            return new ContractViolation(path, "must not be null (absent = no data)");
        }
        return new ContractViolation(path, rule + ", not " + CborItem.typeName(item));
    }

    /** Rejects a missing required key. */
    public static CborItem required(CborItem[] known, int key, String[] names) {
        if (known[key] == null) {
            throw new ContractViolation(names[key], "missing (key " + key + " is required)");
        }
        return known[key];
    }

    /** Rejects a frame longer than {@code max} bytes before anything is parsed. */
    public static void checkSize(int length, int max) {
        if (length > max) {
            throw new ContractViolation("frame", "frame is " + length + " bytes, over " + max);
        }
    }
}
