package com.pettysync.cli;

/**
 * Input the user gave a command is unusable (not hex, not JSON, a wrong shape, a missing file). The launcher
 * prints its message on one line and exits with {@link Pettysync#EXIT_BAD_INPUT}.
 */
public final class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
