package com.pettysync.agent.provision;

import java.nio.file.Path;
import java.util.Map;

/**
 * The collar's own identity after provisioning by claim, as committed to disk: the thing name AWS registered, the
 * new certificate and private key files (the configuration file now points at them) and the template's
 * {@code deviceConfiguration}.
 */
public record PermanentIdentity(String thingName, Path certificate, Path privateKey,
        Map<String, String> deviceConfiguration) {
    public PermanentIdentity {
        deviceConfiguration = Map.copyOf(deviceConfiguration);
    }
}
