package com.pettysync.simulator.cloud.artifacts;

import com.pettysync.provisioning.ca.IssuedCredential;
import com.pettysync.provisioning.ca.LocalCertificateAuthority;
import com.pettysync.simulator.cloud.control.ControlPlaneCredentials;
import com.pettysync.simulator.cloud.jobs.ArtifactUrls;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.tinylog.Logger;

/**
 * The local cloud's artifact store: the subset of Amazon S3's REST API that OTA needs, over HTTPS on loopback (server
 * certificate from the local CA), so that the AWS SDK's {@code S3Client} (endpoint override, path-style) uploads to
 * it unchanged and a collar downloads from it with an ordinary HTTPS client.
 *
 * <pre>
 * PUT  /{bucket}          CreateBucket      200 | 409 BucketAlreadyOwnedByYou
 * HEAD /{bucket}          HeadBucket        200 | 404
 * PUT  /{bucket}/{key}    PutObject         200 + ETag (quoted MD5 hex); Content-MD5 checked; aws-chunked decoded
 * GET  /{bucket}/{key}    GetObject         200 | 206 with Range: bytes=a-b, a-, -n | 416 InvalidRange
 * HEAD /{bucket}/{key}    HeadObject        200 + Content-Length, ETag, Accept-Ranges | 404
 * anything else           501 NotImplemented
 * </pre>
 *
 * Every request must be signed (SigV4, {@link S3Signature}): in its {@code Authorization} header, or as a
 * query-string presigned URL whose {@code X-Amz-Date + X-Amz-Expires} the store enforces on its clock. Errors are S3's
 * XML {@code <Error>} documents. Storage and its guarantees: {@link ObjectFiles}. The store is also the Jobs
 * service's {@link ArtifactUrls}: the placeholder {@code ${aws:iot:s3-presigned-url:https://HOST:PORT/bucket/key}}
 * (this store's own URL of an existing object) becomes a presigned GET URL. Threads: a pool of 8; close() waits for
 * none. Logs one line per request, never a signature or a query string.
 */
public final class ArtifactStore implements ArtifactUrls, AutoCloseable {
    /** The bucket the local cloud creates for OTA artifacts. */
    public static final String DEFAULT_BUCKET = "pettysync-ota";
    /** The largest object accepted (the whole upload is held in memory while its signature is checked). */
    public static final long MAX_OBJECT_BYTES = 256L * 1024 * 1024;
    private static final int THREADS = 8;
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    private final ObjectFiles files;
    private final S3Signature signature;
    private final LocalCertificateAuthority ca;
    private final String bindAddress;
    /** The port asked for, then (after the first start) the port bound: 0 lets the kernel choose at bind time. */
    private volatile int port;
    private HttpsServer server;
    private ExecutorService executor;

    /**
     * A store over {@code directory}, listening on {@code bindAddress:port} once started ({@code port} 0: a port the
     * kernel chooses when the store binds, so no other socket can take it in between; kept across restarts), accepting
     * {@code credentials} (the local cloud's one key) signed for any region, its TLS certificate issued by {@code ca}.
     */
    public ArtifactStore(Path directory, String bindAddress, int port, LocalCertificateAuthority ca,
            ControlPlaneCredentials credentials, Clock clock, String region) throws IOException {
        this.files = new ObjectFiles(directory);
        this.signature = new S3Signature(credentials, clock, region);
        this.ca = ca;
        this.bindAddress = bindAddress;
        this.port = port;
        files.createBucket(DEFAULT_BUCKET);
    }

    /** Starts listening (idempotent). */
    public synchronized ArtifactStore start() {
        if (server != null) {
            return this;
        }
        try {
            IssuedCredential cert = ca.issueServer(List.of("localhost", "127.0.0.1"));
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(cert.keyManagerFactory().getKeyManagers(), null, null);
            HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getByName(bindAddress), port), 64);
            s.setHttpsConfigurator(new HttpsConfigurator(tls));
            executor = Executors.newFixedThreadPool(THREADS, r -> Thread.ofPlatform().name("artifact-store")
                    .daemon(true).unstarted(r));
            s.setExecutor(executor);
            s.createContext("/", this::serve);
            s.start();
            server = s;
            port = s.getAddress().getPort();
            Logger.info("artifacts: S3-compatible artifact store on {} (SigV4, bucket {})", endpoint(),
                    DEFAULT_BUCKET);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + bindAddress + ":" + port, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS for the artifact store: " + e.getMessage(), e);
        }
    }

    /** {@code https://localhost:PORT}: the S3 endpoint (path-style); known once started. */
    public URI endpoint() {
        if (port == 0) {
            throw new IllegalStateException("the artifact store has not bound its port yet: start it first");
        }
        return URI.create("https://localhost:" + port);
    }

    /** The files behind the store. */
    public ObjectFiles files() {
        return files;
    }

    @Override
    public void check(URI objectUrl) {
        ObjectPath p = objectPath(objectUrl);
        if (!files.exists(p.bucket(), p.key())) {
            throw new IllegalArgumentException("no object " + p.key() + " in bucket " + p.bucket() + " of " + endpoint());
        }
    }

    @Override
    public String presign(URI objectUrl, Duration expiry) {
        objectPath(objectUrl);
        return signature.presignGet(objectUrl, expiry).toString();
    }

    private record ObjectPath(String bucket, String key) {}

    private ObjectPath objectPath(URI url) {
        if (!"https".equals(url.getScheme()) || url.getPort() != port
                || !(url.getHost().equals("localhost") || url.getHost().equals("127.0.0.1"))) {
            throw new IllegalArgumentException(url + " is not an object URL of this store (" + endpoint()
                    + "/BUCKET/KEY)");
        }
        String path = url.getPath() == null ? "" : url.getPath();
        int slash = path.indexOf('/', 1);
        if (slash < 0 || slash == path.length() - 1) {
            throw new IllegalArgumentException(url + " names no object (" + endpoint() + "/BUCKET/KEY)");
        }
        return new ObjectPath(path.substring(1, slash), path.substring(slash + 1));
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    private void serve(HttpExchange exchange) {
        String requestId = UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(Locale.ROOT);
        String method = exchange.getRequestMethod();
        URI uri = exchange.getRequestURI();
        String rawPath = uri.getRawPath() == null ? "/" : uri.getRawPath();
        String operation = method + " " + rawPath;
        try (exchange) {
            exchange.getResponseHeaders().set("x-amz-request-id", requestId);
            try {
                AwsChunked.Decoded decoded = readBody(exchange);
                byte[] body = decoded.body();
                signature.verify(new S3Signature.Received(method, rawPath, uri.getRawQuery(),
                        exchange.getRequestHeaders(), body, decoded.trailers()));
                String path = uri.getPath() == null ? "/" : uri.getPath();
                int slash = path.indexOf('/', 1);
                String bucket = slash < 0 ? path.substring(1) : path.substring(1, slash);
                String key = slash < 0 ? "" : path.substring(slash + 1);
                if (bucket.isEmpty()) {
                    throw new S3Error(501, "NotImplemented", "ListBuckets is not served locally");
                }
                if (key.isEmpty()) {
                    bucketOperation(exchange, method, bucket);
                } else {
                    objectOperation(exchange, method, bucket, key, body);
                }
                Logger.debug("artifacts: {} {}", method, rawPath);
            } catch (S3Error e) {
                Logger.info("artifacts: {} refused with {} {}: {}", operation, e.status(), e.code(), e.getMessage());
                sendError(exchange, e, rawPath, requestId);
            } catch (IOException | RuntimeException e) {
                Logger.error(e, "artifacts: {} failed", operation);
                sendError(exchange, new S3Error(500, "InternalError", "We encountered an internal error: " + e),
                        rawPath, requestId);
            }
        } catch (IOException e) {
            Logger.info("artifacts: {} reply not delivered: {}", operation, e.toString());
        }
    }

    private void bucketOperation(HttpExchange exchange, String method, String bucket) throws IOException {
        switch (method) {
            case "PUT" -> {
                if (!files.createBucket(bucket)) {
                    throw new S3Error(409, "BucketAlreadyOwnedByYou", "Your previous request to create the named "
                            + "bucket succeeded and you already own it.");
                }
                exchange.getResponseHeaders().set("Location", "/" + bucket);
                exchange.sendResponseHeaders(200, -1);
            }
            case "HEAD" -> {
                if (!files.bucketExists(bucket)) {
                    throw new S3Error(404, "NoSuchBucket", "The specified bucket does not exist");
                }
                exchange.sendResponseHeaders(200, -1);
            }
            default -> throw new S3Error(501, "NotImplemented", method + " on a bucket is not served locally");
        }
    }

    private void objectOperation(HttpExchange exchange, String method, String bucket, String key, byte[] body)
            throws IOException {
        if (!files.bucketExists(bucket)) {
            throw new S3Error(404, "NoSuchBucket", "The specified bucket does not exist");
        }
        switch (method) {
            case "PUT" -> {
                String md5 = S3Signature.header(exchange.getRequestHeaders(), "Content-MD5");
                String etag = files.put(bucket, key, body, md5);
                exchange.getResponseHeaders().set("ETag", "\"" + etag + "\"");
                exchange.sendResponseHeaders(200, -1);
            }
            case "GET", "HEAD" -> {
                ObjectFiles.Stored stored = files.stat(bucket, key).orElseThrow(() -> new S3Error(404, "NoSuchKey",
                        "The specified key does not exist."));
                long size = stored.size();
                long from = 0;
                long to = size - 1;
                int status = 200;
                String range = S3Signature.header(exchange.getRequestHeaders(), "Range");
                if (range != null) {
                    Matcher m = RANGE.matcher(range.trim());
                    if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
                        if (m.group(1).isEmpty()) {
                            from = Math.max(0, size - Long.parseLong(m.group(2)));
                        } else {
                            from = Long.parseLong(m.group(1));
                            to = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
                        }
                        if (from >= size || from > to) {
                            exchange.getResponseHeaders().set("Content-Range", "bytes */" + size);
                            throw new S3Error(416, "InvalidRange", "The requested range is not satisfiable");
                        }
                        status = 206;
                        exchange.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + size);
                    }
                }
                long length = to - from + 1;
                var h = exchange.getResponseHeaders();
                h.set("ETag", "\"" + stored.etag() + "\"");
                h.set("Accept-Ranges", "bytes");
                h.set("Content-Type", "application/octet-stream");
                h.set("Last-Modified", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        stored.lastModified().atZone(java.time.ZoneOffset.UTC)));
                if (method.equals("HEAD")) {
                    h.set("Content-Length", Long.toString(length));
                    exchange.sendResponseHeaders(status, -1);
                    return;
                }
                exchange.sendResponseHeaders(status, length);
                try (InputStream in = files.open(bucket, key, from); OutputStream os = exchange.getResponseBody()) {
                    byte[] buf = new byte[64 * 1024];
                    long left = length;
                    while (left > 0) {
                        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                        if (n < 0) {
                            break;
                        }
                        os.write(buf, 0, n);
                        left -= n;
                    }
                }
            }
            default -> throw new S3Error(501, "NotImplemented", method + " on an object is not served locally");
        }
    }

    private static AwsChunked.Decoded readBody(HttpExchange exchange) throws IOException {
        var headers = exchange.getRequestHeaders();
        String contentHash = S3Signature.header(headers, "x-amz-content-sha256");
        InputStream in = exchange.getRequestBody();
        if (contentHash != null && contentHash.startsWith("STREAMING-")) {
            if (!contentHash.equals(S3Signature.STREAMING_UNSIGNED_TRAILER)) {
                throw new S3Error(501, "NotImplemented", "x-amz-content-sha256 " + contentHash + " is not served "
                        + "locally (use HTTPS: the SDK then sends " + S3Signature.STREAMING_UNSIGNED_TRAILER + ")");
            }
            String decoded = S3Signature.header(headers, "x-amz-decoded-content-length");
            long length = -1;
            try {
                length = decoded == null ? -1 : Long.parseLong(decoded);
            } catch (NumberFormatException e) {
                throw new S3Error(400, "InvalidArgument", "x-amz-decoded-content-length must be a number");
            }
            if (length > MAX_OBJECT_BYTES) {
                throw new S3Error(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size");
            }
            return AwsChunked.decode(in, S3Signature.header(headers, "x-amz-trailer"), length, MAX_OBJECT_BYTES);
        }
        byte[] body = in.readNBytes((int) MAX_OBJECT_BYTES + 1);
        if (body.length > MAX_OBJECT_BYTES) {
            throw new S3Error(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size");
        }
        return new AwsChunked.Decoded(body, java.util.Map.of());
    }

    private static void sendError(HttpExchange exchange, S3Error e, String resource, String requestId)
            throws IOException {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + e.code() + "</Code><Message>"
                + escape(e.getMessage()) + "</Message><Resource>" + escape(resource) + "</Resource><RequestId>"
                + requestId + "</RequestId></Error>";
        byte[] out = xml.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/xml");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(e.status(), -1);
            return;
        }
        exchange.sendResponseHeaders(e.status(), out.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(out);
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
