package com.pettysync.agent.ota;

/** A verified artifact that still cannot be installed (bad layout, wrong build inside, model refused, I/O). */
public final class InstallException extends Exception {
    private static final long serialVersionUID = 1L;

    public InstallException(String message) {
        super(message);
    }

    public InstallException(String message, Throwable cause) {
        super(message, cause);
    }
}
