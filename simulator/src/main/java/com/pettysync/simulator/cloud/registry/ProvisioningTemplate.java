package com.pettysync.simulator.cloud.registry;

import java.time.Instant;

/**
 * A fleet-provisioning template, stored as given (the fleet-provisioning service interprets its body).
 *
 * @param name                the template name ({@code [0-9A-Za-z_-]{1,36}})
 * @param arn                 {@code arn:aws:iot:REGION:ACCOUNT:provisioningtemplate/NAME}
 * @param description         its description, or null
 * @param templateBody        the JSON template body (text as given)
 * @param enabled             whether devices may provision with it
 * @param provisioningRoleArn the IAM role AWS IoT would assume (stored, not used locally)
 * @param type                FLEET_PROVISIONING or JITP
 * @param defaultVersionId    1 (versions are not kept)
 * @param creationDate        when it was created
 * @param lastModifiedDate    when it last changed
 */
public record ProvisioningTemplate(String name, String arn, String description, String templateBody,
        boolean enabled, String provisioningRoleArn, String type, int defaultVersionId, Instant creationDate,
        Instant lastModifiedDate) {}
