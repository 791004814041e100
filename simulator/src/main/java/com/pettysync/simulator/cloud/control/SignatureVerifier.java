package com.pettysync.simulator.cloud.control;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;

/**
 * Verifies AWS Signature Version 4 on a received request the only trustworthy way: it signs the request again with
 * the AWS SDK's own signer (service signing name {@value #SERVICE}, as the IoT client's generated auth-scheme
 * provider uses), with the configured secret, at the request's own {@code X-Amz-Date}, in the region of its
 * credential scope, over exactly the headers it says it signed and its body — and compares the two signatures in
 * constant time. No HMAC chain is written here.
 *
 * <p>Two of the SDK's signers, by what the client signed: {@link AwsV4HttpSigner} (http-auth-aws) when the signed
 * headers include {@code x-amz-content-sha256}, as the AWS SDK for Java v2 sends it; the {@code auth} module's
 * {@code Aws4Signer} otherwise (botocore — the AWS CLI, boto3 — signs no content-hash header), because
 * {@code AwsV4HttpSigner} always adds {@code x-amz-content-sha256} to the headers it signs, and a canonical request
 * with one header more can never match. Both are the same SDK's SigV4 canonicalization (double-encoded, normalized
 * path; sorted, trimmed headers; SHA-256 of the body).
 *
 * <p>Refusals, as AWS reports them (all HTTP 403): no or unparsable {@code Authorization} →
 * MissingAuthenticationTokenException; an unknown access key id → UnrecognizedClientException "The security token
 * included in the request is invalid."; a scope for another service, a request date more than
 * {@value #SKEW_MINUTES} minutes from the injected clock ("Signature expired: … is now earlier than …" / "Signature
 * not yet current: … is still later than …"), or a signature that differs → InvalidSignatureException. Any region
 * is accepted (a local stand-in has one endpoint for all). Thread-safe.
 */
final class SignatureVerifier {
    static final String SERVICE = "iot";
    static final long SKEW_MINUTES = 5;
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";

    /** A request as received: method, raw path and query, headers, body. */
    record Received(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {}

    private final ControlPlaneCredentials credentials;
    private final Clock clock;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    SignatureVerifier(ControlPlaneCredentials credentials, Clock clock) {
        this.credentials = credentials;
        this.clock = clock;
    }

    /** Returns quietly when the request is signed with the configured key; throws the AWS refusal otherwise. */
    void verify(Received request) {
        String authorization = header(request.headers(), "Authorization");
        if (authorization == null || !authorization.startsWith(ALGORITHM + " ")) {
            throw new ApiError(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
        }
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : authorization.substring(ALGORITHM.length() + 1).split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        String credential = parts.get("Credential");
        String signedHeaders = parts.get("SignedHeaders");
        String signature = parts.get("Signature");
        String[] scope = credential == null ? new String[0] : credential.split("/");
        if (scope.length != 5 || signedHeaders == null || signature == null) {
            throw new ApiError(403, "IncompleteSignatureException", "Authorization header requires 'Credential', "
                    + "'Signature' and 'SignedHeaders' parameters; got " + parts.keySet());
        }
        if (!constantTimeEquals(scope[0], credentials.accessKeyId())) {
            throw new ApiError(403, "UnrecognizedClientException",
                    "The security token included in the request is invalid.");
        }
        if (!scope[3].equals(SERVICE) || !scope[4].equals("aws4_request")) {
            throw invalidSignature("Credential should be scoped to correct service: '" + SERVICE + "'. ");
        }
        String amzDate = header(request.headers(), "X-Amz-Date");
        Instant signedAt;
        try {
            signedAt = Instant.from(AMZ_DATE.parse(amzDate == null ? "" : amzDate));
        } catch (DateTimeParseException e) {
            throw invalidSignature("X-Amz-Date must be yyyyMMdd'T'HHmmss'Z', got " + amzDate);
        }
        checkSkew(signedAt);
        String expected = sign(request, signedAt, scope[2], signedHeaders);
        if (!constantTimeEquals(expected, signature)) {
            throw invalidSignature("The request signature we calculated does not match the signature you provided. "
                    + "Check your AWS Secret Access Key and signing method. Consult the service documentation for "
                    + "details.");
        }
    }

    private void checkSkew(Instant signedAt) {
        Instant now = clock.instant();
        Duration skew = Duration.ofMinutes(SKEW_MINUTES);
        if (signedAt.isBefore(now.minus(skew))) {
            throw invalidSignature("Signature expired: " + AMZ_DATE.format(signedAt) + " is now earlier than "
                    + AMZ_DATE.format(now.minus(skew)) + " (" + AMZ_DATE.format(now) + " - " + SKEW_MINUTES
                    + " min.)");
        }
        if (signedAt.isAfter(now.plus(skew))) {
            throw invalidSignature("Signature not yet current: " + AMZ_DATE.format(signedAt) + " is still later than "
                    + AMZ_DATE.format(now.plus(skew)) + " (" + AMZ_DATE.format(now) + " + " + SKEW_MINUTES
                    + " min.)");
        }
    }

    private String sign(Received r, Instant signedAt, String region, String signedHeaders) {
        Set<String> names = new TreeSet<>(List.of(signedHeaders.toLowerCase(Locale.ROOT).split(";")));
        String hostHeader = header(r.headers(), "Host");
        if (hostHeader == null || !names.contains("host")) {
            throw invalidSignature("the Host header must be signed");
        }
        SdkHttpRequest.Builder b = SdkHttpRequest.builder().protocol("https")
                .method(SdkHttpMethod.fromValue(r.method())).encodedPath(r.rawPath().isEmpty() ? "/" : r.rawPath());
        int colon = hostHeader.lastIndexOf(':');
        if (colon > 0 && !hostHeader.endsWith("]")) {
            b.host(hostHeader.substring(0, colon)).port(Integer.parseInt(hostHeader.substring(colon + 1)));
        } else {
            b.host(hostHeader).port(443);
        }
        for (Map.Entry<String, List<String>> q : SigV4Text.queryParameters(r.rawQuery()).entrySet()) {
            b.putRawQueryParameter(q.getKey(), q.getValue());
        }
        for (Map.Entry<String, List<String>> h : r.headers().entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (names.contains(name) && !name.equals("host") && !name.equals("authorization")) {
                b.putHeader(name, h.getValue());
            }
        }
        byte[] body = r.body();
        if (!names.contains("x-amz-content-sha256")) {
            return signWithoutContentHashHeader(b, hostHeader, body, signedAt, region);
        }
        SignedRequest signed = signer.sign(s -> s
                .identity(AwsCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretAccessKey()))
                .request(b.build())
                .payload(body.length == 0 ? null : () -> new java.io.ByteArrayInputStream(body))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)));
        return SigV4Text.signatureOf(signed.request().firstMatchingHeader("Authorization").orElse(""));
    }

    /** The legacy {@code Aws4Signer} signs only the headers present, computing the body's hash itself. */
    @SuppressWarnings("deprecation") // the one SDK signer that does not add x-amz-content-sha256; see the class comment
    private String signWithoutContentHashHeader(SdkHttpRequest.Builder b, String hostHeader, byte[] body,
            Instant signedAt, String region) {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder().protocol(b.protocol()).host(b.host()).port(b.port())
                .method(b.method()).encodedPath(b.encodedPath()).rawQueryParameters(b.rawQueryParameters())
                .headers(b.headers()).putHeader("Host", hostHeader)
                .contentStreamProvider(() -> new java.io.ByteArrayInputStream(body)).build();
        SdkHttpFullRequest signed = Aws4Signer.create().sign(request, Aws4SignerParams.builder()
                .awsCredentials(AwsBasicCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey()))
                .signingName(SERVICE).signingRegion(Region.of(region))
                .signingClockOverride(Clock.fixed(signedAt, ZoneOffset.UTC)).build());
        return SigV4Text.signatureOf(signed.firstMatchingHeader("Authorization").orElse(""));
    }

    /** The decoded query parameters (first value of each), for the operations. */
    static Map<String, String> firstValues(String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        SigV4Text.queryParameters(rawQuery).forEach((k, v) -> out.put(k, v.get(0)));
        return out;
    }

    static String header(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase(name) && !h.getValue().isEmpty()) {
                return h.getValue().get(0);
            }
        }
        return null;
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static ApiError invalidSignature(String message) {
        return new ApiError(403, "InvalidSignatureException", message);
    }
}
