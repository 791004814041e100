package com.pettysync.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The {@code identity.claim} section: the collar has no identity of its own yet and gets one on its first start by
 * AWS IoT fleet provisioning by claim (see {@code provision.ClaimProvisioning}). Validated by
 * {@link AgentConfigParser} like the rest of the configuration; field rules are in the module README.
 *
 * @param certificate       PEM file of the claim certificate (shared by a production batch; only allowed to provision)
 * @param privateKey        PEM file of its private key
 * @param templateName      the provisioning template (AWS: 1–36 of {@code [0-9A-Za-z_-]})
 * @param parameters        the template parameters sent with RegisterThing (e.g. {@code SerialNumber}), in file order
 * @param clientId          MQTT client ID while provisioning, also the CSR's subject CN; default: the
 *                          {@code SerialNumber} parameter
 * @param identityDirectory where the permanent certificate and private key are written; default
 *                          {@code <dataDirectory>/identity}
 * @param replyTimeout      how long one request waits for AWS's reply before it counts as failed and is retried
 */
public record ClaimConfig(Path certificate, Path privateKey, String templateName, Map<String, String> parameters,
        String clientId, Path identityDirectory, Duration replyTimeout) {
    public static final int DEFAULT_REPLY_TIMEOUT_S = 30;
    /** The directory below the data directory that holds the permanent identity unless configured otherwise. */
    public static final String DEFAULT_IDENTITY_DIRECTORY = "identity";
    /** File names of the permanent identity inside {@link #identityDirectory}. */
    public static final String CERTIFICATE_FILE = "certificate.pem";
    public static final String PRIVATE_KEY_FILE = "private.key";

    public ClaimConfig {
        parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
    }

    /** Where the permanent certificate is written. */
    public Path permanentCertificate() {
        return identityDirectory.resolve(CERTIFICATE_FILE);
    }

    /** Where the permanent private key is written (mode 0600). */
    public Path permanentPrivateKey() {
        return identityDirectory.resolve(PRIVATE_KEY_FILE);
    }
}
