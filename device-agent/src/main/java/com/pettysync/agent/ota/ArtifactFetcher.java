package com.pettysync.agent.ota;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/**
 * The network edge of an artifact download: one HTTP GET from a byte offset. {@link HttpArtifactFetcher} is the
 * real one (JDK HttpClient over HTTPS); the simulator and the tests hand in others.
 */
public interface ArtifactFetcher {

    /**
     * Opens {@code url} from byte {@code offset} ({@code Range: bytes=offset-} when offset &gt; 0).
     *
     * @return the body; {@link Body#offset()} says where it really starts (0 when the server ignored the range)
     * @throws UrlExpiredException when the server refuses the URL itself (a presigned URL past its expiry: HTTP
     *     401, 403 or 410)
     * @throws IOException for anything else (connection refused or dropped, 5xx, a range the server cannot serve)
     */
    Body open(URI url, long offset) throws IOException, UrlExpiredException;

    /**
     * An open response body.
     *
     * @param offset the artifact byte the first body byte is
     * @param totalSize the whole artifact's size when the server said it (Content-Range / Content-Length), else -1
     * @param stream the bytes; closed by the caller
     */
    record Body(long offset, long totalSize, InputStream stream) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            stream.close();
        }
    }

    /** The server refused the URL (expired or revoked presigned URL): ask the job for a new one. */
    final class UrlExpiredException extends Exception {
        private static final long serialVersionUID = 1L;

        public UrlExpiredException(String message) {
            super(message);
        }
    }
}
