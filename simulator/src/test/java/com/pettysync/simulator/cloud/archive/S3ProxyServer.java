package com.pettysync.simulator.cloud.archive;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server for tests: S3Proxy (Maven Central {@code org.gaul:s3proxy}, its self-contained jar,
 * which the simulator's build copies to {@code target/s3proxy/s3proxy.jar}) with its in-memory blob store, in a JVM
 * of its own on a free loopback port, AWS Signature V4 required. Stopped by {@link #close()}.
 */
final class S3ProxyServer implements AutoCloseable {
    static final String IDENTITY = "pettysync-test";
    static final String CREDENTIAL = "pettysync-test-secret";
    private static final Pattern STARTED = Pattern.compile("Started ServerConnector@\\S+\\{HTTP/1\\.1.*\\}\\{([0-9.]+):(\\d+)\\}");
    private final Process process;
    private final URI endpoint;

    private S3ProxyServer(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    static S3ProxyServer start(Path dir) throws Exception {
        Path jar = Path.of("target/s3proxy/s3proxy.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the tests through Maven (the build copies "
                    + "org.gaul:s3proxy's jar there at generate-test-resources)");
        }
        Path props = dir.resolve("s3proxy.properties");
        Files.writeString(props, String.join("\n",
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + IDENTITY,
                "s3proxy.credential=" + CREDENTIAL,
                "s3proxy.endpoint=http://127.0.0.1:0",
                "jclouds.provider=transient",
                "jclouds.identity=" + IDENTITY,
                "jclouds.credential=" + CREDENTIAL, ""));
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toString(), "--properties", props.toString())
                .redirectErrorStream(true).start();
        Deque<String> tail = new ArrayDeque<>();
        CompletableFuture<URI> started = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > 20) {
                            tail.removeFirst();
                        }
                    }
                    if (line.contains("Unknown header")) {
                        System.err.println("s3proxy: " + line);
                    }
                    Matcher m = STARTED.matcher(line);
                    if (m.find()) {
                        started.complete(URI.create("http://" + m.group(1) + ":" + m.group(2)));
                    }
                }
            } catch (IOException e) {
                started.completeExceptionally(e);
            }
            started.completeExceptionally(new IllegalStateException("S3Proxy exited before it listened"));
        }, "s3proxy-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new S3ProxyServer(p, started.get(90, TimeUnit.SECONDS));
        } catch (Exception e) {
            p.destroyForcibly();
            synchronized (tail) {
                throw new IllegalStateException("S3Proxy did not start: " + e + "; its last lines: " + tail, e);
            }
        }
    }

    URI endpoint() {
        return endpoint;
    }

    /** An SDK client for this server (the archive's own client factory, with the server's key). */
    S3Client client() {
        return S3ArchiveStore.client("us-east-1", endpoint,
                StaticCredentialsProvider.create(AwsBasicCredentials.create(IDENTITY, CREDENTIAL)));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
