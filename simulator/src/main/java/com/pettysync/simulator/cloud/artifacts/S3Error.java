package com.pettysync.simulator.cloud.artifacts;

/**
 * A refused S3 request as Amazon S3 reports it: an HTTP status and an error code ({@code NoSuchKey},
 * {@code SignatureDoesNotMatch}, …) with a message, sent as the XML {@code <Error>} body the SDKs parse.
 */
final class S3Error extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    S3Error(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }
}
