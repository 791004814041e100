package com.pettysync.contract.fleet;

import com.pettysync.contract.policy.IotPolicy;
import com.pettysync.contract.topic.RuleName;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The AWS IoT policy of the fleet's claim certificate, rendered from the template resource {@code claim-policy.json}
 * (beside this class; placeholders {@code {{region}}}, {@code {{account}}}, {@code {{template}}}).
 *
 * <p>Every collar leaves the factory with the same claim certificate; on first boot it connects with it, has AWS
 * sign a certificate for its own key (CreateCertificateFromCsr — the private key never leaves the collar) and
 * registers its thing with the fleet provisioning template (RegisterThing), then reconnects with its own
 * certificate under the collar policy. The claim policy allows exactly that and nothing else
 * (https://docs.aws.amazon.com/iot/latest/developerguide/provision-wo-cert.html, "claim certificate policy"):
 * <ul>
 *   <li>{@code iot:Connect} with any client ID (the claim is shared, so no client ID is its own);</li>
 *   <li>{@code iot:Publish} and {@code iot:Receive} on {@code topic/$aws/certificates/create-from-csr/*} and
 *       {@code topic/$aws/provisioning-templates/{template}/provision/*} (request, {@code accepted}, {@code rejected},
 *       JSON and CBOR);</li>
 *   <li>{@code iot:Subscribe} on the same two as {@code topicfilter/…}.</li>
 * </ul>
 * Not allowed: CreateKeysAndCertificate ({@code $aws/certificates/create/*}, AWS would generate the private key),
 * another template, any shadow, job or data topic.
 */
public final class ClaimPolicy {
    /** Classpath location of the template, beside this class. */
    public static final String TEMPLATE = "claim-policy.json";
    /**
     * Most characters of a policy document, whitespace not counted (CreatePolicy: "policyDocument must have a minimum
     * length of 1, with a maximum length of 2048, excluding whitespace").
     */
    public static final int AWS_MAX_DOCUMENT_CHARS = 2048;

    private final String provisioningTemplate;
    private final String json;

    private ClaimPolicy(String provisioningTemplate, String json) {
        this.provisioningTemplate = provisioningTemplate;
        this.json = json;
    }

    /**
     * The claim policy of the fleet {@code names} in an account and region.
     *
     * @throws IllegalArgumentException if the region or account is not of AWS's form — the same rule, and message,
     *     as the collar policy's ({@link IotPolicy#forCollars(String, String, RuleName)})
     */
    public static ClaimPolicy forFleet(String region, String account, FleetNames names) {
        IotPolicy.forCollars(region, account, RuleName.DEFAULT); // one rule for region and account: the collar policy's
        String rendered = template().replace("{{region}}", region).replace("{{account}}", account)
                .replace("{{template}}", names.provisioningTemplate());
        if (rendered.contains("{{")) {
            throw new IllegalStateException("template placeholder left unfilled in " + TEMPLATE);
        }
        return new ClaimPolicy(names.provisioningTemplate(), rendered);
    }

    /** The policy document as JSON (pretty-printed, as given to CreatePolicy). */
    public String json() {
        return json;
    }

    /** The provisioning template the policy lets a claimant register with. */
    public String provisioningTemplate() {
        return provisioningTemplate;
    }

    /** Characters of a policy document not counting whitespace, the measure of {@link #AWS_MAX_DOCUMENT_CHARS}. */
    public static int documentChars(String policyJson) {
        return (int) policyJson.chars().filter(c -> !Character.isWhitespace(c)).count();
    }

    private static String template() {
        try (InputStream in = ClaimPolicy.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException("policy template " + TEMPLATE + " missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
