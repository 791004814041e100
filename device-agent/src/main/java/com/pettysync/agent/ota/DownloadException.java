package com.pettysync.agent.ota;

/** A download that did not complete, by what the caller should do about it. */
public final class DownloadException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the download stopped. */
    public enum Kind {
        /** The URL was refused (presigned URL expired): get a new URL through the job, then resume. */
        URL_EXPIRED,
        /** Not enough free space (before or during): the job fails, the partial file is removed. */
        NO_SPACE,
        /** The server's bytes cannot be this artifact (wrong size, more bytes than the document says). */
        BAD_ARTIFACT,
        /** The network kept failing without progress: try again later (the partial file is kept). */
        NETWORK,
        /** {@link ResumableDownload#cancel()} or an interrupt: the partial file is kept. */
        CANCELLED
    }

    private final Kind kind;

    public DownloadException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public DownloadException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
