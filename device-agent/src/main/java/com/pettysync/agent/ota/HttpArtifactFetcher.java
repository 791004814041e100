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
 * <p>Answers: 200 → the whole body (the server ignored {@code Range}: the caller starts over); 206 → the body from
 * the {@code Content-Range} start; 416 → an empty body at the requested offset (nothing left to send); 401, 403,
 * 410 → {@link UrlExpiredException}; anything else → {@link IOException} with the status.
 */
public final class HttpArtifactFetcher implements ArtifactFetcher {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    private final HttpClient client;
    private final Duration timeout;

    /**
     * @param tls the TLS context whose trust store the artifact server's certificate must chain to
     * @param timeout connect and response-header timeout
     */
    public HttpArtifactFetcher(SSLContext tls, Duration timeout) {
        this.client = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
        this.timeout = timeout;
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
                return new Body(0, len, res.body());
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
                return new Body(start, total, res.body());
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
}
