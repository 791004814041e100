package com.pettysync.simulator.cloud.control;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.provisioning.ca.IssuedCredential;
import com.pettysync.provisioning.ca.LocalCertificateAuthority;
import com.pettysync.simulator.cloud.TokenBucket;
import com.pettysync.simulator.cloud.jobs.JobConfig;
import com.pettysync.simulator.cloud.jobs.JobService;
import com.pettysync.simulator.cloud.registry.Registry;
import com.pettysync.simulator.cloud.registry.RegistryException;
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
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.tinylog.Logger;

/**
 * The local AWS IoT control plane: an HTTPS endpoint ({@code https://localhost:PORT}, server certificate from the
 * local CA) that serves AWS IoT's REST API over the {@link Registry} and the {@link JobService}, so that the AWS
 * SDK's {@code IotClient}, the AWS CLI and boto3, given the endpoint, the local credentials and the CA bundle, work
 * unchanged.
 *
 * <p>Per request, in order: the body is read (at most 1 MiB, else 413 InvalidRequestException); the AWS Signature
 * V4 is verified ({@link SignatureVerifier}: 403 on any mismatch, nothing else runs); the method and path are routed
 * ({@link Router}; unknown → 404 UnknownOperationException); the per-API token bucket, when a rate is configured,
 * refuses with ThrottlingException (HTTP 400, as the IoT service model says — the SDK's retry policy retries it);
 * the operation runs. Refusals carry AWS's error type in the {@code x-amzn-ErrorType} header and {@code __type} +
 * {@code message} in the JSON body ({@link ApiError}). Guarantees: a refused request changed nothing; an operation
 * that returned 200 committed its registry change. Threads: a pool of 4; stop() waits for none.
 */
public final class ControlPlaneServer implements AutoCloseable {
    private static final int MAX_BODY_BYTES = 1024 * 1024;
    private static final int THREADS = 4;

    /**
     * What the server is configured with.
     *
     * @param bindAddress       loopback address to listen on
     * @param port              the HTTPS port; 0 = a port the kernel chooses when the server binds (kept across
     *                          restarts, read back with {@link #endpoint()})
     * @param credentials       the one accepted access key
     * @param clock             the clock requests' signing dates are checked against, and the rate limit's
     * @param requestsPerSecond per-API rate (token bucket, burst of the same size); 0 = unlimited
     */
    public record Options(String bindAddress, int port, ControlPlaneCredentials credentials, Clock clock,
            int requestsPerSecond) {
        public Options {
            Objects.requireNonNull(bindAddress, "bindAddress");
            Objects.requireNonNull(credentials, "credentials");
            Objects.requireNonNull(clock, "clock");
            if (requestsPerSecond < 0) {
                throw new IllegalArgumentException("requestsPerSecond must be 0 (unlimited) or more, got "
                        + requestsPerSecond);
            }
        }
    }

    /** How a job created or canceled over the API reaches the devices: the job service's call plus its notifications. */
    public interface JobDispatch {
        /** @throws IllegalArgumentException for a job the job service refuses (answered InvalidRequestException) */
        void createJob(String jobId, List<String> things, String documentJson, JobConfig config);

        /** @throws IllegalStateException for a job that cannot be canceled (answered InvalidStateTransitionException) */
        void cancelJob(String jobId, boolean force, String reasonCode, String comment);
    }

    private final Options options;
    private final LocalCertificateAuthority ca;
    private final SignatureVerifier verifier;
    private final Router router = new Router();
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private volatile java.util.function.Consumer<String> afterOperation = op -> { };
    /** {@code options.port()}, then (after the first start) the port bound. */
    private volatile int port;
    private HttpsServer server;
    private ExecutorService executor;

    /**
     * A server over {@code registry} and {@code jobs}; {@code dispatch} publishes created jobs to the devices and
     * {@code dataEndpoint} is what DescribeEndpoint answers ({@code localhost:MQTT_PORT}).
     */
    public ControlPlaneServer(Options options, Registry registry, LocalCertificateAuthority ca, JobService jobs,
            JobDispatch dispatch, Supplier<String> dataEndpoint) {
        this.options = options;
        this.port = options.port();
        this.ca = ca;
        this.verifier = new SignatureVerifier(options.credentials(), options.clock());
        new ThingOperations(registry).register(router);
        new CertificateOperations(registry, ca).register(router);
        new PolicyOperations(registry).register(router);
        new JobOperations(registry, jobs, dispatch, options.clock()).register(router);
        new ProvisioningOperations(registry, dataEndpoint).register(router);
    }

    /**
     * Calls {@code observer} with the operation's name after each operation succeeded and before its answer is
     * sent (a fault-injection point for tests: e.g. kill the client while the answer is in flight).
     */
    public void observeOperations(java.util.function.Consumer<String> observer) {
        this.afterOperation = java.util.Objects.requireNonNull(observer);
    }

    /** Starts listening (idempotent). */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            IssuedCredential cert = ca.issueServer(List.of("localhost", "127.0.0.1"));
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(cert.keyManagerFactory().getKeyManagers(), null, null);
            HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getByName(options.bindAddress()),
                    port), 64);
            s.setHttpsConfigurator(new HttpsConfigurator(tls));
            executor = Executors.newFixedThreadPool(THREADS, r -> Thread.ofPlatform().name("control-plane")
                    .daemon(true).unstarted(r));
            s.setExecutor(executor);
            s.createContext("/", this::serve);
            s.start();
            server = s;
            port = s.getAddress().getPort();
            Logger.info("control: AWS IoT control plane on {} (SigV4, access key {})", endpoint(),
                    options.credentials().accessKeyId());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + options.bindAddress() + ":" + port, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS for the control plane: " + e.getMessage(), e);
        }
    }

    /** {@code https://localhost:PORT}; known once started. */
    public URI endpoint() {
        if (port == 0) {
            throw new IllegalStateException("the control plane has not bound its port yet: start it first");
        }
        return URI.create("https://localhost:" + port);
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
        long t0 = System.nanoTime();
        String requestId = UUID.randomUUID().toString();
        String operation = "?";
        try (exchange) {
            int status = 200;
            JsonNode reply;
            try {
                byte[] body = readBody(exchange.getRequestBody());
                URI uri = exchange.getRequestURI();
                String rawPath = uri.getRawPath() == null ? "/" : uri.getRawPath();
                verifier.verify(new SignatureVerifier.Received(exchange.getRequestMethod(), rawPath,
                        uri.getRawQuery(), exchange.getRequestHeaders(), body));
                Router.Match match = router.match(exchange.getRequestMethod(), rawPath).orElseThrow(() ->
                        new ApiError(router.knowsPath(rawPath) ? 405 : 404, "UnknownOperationException",
                                "no AWS IoT operation is " + exchange.getRequestMethod() + " " + rawPath
                                        + " here"));
                operation = match.route().operation();
                throttle(operation);
                reply = match.route().handler().handle(new ApiRequest(operation, match.pathParameters(),
                        SignatureVerifier.firstValues(uri.getRawQuery()), exchange.getRequestHeaders(),
                        parse(body)));
                if (reply == null) {
                    reply = ApiJson.object();
                }
                afterOperation.accept(operation);
            } catch (ApiError | RegistryException e) {
                ApiError error = e instanceof ApiError a ? a : ApiError.of((RegistryException) e);
                status = error.status();
                reply = errorBody(error);
                exchange.getResponseHeaders().set("x-amzn-ErrorType", error.type());
                Logger.info("control: {} refused with {} {}: {}", operation, status, error.type(), error.getMessage());
            } catch (RuntimeException e) {
                ApiError error = ApiError.internalFailure("internal failure: " + e);
                status = error.status();
                reply = errorBody(error);
                exchange.getResponseHeaders().set("x-amzn-ErrorType", error.type());
                Logger.error(e, "control: {} failed", operation);
            }
            byte[] out = ApiJson.MAPPER.writeValueAsBytes(reply);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
            exchange.sendResponseHeaders(status, out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
            Logger.debug("control: {} {} in {} ms", operation, status, (System.nanoTime() - t0) / 1_000_000);
        } catch (IOException e) {
            Logger.info("control: {} reply not delivered: {}", operation, e.toString());
        }
    }

    private void throttle(String operation) {
        int rate = options.requestsPerSecond();
        if (rate > 0 && !buckets.computeIfAbsent(operation, k -> new TokenBucket(options.clock(), rate))
                .tryAcquire()) {
            throw ApiError.throttling(operation);
        }
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            throw new ApiError(413, "InvalidRequestException", "request body over " + MAX_BODY_BYTES + " bytes");
        }
        return body;
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return ApiJson.object();
        }
        try {
            JsonNode n = ApiJson.MAPPER.readTree(new String(body, StandardCharsets.UTF_8));
            if (n == null || !n.isObject()) {
                throw ApiError.invalidRequest("the request body must be a JSON object");
            }
            return n;
        } catch (JacksonException e) {
            throw ApiError.invalidRequest("the request body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static ObjectNode errorBody(ApiError error) {
        ObjectNode o = ApiJson.object().put("__type", error.type()).put("message", error.getMessage());
        error.members().forEach(o::put);
        return o;
    }
}
