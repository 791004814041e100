package com.pettysync.simulator.cloud.provisioning;

import java.util.Objects;

/**
 * A fleet provisioning request refused, with the status code and error code of the {@code .../rejected} reply
 * ({@code {"statusCode", "errorCode", "errorMessage"}}, the error payload of
 * https://docs.aws.amazon.com/iot/latest/developerguide/fleet-provision-api.html).
 *
 * <p>AWS documents the payload's shape but not its codes. {@code InvalidCertificateOwnershipToken} (400) is the one
 * seen in public reports of AWS's replies (aws/aws-iot-device-sdk-js-v2#69); the others are ours, named after the
 * IoT control plane's exceptions where one fits ({@code ResourceNotFoundException},
 * {@code ResourceConflictsException}, {@code ResourceRegistrationFailureException}, {@code InternalFailureException})
 * and listed in the simulator README. Each {@link Reason} is one failure a caller can act on.
 */
public final class ProvisioningRefusal extends Exception {
    /** Why a request was refused, with its reply codes. */
    public enum Reason {
        /** The payload is not JSON/CBOR, or a field is missing or of the wrong type. */
        INVALID_REQUEST(400, "InvalidRequest"),
        /** The certificate signing request is not a PEM CSR, its signature does not verify, or its key is refused. */
        INVALID_CSR(400, "InvalidCSR"),
        /** The ownership token is missing, unknown, expired or already used. */
        INVALID_OWNERSHIP_TOKEN(400, "InvalidCertificateOwnershipToken"),
        /** No provisioning template of that name. */
        TEMPLATE_NOT_FOUND(404, "ResourceNotFound"),
        /** The template exists but is disabled. */
        TEMPLATE_DISABLED(400, "TemplateDisabled"),
        /** A parameter the template declares without a Default is absent, or a value does not fit its Type. */
        INVALID_PARAMETERS(400, "InvalidParameters"),
        /** The template body is malformed or cannot be evaluated (unsupported function, bad Ref, index out of range). */
        INVALID_TEMPLATE(400, "InvalidTemplate"),
        /** An existing resource conflicts with the template (OverrideSettings FAIL). */
        RESOURCE_CONFLICT(409, "ResourceConflicts"),
        /** A resource could not be registered (bad thing name, unknown thing type or policy). */
        RESOURCE_REGISTRATION_FAILED(400, "ResourceRegistrationFailure"),
        /** The registry failed unexpectedly. */
        INTERNAL_FAILURE(500, "InternalFailure");

        private final int statusCode;
        private final String errorCode;

        Reason(int statusCode, String errorCode) {
            this.statusCode = statusCode;
            this.errorCode = errorCode;
        }

        /** The reply's {@code statusCode}. */
        public int statusCode() {
            return statusCode;
        }

        /** The reply's {@code errorCode}. */
        public String errorCode() {
            return errorCode;
        }
    }

    private final Reason reason;

    /** A refusal for {@code reason}; {@code message} becomes the reply's {@code errorMessage} (no secrets in it). */
    public ProvisioningRefusal(Reason reason, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
