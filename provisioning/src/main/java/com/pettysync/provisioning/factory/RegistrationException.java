package com.pettysync.provisioning.factory;

import com.pettysync.contract.topic.ThingName;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * A collar whose registration stopped, with the reason and whether a later attempt can succeed without anyone
 * changing anything (throttling, 5xx and I/O failures that outlasted the SDK's retries: yes; a refused request,
 * a duplicate thing, a bad CSR: no).
 */
public final class RegistrationException extends Exception {
    private final ThingName thing;
    private final boolean retryable;

    public RegistrationException(ThingName thing, String message, boolean retryable) {
        this(thing, message, retryable, null);
    }

    public RegistrationException(ThingName thing, String message, boolean retryable, Throwable cause) {
        super(thing.value() + ": " + message, cause);
        this.thing = thing;
        this.retryable = retryable;
    }

    /** Classifies an SDK failure: AWS's error code and status in the message. */
    static RegistrationException fromSdk(ThingName thing, SdkException e) {
        if (e instanceof AwsServiceException s) {
            int status = s.statusCode();
            boolean retryable = status >= 500 || status == 429 || s.isThrottlingException();
            String code = s.awsErrorDetails() == null ? "?" : s.awsErrorDetails().errorCode();
            String message = s.awsErrorDetails() == null ? s.getMessage() : s.awsErrorDetails().errorMessage();
            return new RegistrationException(thing, code + " (HTTP " + status + "): " + message, retryable, e);
        }
        boolean retryable = e instanceof SdkClientException || e.retryable();
        return new RegistrationException(thing, "cannot reach the control plane: " + e.getMessage(), retryable, e);
    }

    public ThingName thing() {
        return thing;
    }

    public boolean retryable() {
        return retryable;
    }
}
