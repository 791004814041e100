package com.pettysync.contract.frame;

/**
 * A frame, or the decoded JSON form of one, breaks a rule of the wire contract v1.
 *
 * <p>The one error type of the frame codecs: every input given to a decoder or validator either yields a value
 * or this exception, never another one. {@link #path()} names the offending field; {@link #rule()} says which
 * rule it breaks, in words.
 *
 * <p>Paths: {@code frame} is the whole frame (size, CBOR well-formedness, bytes after the top-level item);
 * a top-level field is named ({@code seq}, {@code t0}); an element of a wire array is indexed as on the wire
 * ({@code hr[1]} is {@code min_bpm}, {@code loc.trail[5]} is {@code dt_2}). Errors of the JSON form's shape
 * (a missing or unknown JSON field, a wrong JSON type) use the JSON names ({@code hr.min_bpm},
 * {@code loc.trail[1].t}). The stack trace is not filled in: this is a verdict about data, not a bug.
 */
public final class ContractViolation extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String path;
    private final String rule;

    public ContractViolation(String path, String rule) {
        super(path + ": " + rule, null, false, false);
        this.path = path;
        this.rule = rule;
    }

    /** The offending field, for example {@code hr[1]} or {@code loc.trail[4]}; {@code frame} for the whole. */
    public String path() {
        return path;
    }

    /** The rule that is broken, for example {@code must be 20 … 400}. */
    public String rule() {
        return rule;
    }
}
