package com.pettysync.simulator.cloud.registry;

import java.time.Instant;

/**
 * One version of a policy.
 *
 * @param policyName the policy
 * @param versionId  "1", "2", … (never reused within a policy)
 * @param document   the document (JSON text as stored)
 * @param isDefault  whether it is the policy's default version (the one that authorizes)
 * @param createDate when it was created
 */
public record PolicyVersion(String policyName, String versionId, String document, boolean isDefault,
        Instant createDate) {}
