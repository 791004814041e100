package com.pettysync.simulator.cloud.registry;

import java.util.Objects;

/**
 * A registry request that cannot be carried out; {@link #reason()} says why in AWS IoT's terms (the control plane
 * maps each reason to the AWS error type), the message says which resource and which rule. Nothing was changed.
 */
public final class RegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a request was refused. */
    public enum Reason {
        /** A resource of that name or id exists (and, for things, differs). AWS: ResourceAlreadyExistsException. */
        ALREADY_EXISTS,
        /** A named resource does not exist. AWS: ResourceNotFoundException. */
        NOT_FOUND,
        /** A name, value or combination breaks a rule. AWS: InvalidRequestException. */
        INVALID,
        /** A policy document that is not a valid IoT policy. AWS: MalformedPolicyException. */
        MALFORMED_POLICY,
        /** Still attached or in use. AWS: DeleteConflictException. */
        DELETE_CONFLICT,
        /** A policy already has five versions. AWS: VersionsLimitExceededException. */
        VERSIONS_LIMIT,
        /** The certificate's status forbids it. AWS: CertificateStateException. */
        CERTIFICATE_STATE,
        /** {@code expectedVersion} is not the current version. AWS: VersionConflictException. */
        VERSION_CONFLICT,
        /** The store failed (I/O, SQLite busy past its timeout). AWS: InternalFailureException. */
        UNAVAILABLE
    }

    private final Reason reason;
    private final String resourceId;
    private final String resourceArn;

    public RegistryException(Reason reason, String message) {
        this(reason, message, null, null, null);
    }

    public RegistryException(Reason reason, String message, String resourceId, String resourceArn, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.resourceId = resourceId;
        this.resourceArn = resourceArn;
    }

    static RegistryException alreadyExists(String message, String resourceId, String resourceArn) {
        return new RegistryException(Reason.ALREADY_EXISTS, message, resourceId, resourceArn, null);
    }

    static RegistryException notFound(String message) {
        return new RegistryException(Reason.NOT_FOUND, message);
    }

    static RegistryException invalid(String message) {
        return new RegistryException(Reason.INVALID, message);
    }

    public Reason reason() {
        return reason;
    }

    /** For {@link Reason#ALREADY_EXISTS}: the existing resource's id (thing id, certificate id …), else null. */
    public String resourceId() {
        return resourceId;
    }

    /** For {@link Reason#ALREADY_EXISTS}: the existing resource's ARN, else null. */
    public String resourceArn() {
        return resourceArn;
    }
}
