package com.pettysync.simulator.bench;

import com.pettysync.provisioning.ca.IssuedCredential;
import com.pettysync.provisioning.ca.LocalCertificateAuthority;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Mosquitto as a child process, a bare broker to measure ours against: TLS on 127.0.0.1 and an ephemeral
 * port, a server certificate from {@code ca}, and {@code require_certificate true} with the same CA, so the bench's
 * collars connect with the same per-collar certificates as to the local IoT Core. No persistence, no ACL, no
 * subscribers: a QoS 1 PUBLISH is answered as soon as Mosquitto has read it. {@link #close()} stops the process.
 */
final class MosquittoBroker implements AutoCloseable {
    /** Where Debian's package installs it. */
    static final List<Path> EXECUTABLES = List.of(Path.of("/usr/sbin/mosquitto"), Path.of("/usr/bin/mosquitto"));

    private final Process process;
    private final int port;
    private final Path log;

    private MosquittoBroker(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The installed executable, if any. */
    static Optional<Path> executable() {
        return EXECUTABLES.stream().filter(Files::isExecutable).findFirst();
    }

    /** Starts Mosquitto in {@code dir}; returns once it accepts TCP connections. */
    static MosquittoBroker start(Path executable, Path dir, LocalCertificateAuthority ca) throws IOException,
            InterruptedException {
        IssuedCredential server = ca.issueServer(List.of("localhost", "127.0.0.1"));
        server.writeTo(dir);
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) { // the free port may be taken between probe and bind
            int port = freePort();
            Path conf = dir.resolve("mosquitto.conf");
            Files.writeString(conf, String.join("\n",
                    "per_listener_settings false",
                    "persistence false",
                    "user " + System.getProperty("user.name"),
                    "log_dest stderr",
                    "log_type error",
                    "log_type warning",
                    "listener " + port + " 127.0.0.1",
                    "cafile " + dir.resolve(IssuedCredential.CA_FILE),
                    "certfile " + dir.resolve(IssuedCredential.CERTIFICATE_FILE),
                    "keyfile " + dir.resolve(IssuedCredential.PRIVATE_KEY_FILE),
                    "require_certificate true",
                    "use_identity_as_username true",
                    "allow_anonymous false",
                    ""), StandardCharsets.UTF_8);
            Path log = dir.resolve("mosquitto-" + attempt + ".log");
            Process p = new ProcessBuilder(executable.toString(), "-c", conf.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (p.isAlive() && System.nanoTime() < deadline) {
                if (accepts(port)) {
                    return new MosquittoBroker(p, port, log);
                }
                Thread.sleep(50); // polling a child's socket: no event to wait on
            }
            p.destroyForcibly().waitFor();
            last = new IOException("mosquitto did not listen on " + port + ": " + Files.readString(log).trim());
        }
        throw last;
    }

    String host() {
        return "127.0.0.1";
    }

    int port() {
        return port;
    }

    /** The process's CPU time so far (user + system, from /proc), in milliseconds; -1 when unreadable. */
    long cpuMillis() {
        return ProcessCpu.millis(process.pid());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    @Override
    public String toString() {
        return "mosquitto pid " + process.pid() + " on 127.0.0.1:" + port + " (log " + log + ")";
    }
}
