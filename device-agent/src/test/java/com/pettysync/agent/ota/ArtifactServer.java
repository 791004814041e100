package com.pettysync.agent.ota;

import com.pettysync.agent.testing.TestPki;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * A real HTTPS artifact server on loopback (port 0, the TestPki's localhost certificate), HTTP/1.1 with
 * {@code Range}, and the faults of a collar's link: drop the connection every N bytes, answer 403 for expired
 * paths, pace the body. Logs every request's start offset.
 */
final class ArtifactServer implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");
    final Map<String, byte[]> files = new ConcurrentHashMap<>();
    final List<Long> rangeStarts = new CopyOnWriteArrayList<>();
    final java.util.Set<String> expired = ConcurrentHashMap.newKeySet();
    volatile long dropEvery = Long.MAX_VALUE;
    /** The next connection sends this many bytes, then nothing (without closing); once. */
    volatile long stallOnceAfter = Long.MAX_VALUE;
    volatile long bytesPerSecond = Long.MAX_VALUE;
    volatile long bytesSent;
    private final SSLServerSocket server;
    private final Thread thread;

    ArtifactServer(TestPki pki) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(pki.serverKeystore)) {
            ks.load(in, TestPki.STORE_PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, TestPki.STORE_PASSWORD.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress());
        thread = Thread.ofPlatform().daemon().name("artifact-server").start(this::accept);
    }

    URI url(String path) {
        return URI.create("https://localhost:" + server.getLocalPort() + "/" + path + "?X-Amz-Signature=secret");
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            String request = r.readLine();
            if (request == null) {
                return;
            }
            long from = 0;
            boolean ranged = false;
            String line;
            while ((line = r.readLine()) != null && !line.isEmpty()) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("range:")) {
                    Matcher m = RANGE.matcher(line.substring(6).trim());
                    if (m.matches()) {
                        from = Long.parseLong(m.group(1));
                        ranged = true;
                    }
                }
            }
            String path = URI.create(request.split(" ")[1]).getPath().substring(1);
            OutputStream out = s.getOutputStream();
            if (expired.contains(path)) {
                out.write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                return;
            }
            byte[] body = files.get(path);
            if (body == null) {
                out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                return;
            }
            rangeStarts.add(from);
            String head = ranged
                    ? "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes " + from + "-" + (body.length - 1) + "/"
                            + body.length + "\r\nContent-Length: " + (body.length - from) + "\r\n"
                    : "HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n";
            out.write((head + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            long sent = 0;
            long start = System.nanoTime();
            long stallAt = stallOnceAfter;
            stallOnceAfter = Long.MAX_VALUE;
            int at = (int) from;
            while (at < body.length) {
                if (sent >= stallAt) {
                    Thread.sleep(60_000); // a stalled link: the connection stays open, nothing comes
                    break;
                }
                int n = (int) Math.min(8192, Math.min(Math.min(body.length - at, dropEvery - sent), stallAt - sent));
                if (n <= 0) {
                    s.setSoLinger(true, 0); // drop: reset the connection mid-body
                    break;
                }
                out.write(body, at, n);
                out.flush();
                at += n;
                sent += n;
                bytesSent += n;
                if (bytesPerSecond != Long.MAX_VALUE) {
                    long due = start + sent * 1_000_000_000L / bytesPerSecond;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            }
        } catch (IOException | InterruptedException e) {
            // client went away
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
