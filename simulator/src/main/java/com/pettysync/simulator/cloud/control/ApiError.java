package com.pettysync.simulator.cloud.control;

import com.pettysync.simulator.cloud.registry.RegistryException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A refused control-plane request as AWS IoT reports it: an HTTP status, an error type (sent as the
 * {@code x-amzn-ErrorType} header and as {@code __type} in the JSON body, where the AWS SDKs and botocore look for
 * it), a {@code message}, and for some types extra members ({@code resourceId}, {@code resourceArn}). Status codes
 * are those of the IoT service model (the SDK's generated exception metadata), e.g. ThrottlingException is 400.
 */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final Map<String, String> members;

    ApiError(int status, String type, String message) {
        this(status, type, message, Map.of());
    }

    ApiError(int status, String type, String message, Map<String, String> members) {
        super(message);
        this.status = status;
        this.type = type;
        this.members = Map.copyOf(members);
    }

    static ApiError invalidRequest(String message) {
        return new ApiError(400, "InvalidRequestException", message);
    }

    static ApiError notFound(String message) {
        return new ApiError(404, "ResourceNotFoundException", message);
    }

    static ApiError alreadyExists(String message, String resourceId, String resourceArn) {
        Map<String, String> m = new LinkedHashMap<>();
        if (resourceId != null) {
            m.put("resourceId", resourceId);
        }
        if (resourceArn != null) {
            m.put("resourceArn", resourceArn);
        }
        return new ApiError(409, "ResourceAlreadyExistsException", message, m);
    }

    static ApiError throttling(String operation) {
        return new ApiError(400, "ThrottlingException", "Rate exceeded for " + operation);
    }

    static ApiError internalFailure(String message) {
        return new ApiError(500, "InternalFailureException", message);
    }

    /** The AWS error for a refused registry request. */
    static ApiError of(RegistryException e) {
        return switch (e.reason()) {
            case ALREADY_EXISTS -> alreadyExists(e.getMessage(), e.resourceId(), e.resourceArn());
            case NOT_FOUND -> notFound(e.getMessage());
            case INVALID -> invalidRequest(e.getMessage());
            case MALFORMED_POLICY -> new ApiError(400, "MalformedPolicyException", e.getMessage());
            case DELETE_CONFLICT -> new ApiError(409, "DeleteConflictException", e.getMessage());
            case VERSIONS_LIMIT -> new ApiError(409, "VersionsLimitExceededException", e.getMessage());
            case CERTIFICATE_STATE -> new ApiError(406, "CertificateStateException", e.getMessage());
            case VERSION_CONFLICT -> new ApiError(409, "VersionConflictException", e.getMessage());
            case UNAVAILABLE -> new ApiError(503, "ServiceUnavailableException", e.getMessage());
        };
    }

    int status() {
        return status;
    }

    String type() {
        return type;
    }

    Map<String, String> members() {
        return members;
    }
}
