package com.pettysync.simulator.cloud.registry;

import java.time.Instant;

/**
 * An IoT policy with its default version's document.
 *
 * @param name             the policy name
 * @param arn              {@code arn:aws:iot:REGION:ACCOUNT:policy/NAME}
 * @param document         the default version's document (JSON text as stored)
 * @param defaultVersionId the default version ("1", "2", …)
 * @param creationDate     when the policy was created
 * @param lastModifiedDate when a version was last added or made default
 * @param generationId     changes with every modification
 */
public record Policy(String name, String arn, String document, String defaultVersionId, Instant creationDate,
        Instant lastModifiedDate, String generationId) {}
