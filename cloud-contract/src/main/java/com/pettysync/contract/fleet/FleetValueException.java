package com.pettysync.contract.fleet;

/**
 * A fleet definition value — a resource name, a serial number, a thing attribute, a deployment record field —
 * breaks a rule of AWS IoT or of the product. {@link #field()} names the offending value ({@code serial},
 * {@code attributes.batch}, {@code attribute 3}), {@link #rule()} the rule in words. The message is
 * {@code field: rule}, one line, fit for a command-line error. The stack trace is not filled in: this is a verdict
 * about input, not a bug.
 */
public final class FleetValueException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String rule;

    public FleetValueException(String field, String rule) {
        super(field + ": " + rule, null);
        this.field = field;
        this.rule = rule;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    /** The offending value, e.g. {@code serial} or {@code attributes.manufactureDate}. */
    public String field() {
        return field;
    }

    /** The broken rule, e.g. {@code must be 4–32 characters of [A-Z0-9]}. */
    public String rule() {
        return rule;
    }

    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        String shown = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
