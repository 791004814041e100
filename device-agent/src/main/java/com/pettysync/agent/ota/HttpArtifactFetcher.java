package com.pettysync.agent.ota;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * {@link ArtifactFetcher} on the JDK's {@link HttpClient}: HTTPS only (the job document's URL is checked to be
 * https by the contract), HTTP/1.1, redirects never followed (a presigned URL points at the object itself), a
 * connect and response-header timeout. The URL is never logged (a presigned URL is a credential).
 *
 * <p>A body that delivers no byte for the stall timeout is closed (its read then fails like a dropped connection,
 * and the download resumes on a new one): the JDK client has no read timeout of its own.
 *
 * <p>Answers: 200 → the whole body (the server ignored {@code Range}: the caller starts over); 206 → the body from
 * the {@code Content-Range} start; 416 → an empty body at the requested offset (nothing left to send); 401, 403,
 * 410 → {@link UrlExpiredException}; anything else → {@link IOException} with the status.
 */
public final class HttpArtifactFetcher implements ArtifactFetcher {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    private static final java.util.concurrent.ScheduledExecutorService WATCH =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                    .name("download-stall-watch").unstarted(r));

    private final HttpClient client;
    private final Duration timeout;
    private final Duration stall;

    /**
     * @param tls the TLS context whose trust store the artifact server's certificate must chain to
     * @param timeout connect and response-header timeout, and the longest a body may deliver nothing
     */
    public HttpArtifactFetcher(SSLContext tls, Duration timeout) {
        this(tls, timeout, timeout);
    }

    /** As above, with a separate stall timeout for bodies. */
    public HttpArtifactFetcher(SSLContext tls, Duration timeout, Duration stall) {
        this.client = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
        this.timeout = timeout;
        this.stall = stall;
    }

    @Override
    public Body open(URI url, long offset) throws IOException, UrlExpiredException {
        if (!"https".equalsIgnoreCase(url.getScheme())) {
            throw new IOException("artifact URL must use https");
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(url).timeout(timeout).GET();
        if (offset > 0) {
            req.header("Range", "bytes=" + offset + "-");
        }
        HttpResponse<InputStream> res;
        try {
            res = client.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("download interrupted");
        }
        int status = res.statusCode();
        switch (status) {
            case 200 -> {
                long len = res.headers().firstValueAsLong("Content-Length").orElse(-1);
                return new Body(0, len, new StallGuard(res.body(), stall));
            }
            case 206 -> {
                Optional<String> cr = res.headers().firstValue("Content-Range");
                Matcher m = cr.map(CONTENT_RANGE::matcher).filter(Matcher::matches).orElse(null);
                if (m == null) {
                    res.body().close();
                    throw new IOException("206 without a valid Content-Range");
                }
                long start = Long.parseLong(m.group(1));
                long total = "*".equals(m.group(3)) ? -1 : Long.parseLong(m.group(3));
                return new Body(start, total, new StallGuard(res.body(), stall));
            }
            case 416 -> {
                res.body().close();
                return new Body(offset, -1, InputStream.nullInputStream());
            }
            case 401, 403, 410 -> {
                res.body().close();
                throw new UrlExpiredException("artifact server refused the URL (HTTP " + status + ")");
            }
            default -> {
                res.body().close();
                throw new IOException("artifact server answered HTTP " + status);
            }
        }
    }

    /** Closes the stream when no byte arrived for the stall timeout (checked a few times per timeout). */
    private static final class StallGuard extends java.io.FilterInputStream {
        private volatile long lastByte = System.nanoTime();
        private volatile boolean stalled;
        private final java.util.concurrent.ScheduledFuture<?> check;

        StallGuard(InputStream in, Duration stall) {
            super(in);
            long limit = stall.toNanos();
            long every = Math.max(1, stall.toMillis() / 4);
            this.check = WATCH.scheduleWithFixedDelay(() -> {
                if (System.nanoTime() - lastByte > limit) {
                    stalled = true;
                    try {
                        in.close();
                    } catch (IOException e) {
                        // closing is all we can do
                    }
                }
            }, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = super.read(b, off, len);
            } catch (IOException e) {
                throw stalled ? new IOException("no byte for the stall timeout; connection closed", e) : e;
            }
            if (stalled) {
                throw new IOException("no byte for the stall timeout; connection closed");
            }
            lastByte = System.nanoTime();
            return n;
        }

        @Override
        public void close() throws IOException {
            check.cancel(false);
            super.close();
        }
    }
}
