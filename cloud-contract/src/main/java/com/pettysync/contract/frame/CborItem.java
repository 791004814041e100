package com.pettysync.contract.frame;

import java.util.List;

/**
 * One well-formed CBOR data item as read by {@link CborReader}: the generic tree that the frame decoders check
 * against the contract's shapes. Integers outside Java's {@code long} are kept only as {@link BigInt} (every
 * contract field rejects them as out of range).
 */
public sealed interface CborItem {

    /** An integer of major type 0 or 1 whose value fits in a {@code long}. */
    record Int(long value) implements CborItem {}

    /** An integer of major type 0 or 1 outside the {@code long} range. */
    record BigInt(boolean negative) implements CborItem {}

    /** A byte string (definite or the concatenation of indefinite chunks). */
    record Bytes(byte[] value) implements CborItem {}

    /** A text string (valid UTF-8). */
    record Text(String value) implements CborItem {}

    /** An array. */
    record Array(List<CborItem> items) implements CborItem {}

    /** A map, entries in the order they appear. */
    record Map(List<Entry> entries) implements CborItem {}

    /** A map entry. */
    record Entry(CborItem key, CborItem value) {}

    /** A tagged item. */
    record Tagged(long tag, CborItem item) implements CborItem {}

    /** A simple value: 20 false, 21 true, 22 null, 23 undefined, others unassigned. */
    record Simple(int value) implements CborItem {
        public static final int NULL = 22;
    }

    /** A floating-point number (half, single or double precision). */
    record Float(double value) implements CborItem {}

    /** A short description of the item's type, for error messages. */
    static String typeName(CborItem item) {
        return switch (item) {
            case Int i -> i.value() < 0 ? "a negative integer" : "an unsigned integer";
            case BigInt b -> b.negative() ? "a negative integer" : "an unsigned integer";
            case Bytes b -> "a byte string";
            case Text t -> "a text string";
            case Array a -> "an array";
            case Map m -> "a map";
            case Tagged t -> "a tagged item";
            case Simple s -> switch (s.value()) {
                case 20, 21 -> "a boolean";
                case Simple.NULL -> "null";
                case 23 -> "undefined";
                default -> "a simple value";
            };
            case Float f -> "a float";
        };
    }
}
