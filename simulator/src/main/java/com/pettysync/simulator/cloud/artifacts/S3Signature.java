package com.pettysync.simulator.cloud.artifacts;

import com.pettysync.simulator.cloud.control.ControlPlaneCredentials;
import com.pettysync.simulator.cloud.control.SigV4Text;
import java.io.ByteArrayInputStream;
import java.net.URI;
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
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * AWS Signature Version 4 as Amazon S3 uses it, made and checked with the AWS SDK's own signer
 * ({@link AwsV4HttpSigner}, signing name {@code s3}, no double URL-encoding, no path normalization — S3's rules): a
 * request signed in its {@code Authorization} header, a query-string presigned URL ({@code X-Amz-Algorithm},
 * {@code X-Amz-Credential}, {@code X-Amz-Date}, {@code X-Amz-Expires}, {@code X-Amz-SignedHeaders},
 * {@code X-Amz-Signature}), and presigning a GET for the Jobs service's {@code s3-presigned-url} placeholder.
 * Verification signs the received request again at its own date, in its own credential scope, and compares the
 * signatures in constant time; no HMAC chain is written here.
 *
 * <p>Payload hashes, from the signed {@code x-amz-content-sha256}: {@code UNSIGNED-PAYLOAD}, the hex SHA-256 of the
 * body (checked against the body), or {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER} (aws-chunked with a trailing
 * checksum, what the SDK sends by default over HTTPS; the trailer is checked by {@link AwsChunked}). Signed-chunk
 * streaming ({@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD}, HTTP only) is refused as not implemented.
 *
 * <p>Refusals ({@link S3Error}, as S3 answers them): no signature → AccessDenied; another access key →
 * InvalidAccessKeyId; a mismatch → SignatureDoesNotMatch; a header-signed request more than
 * {@value #SKEW_MINUTES} minutes from the clock → RequestTimeTooSkewed; a presigned URL past
 * {@code X-Amz-Date + X-Amz-Expires} → AccessDenied "Request has expired"; {@code X-Amz-Expires} outside 1 s … 7 days →
 * AuthorizationQueryParametersError. Thread-safe.
 */
public final class S3Signature {
    static final String SERVICE = "s3";
    static final long SKEW_MINUTES = 15;
    static final String UNSIGNED = "UNSIGNED-PAYLOAD";
    static final String STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /**
     * A request as received: method, raw path and query, headers (any case), body and trailers (decoded from
     * aws-chunked; no trailers otherwise).
     */
    record Received(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body,
            Map<String, String> trailers) {}

    private final ControlPlaneCredentials credentials;
    private final Clock clock;
    private final String region;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    /** Signs and checks with {@code credentials} (the local cloud's one key) in {@code region}, on {@code clock}. */
    public S3Signature(ControlPlaneCredentials credentials, Clock clock, String region) {
        this.credentials = credentials;
        this.clock = clock;
        this.region = region;
    }

    /** A presigned GET URL for {@code objectUrl} ({@code https://host:port/bucket/key}), valid for {@code expiry}. */
    public URI presignGet(URI objectUrl, Duration expiry) {
        SdkHttpRequest request = SdkHttpRequest.builder().uri(objectUrl).method(SdkHttpMethod.GET).build();
        SignedRequest signed = signer.sign(s -> common(s, request, region, clock.instant())
                .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, expiry)
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false));
        return signed.request().getUri();
    }

    /** Returns quietly when {@code r} is signed with the configured key and in time; throws the S3 refusal otherwise. */
    void verify(Received r) {
        Map<String, List<String>> query = SigV4Text.queryParameters(r.rawQuery());
        if (query.containsKey("X-Amz-Signature") || query.containsKey("X-Amz-Algorithm")) {
            verifyPresigned(r, query);
            return;
        }
        String authorization = header(r.headers(), "Authorization");
        if (authorization == null) {
            throw new S3Error(403, "AccessDenied", "Anonymous access is not allowed: sign the request (SigV4)");
        }
        if (!authorization.startsWith(ALGORITHM + " ")) {
            throw new S3Error(400, "InvalidArgument", "Only " + ALGORITHM + " is supported");
        }
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : authorization.substring(ALGORITHM.length() + 1).split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        String[] scope = scope(parts.get("Credential"));
        String signedHeaders = parts.get("SignedHeaders");
        String signature = parts.get("Signature");
        if (signedHeaders == null || signature == null) {
            throw new S3Error(400, "AuthorizationHeaderMalformed", "the Authorization header needs Credential, "
                    + "SignedHeaders and Signature");
        }
        Instant signedAt = date(header(r.headers(), "X-Amz-Date"));
        Instant now = clock.instant();
        if (Duration.between(signedAt, now).abs().toMinutes() >= SKEW_MINUTES) {
            throw new S3Error(403, "RequestTimeTooSkewed", "The difference between the request time ("
                    + AMZ_DATE.format(signedAt) + ") and the current time (" + AMZ_DATE.format(now)
                    + ") is too large.");
        }
        String contentHash = header(r.headers(), "x-amz-content-sha256");
        if (contentHash == null) {
            throw new S3Error(400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256");
        }
        SdkHttpRequest request = canonical(r, signedHeaders, Set.of()).build();
        String expected;
        if (contentHash.equals(UNSIGNED)) {
            expected = signatureOf(signer.sign(s -> common(s, request, scope[2], signedAt)
                    .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)));
        } else if (contentHash.equals(STREAMING_UNSIGNED_TRAILER)) {
            // the signer's chunked mode, given the trailer's checksum as a header as the SDK's client flow does
            // (the signer moves it into the trailer): the same canonical request as the client's
            String trailer = String.valueOf(header(r.headers(), "x-amz-trailer")).trim().toLowerCase(Locale.ROOT);
            SdkHttpRequest.Builder b = request.toBuilder();
            if (r.trailers().containsKey(trailer)) {
                b.putHeader(trailer, r.trailers().get(trailer));
            }
            // … and without the aws-chunked content coding, which the signer adds again
            List<String> codings = request.firstMatchingHeader("Content-Encoding").stream()
                    .flatMap(v -> java.util.Arrays.stream(v.split(","))).map(String::trim)
                    .filter(c -> !c.isEmpty() && !c.equalsIgnoreCase("aws-chunked")).toList();
            b.removeHeader("Content-Encoding");
            if (!codings.isEmpty()) {
                b.putHeader("Content-Encoding", String.join(",", codings));
            }
            SdkHttpRequest withChecksum = b.build();
            expected = signatureOf(signer.sign(s -> common(s, withChecksum, scope[2], signedAt)
                    .payload(() -> new ByteArrayInputStream(r.body()))
                    .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                    .putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, true)));
        } else if (contentHash.matches("[0-9a-f]{64}")) {
            if (!contentHash.equals(sha256Hex(r.body()))) {
                throw new S3Error(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does "
                        + "not match what was computed.");
            }
            expected = signatureOf(signer.sign(s -> common(s, request, scope[2], signedAt)
                    .payload(() -> new ByteArrayInputStream(r.body()))));
        } else {
            throw new S3Error(501, "NotImplemented", "x-amz-content-sha256 " + contentHash + " is not served locally "
                    + "(use HTTPS: UNSIGNED-PAYLOAD or " + STREAMING_UNSIGNED_TRAILER + ")");
        }
        if (!constantTimeEquals(expected, signature)) {
            throw signatureMismatch();
        }
    }

    private void verifyPresigned(Received r, Map<String, List<String>> query) {
        String algorithm = first(query, "X-Amz-Algorithm");
        if (!ALGORITHM.equals(algorithm)) {
            throw new S3Error(400, "AuthorizationQueryParametersError", "X-Amz-Algorithm must be " + ALGORITHM);
        }
        String[] scope = scope(first(query, "X-Amz-Credential"));
        Instant signedAt = date(first(query, "X-Amz-Date"));
        long expires;
        try {
            expires = Long.parseLong(String.valueOf(first(query, "X-Amz-Expires")));
        } catch (NumberFormatException e) {
            throw new S3Error(400, "AuthorizationQueryParametersError", "X-Amz-Expires must be a number of seconds");
        }
        if (expires < 1 || expires > Duration.ofDays(7).toSeconds()) {
            throw new S3Error(400, "AuthorizationQueryParametersError", "X-Amz-Expires must be less than a week (in "
                    + "seconds) that is, the given X-Amz-Expires must be less than 604800 seconds");
        }
        String signedHeaders = first(query, "X-Amz-SignedHeaders");
        String signature = first(query, "X-Amz-Signature");
        if (signedHeaders == null || signature == null) {
            throw new S3Error(400, "AuthorizationQueryParametersError", "X-Amz-SignedHeaders and X-Amz-Signature "
                    + "are required");
        }
        Instant now = clock.instant();
        if (now.isAfter(signedAt.plusSeconds(expires))) {
            throw new S3Error(403, "AccessDenied", "Request has expired");
        }
        if (signedAt.isAfter(now.plus(Duration.ofMinutes(SKEW_MINUTES)))) {
            throw new S3Error(403, "AccessDenied", "Request is not yet valid");
        }
        SdkHttpRequest request = canonical(r, signedHeaders, Set.of("X-Amz-Algorithm", "X-Amz-Credential",
                "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token"))
                .build();
        SignedRequest signed = signer.sign(s -> common(s, request, scope[2], signedAt)
                .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, Duration.ofSeconds(expires))
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false));
        String expected = signed.request().firstMatchingRawQueryParameter("X-Amz-Signature").orElse("");
        if (!constantTimeEquals(expected, signature)) {
            throw signatureMismatch();
        }
    }

    private SignRequest.Builder<AwsCredentialsIdentity> common(SignRequest.Builder<AwsCredentialsIdentity> s,
            SdkHttpRequest request, String signingRegion, Instant at) {
        return s.identity(AwsCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretAccessKey()))
                .request(request)
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, signingRegion)
                .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC));
    }

    /** The request as the client signed it: method, host, raw path, the query (less {@code drop}), signed headers. */
    private static SdkHttpRequest.Builder canonical(Received r, String signedHeaders, Set<String> drop) {
        Set<String> names = new TreeSet<>(List.of(signedHeaders.toLowerCase(Locale.ROOT).split(";")));
        String host = header(r.headers(), "Host");
        if (host == null || !names.contains("host")) {
            throw new S3Error(400, "AuthorizationHeaderMalformed", "the Host header must be signed");
        }
        SdkHttpRequest.Builder b = SdkHttpRequest.builder().protocol("https")
                .method(SdkHttpMethod.fromValue(r.method())).encodedPath(r.rawPath().isEmpty() ? "/" : r.rawPath());
        int colon = host.lastIndexOf(':');
        if (colon > 0 && !host.endsWith("]")) {
            b.host(host.substring(0, colon)).port(Integer.parseInt(host.substring(colon + 1)));
        } else {
            b.host(host).port(443);
        }
        SigV4Text.queryParameters(r.rawQuery()).forEach((k, v) -> {
            if (!drop.contains(k)) {
                b.putRawQueryParameter(k, v);
            }
        });
        for (Map.Entry<String, List<String>> h : r.headers().entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (names.contains(name) && !name.equals("host") && !name.equals("authorization")) {
                b.putHeader(name, h.getValue());
            }
        }
        return b;
    }

    private String[] scope(String credential) {
        String[] scope = credential == null ? new String[0] : credential.split("/");
        if (scope.length != 5 || !scope[4].equals("aws4_request")) {
            throw new S3Error(400, "AuthorizationHeaderMalformed", "the credential must be "
                    + "KEY/yyyyMMdd/REGION/s3/aws4_request");
        }
        if (!constantTimeEquals(scope[0], credentials.accessKeyId())) {
            throw new S3Error(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our "
                    + "records.");
        }
        if (!scope[3].equals(SERVICE)) {
            throw new S3Error(400, "AuthorizationHeaderMalformed", "the credential scope's service must be s3");
        }
        return scope;
    }

    private static Instant date(String amzDate) {
        try {
            return Instant.from(AMZ_DATE.parse(amzDate == null ? "" : amzDate));
        } catch (DateTimeParseException e) {
            throw new S3Error(403, "AccessDenied", "X-Amz-Date must be yyyyMMdd'T'HHmmss'Z'");
        }
    }

    private static String signatureOf(SignedRequest signed) {
        return SigV4Text.signatureOf(signed.request().firstMatchingHeader("Authorization").orElse(""));
    }

    private static S3Error signatureMismatch() {
        return new S3Error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the "
                + "signature you provided. Check your key and signing method.");
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    static String header(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase(name) && !h.getValue().isEmpty()) {
                return h.getValue().get(0);
            }
        }
        return null;
    }

    static String sha256Hex(byte[] body) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
