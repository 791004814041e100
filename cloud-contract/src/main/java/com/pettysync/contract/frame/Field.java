package com.pettysync.contract.frame;

/**
 * One integer field of the contract: its name in the decoded JSON form and its inclusive range. Used both
 * when decoding wire items and when validating records, so a range is written down once.
 */
public record Field(String name, long min, long max) {
    /** Largest value the Java records hold for an unbounded {@code uint} (values ≥ 2^63 are rejected). */
    public static final long UINT_MAX = Long.MAX_VALUE;

    public static Field uint(String name) {
        return new Field(name, 0, UINT_MAX);
    }

    /** Returns {@code value}, or throws if it is outside {@link #min()} … {@link #max()}. */
    public long check(long value, String path) {
        if (value < min || value > max) {
            throw new ContractViolation(path, outOfRange());
        }
        return value;
    }

    /** The rule text of a value outside the range. */
    public String outOfRange() {
        return name + " must be " + min + " … " + max;
    }

    /** True when the field holds only non-negative values (a CBOR unsigned integer). */
    public boolean unsigned() {
        return min >= 0;
    }
}
