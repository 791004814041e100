package com.pettysync.contract.job;

/**
 * A job document breaks a rule of wire contract §7. {@link #field()} names the offending field ({@code document}
 * for the whole), {@link #reason()} the rule. The message is {@code field: reason}, one line, fit for a job's
 * {@code statusDetails}.
 */
public final class JobDocumentException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String reason;

    public JobDocumentException(String field, String reason) {
        super(field + ": " + reason, null, false, false);
        this.field = field;
        this.reason = reason;
    }

    /** The offending field, e.g. {@code sha256}; {@code document} for the whole. */
    public String field() {
        return field;
    }

    /** The broken rule, e.g. {@code must be 64 hex digits}. */
    public String reason() {
        return reason;
    }
}
