package com.pettysync.contract.topic;

/**
 * A thing name, rule name, shadow name, job id or MQTT topic does not fit the wire contract v1 (§1, §2) or an
 * AWS IoT Core limit.
 *
 * <p>The one error type of this package: every parse or build either yields a value or this exception. The
 * message names the offending input and the rule it breaks, on one line. The stack trace is not filled in: this
 * is a verdict about data, not a bug.
 */
public final class TopicException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public TopicException(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
