package com.pettysync.agent.ota;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.tinylog.Logger;

/**
 * Downloads one artifact to a file on the data partition, resumable with HTTP {@code Range} across dropped
 * connections, expired URLs, process restarts and power loss.
 *
 * <p><b>Guarantee.</b> {@link #run} returns only when {@code <name>.part} holds exactly {@code size} bytes received
 * from the server, and gives their SHA-256 (computed over the file, not the stream, so a resumed file is hashed
 * whole). It never installs or trusts anything: checking the digest and signature is the caller's job.
 *
 * <p><b>Files</b> (in the download directory):
 * <pre>
 * &lt;name&gt;.part      the artifact's first N bytes, appended in order
 * &lt;name&gt;.offset    a checkpoint, written to .offset.tmp, fsynced, renamed over (java.util.Properties text):
 *                   sha256=&lt;64 hex, the document's&gt;  size=&lt;bytes&gt;  offset=&lt;bytes of .part known durable&gt;
 *                   boot=&lt;kernel boot id when written&gt;
 * </pre>
 * A checkpoint fsyncs {@code .part} first, then writes {@code .offset}, every {@code checkpointBytes} and whenever
 * the stream ends or fails.
 *
 * <p><b>Failure model.</b> A checkpoint for another artifact (other sha256 or size) is discarded with its file.
 * On resume: if the kernel boot id is the one in the checkpoint, the machine did not lose power since (only the
 * process died), so every byte written to {@code .part} is in the page cache and the download resumes from the
 * file's length — the byte where it stopped; after a reboot or power loss it resumes from the checkpoint's
 * durable offset and the file is cut back to it (bytes after it may not have reached the card). A server that
 * ignores {@code Range} (HTTP 200) restarts from byte 0. A dropped connection is retried at once while it made
 * progress, else after a back-off (1 s doubling to 60 s) up to {@code maxAttemptsWithoutProgress} times in a row,
 * then {@link DownloadException.Kind#NETWORK} (the file is kept for the next try). Free space is checked before
 * the first byte and at every checkpoint (the rest of the artifact plus a reserve must fit); a write failing for
 * space is the same {@link DownloadException.Kind#NO_SPACE}. The rate is bounded by pacing reads
 * ({@code bytesPerSecond}) on the injected clock and {@link Sleeper}.
 */
public final class ResumableDownload {
    /** Read and write unit. */
    static final int CHUNK = 16 * 1024;

    /**
     * What the download needs from outside.
     *
     * @param directory where the files go (created if missing)
     * @param fetcher the HTTP edge
     * @param clock time for pacing and back-off
     * @param sleeper waits (real or simulated)
     * @param freeBytes usable bytes on the partition of {@code directory}
     * @param bootId the kernel boot id ({@link #linuxBootId()}), or a constant when unknown
     * @param bytesPerSecond rate bound, ≥ 1
     * @param reserveBytes free space to leave on the partition
     * @param checkpointBytes bytes between checkpoints
     * @param maxAttemptsWithoutProgress connection attempts in a row without a byte before giving up
     */
    public record Settings(Path directory, ArtifactFetcher fetcher, Clock clock, Sleeper sleeper,
            LongSupplier freeBytes, Supplier<String> bootId, long bytesPerSecond, long reserveBytes,
            long checkpointBytes, int maxAttemptsWithoutProgress) {
        public Settings {
            if (bytesPerSecond < 1 || reserveBytes < 0 || checkpointBytes < CHUNK || maxAttemptsWithoutProgress < 1) {
                throw new IllegalArgumentException("bad download settings");
            }
        }
    }

    /**
     * A finished download.
     *
     * @param file the artifact ({@code <name>.part})
     * @param sha256 its SHA-256
     * @param resumedFrom the offset this run started at (0 for a fresh download)
     * @param bytesReceived bytes received from the network in this run (more than {@code size - resumedFrom} when
     *     connections dropped mid-chunk or a server ignored a range)
     */
    public record Result(Path file, byte[] sha256, long resumedFrom, long bytesReceived) {}

    /** Progress callback: bytes on disk of the whole size. */
    @FunctionalInterface
    public interface Progress {
        void bytes(long done, long size);
    }

    private final Settings s;
    private final AtomicBoolean cancelled = new AtomicBoolean();

    public ResumableDownload(Settings settings) {
        this.s = settings;
    }

    /** Stops a running {@link #run} at its next chunk (from any thread); the partial file is kept. */
    public void cancel() {
        cancelled.set(true);
    }

    /** The files of a download, for removal. */
    public void discard(String name) {
        for (String suffix : new String[] {".part", ".offset", ".offset.tmp"}) {
            try {
                Files.deleteIfExists(s.directory().resolve(name + suffix));
            } catch (IOException e) {
                Logger.warn("cannot delete {}{}: {}", name, suffix, e.toString());
            }
        }
    }

    /** The durable offset of a download in progress (0 when none): for status and tests. */
    public long checkpointOffset(String name, String sha256, long size) {
        Properties p = readCheckpoint(name);
        return p != null && matches(p, sha256, size) ? Long.parseLong(p.getProperty("offset", "0")) : 0;
    }

    /**
     * Downloads (or resumes) artifact {@code name}.
     *
     * @param url the current URL (asked again after each connection; the caller may swap in a fresh one)
     * @throws DownloadException when it cannot finish now
     */
    public Result run(String name, long size, String sha256, Supplier<URI> url, Progress progress)
            throws DownloadException {
        cancelled.set(false);
        Path part = s.directory().resolve(name + ".part");
        try {
            Files.createDirectories(s.directory());
        } catch (IOException e) {
            throw new DownloadException(DownloadException.Kind.NO_SPACE, "cannot create " + s.directory() + ": " + e);
        }
        long offset = resumeOffset(name, part, sha256, size);
        long resumedFrom = offset;
        long need = size - offset + s.reserveBytes();
        long free = s.freeBytes().getAsLong();
        if (free < need) {
            throw new DownloadException(DownloadException.Kind.NO_SPACE, "size: " + (size - offset)
                    + " bytes still to download and " + s.reserveBytes() + " to keep free, the partition has "
                    + free);
        }
        long received = 0;
        int failures = 0;
        Duration backoff = Duration.ofSeconds(1);
        try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            out.truncate(offset);
            long sinceCheckpoint = 0;
            Instant paceStart = s.clock().instant();
            long pacedBytes = 0;
            while (offset < size) {
                checkCancelled(name, out, sha256, size, offset);
                long before = offset;
                try (ArtifactFetcher.Body body = s.fetcher().open(url.get(), offset)) {
                    if (body.totalSize() >= 0 && body.totalSize() != size) {
                        throw new DownloadException(DownloadException.Kind.BAD_ARTIFACT, "size: the server's artifact"
                                + " has " + body.totalSize() + " bytes, the document says " + size);
                    }
                    if (body.offset() != offset) {
                        if (body.offset() != 0) {
                            throw new DownloadException(DownloadException.Kind.BAD_ARTIFACT,
                                    "server answered from byte " + body.offset() + " to a request from " + offset);
                        }
                        Logger.info("download {}: server ignored the range, starting over", name);
                        offset = 0;
                        out.truncate(0);
                    }
                    out.position(offset);
                    InputStream in = body.stream();
                    byte[] buf = new byte[CHUNK];
                    int n;
                    while ((n = in.read(buf, 0, (int) Math.min(buf.length, size - offset + 1))) > 0) {
                        received += n;
                        if (offset + n > size) {
                            throw new DownloadException(DownloadException.Kind.BAD_ARTIFACT, "size: the server sent"
                                    + " more than the document's " + size + " bytes");
                        }
                        write(out, buf, n);
                        offset += n;
                        sinceCheckpoint += n;
                        pacedBytes += n;
                        if (sinceCheckpoint >= s.checkpointBytes()) {
                            checkpoint(name, out, sha256, size, offset);
                            sinceCheckpoint = 0;
                            checkSpace(size - offset);
                            progress.bytes(offset, size);
                        }
                        checkCancelled(name, out, sha256, size, offset);
                        pace(paceStart, pacedBytes);
                        if (offset == size) {
                            break;
                        }
                    }
                } catch (ArtifactFetcher.UrlExpiredException e) {
                    checkpoint(name, out, sha256, size, offset);
                    throw new DownloadException(DownloadException.Kind.URL_EXPIRED, e.getMessage());
                } catch (InterruptedIOException e) {
                    checkpoint(name, out, sha256, size, offset);
                    throw new DownloadException(DownloadException.Kind.CANCELLED, "download interrupted");
                } catch (IOException e) {
                    if (isNoSpace(e)) {
                        throw new DownloadException(DownloadException.Kind.NO_SPACE,
                                "the partition is full (" + e.getMessage() + ")");
                    }
                    Logger.info("download {}: connection ended at byte {} of {}: {}", name, offset, size, e.toString());
                }
                if (offset < size) {
                    checkpoint(name, out, sha256, size, offset);
                    sinceCheckpoint = 0;
                    progress.bytes(offset, size);
                    if (offset > before) {
                        failures = 0;
                        backoff = Duration.ofSeconds(1);
                    } else if (++failures >= s.maxAttemptsWithoutProgress()) {
                        throw new DownloadException(DownloadException.Kind.NETWORK, failures
                                + " connections in a row without a byte; stopped at " + offset + " of " + size);
                    } else {
                        sleep(backoff);
                        backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(60)) > 0
                                ? Duration.ofSeconds(60) : backoff.multipliedBy(2);
                    }
                    paceStart = s.clock().instant();
                    pacedBytes = 0;
                }
            }
            checkpoint(name, out, sha256, size, offset);
            progress.bytes(offset, size);
        } catch (IOException e) {
            throw new DownloadException(isNoSpace(e) ? DownloadException.Kind.NO_SPACE : DownloadException.Kind.NETWORK,
                    "cannot write " + part + ": " + e.getMessage(), e);
        }
        return new Result(part, digest(part), resumedFrom, received);
    }

    private void checkCancelled(String name, FileChannel out, String sha256, long size, long offset)
            throws DownloadException, IOException {
        if (cancelled.get() || Thread.currentThread().isInterrupted()) {
            checkpoint(name, out, sha256, size, offset);
            throw new DownloadException(DownloadException.Kind.CANCELLED, "download cancelled at byte " + offset);
        }
    }

    private void checkSpace(long remaining) throws DownloadException {
        long free = s.freeBytes().getAsLong();
        if (free < remaining + s.reserveBytes()) {
            throw new DownloadException(DownloadException.Kind.NO_SPACE, "free space fell to " + free
                    + " bytes while " + remaining + " are still to come (reserve " + s.reserveBytes() + ")");
        }
    }

    private void pace(Instant start, long bytes) throws DownloadException {
        Instant due = start.plusNanos((long) (bytes * 1e9 / s.bytesPerSecond()));
        Duration wait = Duration.between(s.clock().instant(), due);
        if (!wait.isNegative() && !wait.isZero()) {
            sleep(wait);
        }
    }

    private void sleep(Duration d) throws DownloadException {
        try {
            s.sleeper().sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownloadException(DownloadException.Kind.CANCELLED, "download interrupted");
        }
    }

    private static void write(FileChannel out, byte[] buf, int n) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    private long resumeOffset(String name, Path part, String sha256, long size) {
        Properties p = readCheckpoint(name);
        long length;
        try {
            length = Files.size(part);
        } catch (IOException e) {
            length = 0;
        }
        if (p == null || !matches(p, sha256, size)) {
            if (p != null || length > 0) {
                Logger.info("download {}: partial file of another artifact discarded", name);
            }
            discard(name);
            return 0;
        }
        long durable = Math.min(Long.parseLong(p.getProperty("offset", "0")), length);
        String boot = s.bootId().get();
        long offset = boot != null && !boot.isEmpty() && boot.equals(p.getProperty("boot")) ? Math.min(length, size)
                : durable;
        Logger.info("download {}: resuming at byte {} of {} ({} durable, same boot: {})", name, offset, size, durable,
                offset != durable || boot.equals(p.getProperty("boot")));
        return offset;
    }

    private static boolean matches(Properties p, String sha256, long size) {
        return sha256.equals(p.getProperty("sha256")) && String.valueOf(size).equals(p.getProperty("size"))
                && p.getProperty("offset", "").matches("\\d{1,19}");
    }

    private Properties readCheckpoint(String name) {
        Path f = s.directory().resolve(name + ".offset");
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            p.load(r);
            return p;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | IllegalArgumentException e) {
            Logger.warn("download checkpoint {} unreadable: {}", f, e.toString());
            return null;
        }
    }

    private void checkpoint(String name, FileChannel out, String sha256, long size, long offset) throws IOException {
        out.force(false);
        String text = "sha256=" + sha256 + "\nsize=" + size + "\noffset=" + offset + "\nboot=" + s.bootId().get()
                + "\n";
        Durable.write(s.directory().resolve(name + ".offset"), text.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isNoSpace(IOException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("No space left") || m.contains("Disk quota exceeded");
    }

    private static byte[] digest(Path file) throws DownloadException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return md.digest();
        } catch (IOException e) {
            throw new DownloadException(DownloadException.Kind.NETWORK, "cannot read back " + file + ": " + e, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Linux kernel's boot id (changes at every boot), or "" when it cannot be read. */
    public static String linuxBootId() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** Hex of a digest, for logs and status details. */
    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
