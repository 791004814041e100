package com.pettysync.agent.provision;

import java.time.Instant;
import java.util.Locale;

/**
 * Where provisioning by claim stands, as the agent writes it into its status file while the collar has no
 * permanent identity yet. Holds no secret (no token, no key, no certificate).
 *
 * @param state       what it is doing now
 * @param attempt     the attempt under way or last made (1 = the first)
 * @param failures    failed attempts in a row
 * @param lastError   why the last attempt failed (AWS's status and error code, a timeout, a refused connect), or null
 * @param nextAttempt when the next attempt starts while {@link State#WAITING_TO_RETRY}, else null
 * @param since       when provisioning started (this process)
 * @param thingName   the registered thing once {@link State#DONE}, else null
 */
public record ProvisioningStatus(State state, int attempt, int failures, String lastError, Instant nextAttempt,
        Instant since, String thingName) {

    public enum State {
        CONNECTING, CREATING_CERTIFICATE, REGISTERING_THING, WRITING_IDENTITY, WAITING_TO_RETRY, DONE;

        /** {@code waiting_to_retry}: the status file's spelling. */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
