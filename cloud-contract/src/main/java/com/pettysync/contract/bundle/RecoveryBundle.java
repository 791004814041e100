package com.pettysync.contract.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.contract.json.JsonTrees;
import com.pettysync.contract.topic.DataStream;
import com.pettysync.contract.topic.ThingName;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;

/**
 * A recovery bundle: every payload a collar had not delivered (telemetry and event frames, voice clip parts, raw
 * chunks), taken off its SD card by {@code pettysync agent export} and ingested by {@code pettysync cloud import}.
 * One portable file, independent of the collar's storage formats: the payloads are the contract's CBOR, byte for
 * byte as the collar would have published them, so the cloud runs them through the same validator and
 * de-duplication as live traffic.
 *
 * <h2>Guarantee</h2>
 * {@link Writer} writes to {@code FILE.tmp}, fsyncs, and renames to {@code FILE} only after the trailer is written:
 * a bundle that exists is complete. {@link #verify} reads the whole file and accepts it only if its structure is
 * exact and its SHA-256 matches; {@link #read} verifies first and hands out records only from a verified file,
 * so a consumer never acts on part of a corrupt or truncated bundle. Every defect is a {@link BundleException}
 * naming the byte offset and what is wrong.
 *
 * <h2>File format (version 1; all integers unsigned big-endian)</h2>
 * <pre>
 * offset  size  field
 * 0       8     magic "PSBUNDL1" (ASCII)
 * 8       4     M: manifest length, 2 … 65536
 * 12      M     manifest, UTF-8 JSON object: {"format":1, "thing":"collar-…", "exportedAtMs":N,
 *               "source":"…", "counts":{"telemetry":n,"events":n,"voice":n,"raw":n}}
 * then one record per payload, in the collar's send order (frames by outbox id, then clips, then raw chunks):
 *         1     stream: 1 telemetry, 2 events, 3 voice (clip part), 4 raw (chunk)
 *         4     L: payload length, 1 … 131072 (128 KiB, AWS IoT Core's payload limit)
 *         L     payload: contract CBOR (§3, §4, §5, §9)
 * trailer:
 *         1     0x00 (end of records)
 *         8     number of records
 *         32    SHA-256 of every byte before it (magic … record count)
 * nothing after the trailer
 * </pre>
 * The manifest's {@code counts} must equal the records per stream. Unknown manifest fields are allowed (later
 * exporters may add some); a format other than 1 is refused.
 */
public final class RecoveryBundle {
    public static final int FORMAT = 1;
    static final byte[] MAGIC = "PSBUNDL1".getBytes(StandardCharsets.US_ASCII);
    static final int MAX_MANIFEST = 64 * 1024;
    /** AWS IoT Core's payload limit: no payload of the contract is larger. */
    public static final int MAX_PAYLOAD = 128 * 1024;
    private static final int END = 0;

    private RecoveryBundle() {}

    /** The bundle is not a complete, intact version-1 bundle; the message says where and why. */
    public static final class BundleException extends Exception {
        private static final long serialVersionUID = 1L;

        public BundleException(String message) {
            super(message, null, false, false);
        }
    }

    /** One payload of the bundle: which stream it belongs to, and its bytes. */
    public record Record(DataStream stream, byte[] payload) {
        public Record {
            Objects.requireNonNull(stream, "stream");
            Objects.requireNonNull(payload, "payload");
        }
    }

    /**
     * What a bundle holds.
     *
     * @param thing the collar
     * @param exportedAtMs when it was written (Unix ms, the exporting machine's clock)
     * @param source where it was read from (free text)
     * @param counts records per stream
     * @param sha256 the file's checksum, hex
     */
    public record Manifest(ThingName thing, long exportedAtMs, String source, Map<DataStream, Long> counts,
            String sha256) {
        /** Records over all streams. */
        public long records() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Receives the records of a verified bundle. */
    @FunctionalInterface
    public interface RecordSink {
        void accept(Record r) throws IOException;
    }

    // ------------------------------------------------------------------------------------------------ writing

    /** Writes a bundle; {@link #close()} without {@link #finish()} leaves no file. */
    public static final class Writer implements AutoCloseable {
        private final Path target;
        private final Path tmp;
        private final ThingName thing;
        private final long exportedAtMs;
        private final String source;
        private final MessageDigest sha;
        private final Map<DataStream, Long> counts = new EnumMap<>(DataStream.class);
        private final Path recordsTmp;
        private final DataOutputStream records;
        private boolean finished;

        /** Starts a bundle for {@code thing} that {@link #finish()} moves to {@code target}. */
        public Writer(Path target, ThingName thing, long exportedAtMs, String source) throws IOException {
            this.target = target;
            this.tmp = target.resolveSibling(target.getFileName() + ".tmp");
            this.recordsTmp = target.resolveSibling(target.getFileName() + ".records.tmp");
            this.thing = Objects.requireNonNull(thing);
            this.exportedAtMs = exportedAtMs;
            this.source = Objects.requireNonNull(source);
            this.sha = sha256();
            for (DataStream s : DataStream.values()) {
                counts.put(s, 0L);
            }
            // the manifest (with the counts) goes first, so the records are staged in a second file
            this.records = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(recordsTmp), 1 << 16));
        }

        /** Adds one payload. */
        public void add(DataStream stream, byte[] payload) throws IOException {
            if (payload.length < 1 || payload.length > MAX_PAYLOAD) {
                throw new IllegalArgumentException("payload of " + payload.length + " bytes: must be 1 … "
                        + MAX_PAYLOAD);
            }
            records.writeByte(code(stream));
            records.writeInt(payload.length);
            records.write(payload);
            counts.merge(stream, 1L, Long::sum);
        }

        /** Records added so far, per stream. */
        public Map<DataStream, Long> counts() {
            return Map.copyOf(counts);
        }

        /** Writes the manifest, the records and the trailer, fsyncs, renames into place; returns the manifest. */
        public Manifest finish() throws IOException {
            records.close();
            ObjectNode m = JsonTrees.object();
            m.put("format", FORMAT).put("thing", thing.value()).put("exportedAtMs", exportedAtMs).put("source", source);
            ObjectNode c = m.putObject("counts");
            for (DataStream s : DataStream.values()) {
                c.put(s.level(), counts.get(s));
            }
            byte[] manifest = JsonTrees.bytes(m);
            long total = counts.values().stream().mapToLong(Long::longValue).sum();
            try (var file = Files.newOutputStream(tmp); var digest = new DigestOutputStream(file, sha);
                    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(digest, 1 << 16))) {
                out.write(MAGIC);
                out.writeInt(manifest.length);
                out.write(manifest);
                Files.copy(recordsTmp, out);
                out.writeByte(END);
                out.writeLong(total);
                out.flush();
                digest.on(false);
                out.write(sha.digest());
                out.flush();
            }
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(recordsTmp);
            finished = true;
            try {
                return verify(target);
            } catch (BundleException e) {
                throw new IOException("the bundle just written does not verify: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws IOException {
            records.close();
            Files.deleteIfExists(recordsTmp);
            if (!finished) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ reading

    /** Checks the whole bundle (structure, counts, checksum) and returns its manifest. Reads nothing else. */
    public static Manifest verify(Path file) throws IOException, BundleException {
        return scan(file, null);
    }

    /**
     * Verifies the bundle, then hands every record to {@code sink} in file order. Nothing reaches the sink from a
     * bundle that does not verify.
     */
    public static Manifest read(Path file, RecordSink sink) throws IOException, BundleException {
        Manifest m = scan(file, null);
        Manifest again = scan(file, Objects.requireNonNull(sink));
        if (!again.sha256().equals(m.sha256())) {
            throw new BundleException("the file changed while it was read (checksum " + m.sha256() + ", then "
                    + again.sha256() + ")");
        }
        return m;
    }

    private static Manifest scan(Path file, RecordSink sink) throws IOException, BundleException {
        MessageDigest sha = sha256();
        long size = Files.size(file);
        try (InputStream raw = Files.newInputStream(file);
                DigestInputStream digest = new DigestInputStream(new BufferedInputStream(raw, 1 << 16), sha);
                Counting counting = new Counting(digest);
                DataInputStream in = new DataInputStream(counting)) {
            byte[] magic = readN(in, MAGIC.length, counting, "magic");
            if (!Arrays.equals(magic, MAGIC)) {
                throw new BundleException("offset 0: not a recovery bundle (magic " + printable(magic) + ", expected "
                        + "PSBUNDL1)");
            }
            int mlen = in.readInt();
            if (mlen < 2 || mlen > MAX_MANIFEST) {
                throw new BundleException("offset 8: manifest length " + Integer.toUnsignedString(mlen)
                        + " is not 2 … " + MAX_MANIFEST);
            }
            ManifestHead head = manifest(readN(in, mlen, counting, "manifest"));
            Map<DataStream, Long> counts = new EnumMap<>(DataStream.class);
            for (DataStream s : DataStream.values()) {
                counts.put(s, 0L);
            }
            long n = 0;
            while (true) {
                long at = counting.offset;
                int code = readByte(in, at, "record stream");
                if (code == END) {
                    break;
                }
                DataStream stream = stream(code, at);
                int len = in.readInt();
                if (len < 1 || len > MAX_PAYLOAD) {
                    throw new BundleException("offset " + (at + 1) + ": record " + n + " length "
                            + Integer.toUnsignedString(len) + " is not 1 … " + MAX_PAYLOAD);
                }
                if (at + 5 + len > size) {
                    throw new BundleException("offset " + at + ": record " + n + " of " + len
                            + " bytes runs past the end of the file (truncated bundle)");
                }
                byte[] payload = readN(in, len, counting, "record " + n);
                counts.merge(stream, 1L, Long::sum);
                n++;
                if (sink != null) {
                    sink.accept(new Record(stream, payload));
                }
            }
            long declared = readLong(in, counting.offset, "record count");
            if (declared != n) {
                throw new BundleException("trailer: " + declared + " records declared, " + n + " found");
            }
            digest.on(false);
            byte[] expected = sha.digest();
            byte[] stored = readN(in, 32, counting, "checksum");
            if (in.read() != -1) {
                throw new BundleException("offset " + (counting.offset - 1) + ": bytes after the trailer");
            }
            if (!MessageDigest.isEqual(expected, stored)) {
                throw new BundleException("checksum mismatch: SHA-256 of the content is "
                        + HexFormat.of().formatHex(expected) + ", the trailer says " + HexFormat.of().formatHex(stored)
                        + " (the bundle is corrupt)");
            }
            if (!counts.equals(head.counts)) {
                throw new BundleException("manifest: counts " + head.counts + " but the records are " + counts);
            }
            return new Manifest(head.thing, head.exportedAtMs, head.source, Map.copyOf(counts),
                    HexFormat.of().formatHex(expected));
        } catch (EOFException e) {
            throw new BundleException("truncated bundle: the file ends at byte " + size + " before the trailer");
        }
    }

    private record ManifestHead(ThingName thing, long exportedAtMs, String source, Map<DataStream, Long> counts) {
    }

    private static ManifestHead manifest(byte[] bytes) throws BundleException {
        JsonNode m;
        try {
            m = JsonTrees.read(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            throw new BundleException("offset 12: manifest is not JSON: " + e.getMessage());
        }
        if (m == null || !m.isObject()) {
            throw new BundleException("offset 12: manifest is not a JSON object");
        }
        JsonNode format = m.get("format");
        if (format == null || !format.isIntegralNumber() || format.asLong() != FORMAT) {
            throw new BundleException("manifest.format: " + format + " is not " + FORMAT
                    + " (a bundle of another version)");
        }
        JsonNode thing = m.get("thing");
        ThingName name;
        try {
            name = new ThingName(thing == null || !thing.isTextual() ? "" : thing.textValue());
        } catch (RuntimeException e) {
            throw new BundleException("manifest.thing: " + e.getMessage());
        }
        JsonNode at = m.get("exportedAtMs");
        if (at == null || !at.isIntegralNumber() || !at.canConvertToLong() || at.longValue() < 0) {
            throw new BundleException("manifest.exportedAtMs: must be an integer >= 0");
        }
        JsonNode source = m.get("source");
        JsonNode c = m.get("counts");
        if (c == null || !c.isObject()) {
            throw new BundleException("manifest.counts: must be an object");
        }
        Map<DataStream, Long> counts = new EnumMap<>(DataStream.class);
        for (DataStream s : DataStream.values()) {
            JsonNode v = c.get(s.level());
            if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw new BundleException("manifest.counts." + s.level() + ": must be an integer >= 0");
            }
            counts.put(s, v.longValue());
        }
        return new ManifestHead(name, at.longValue(), source != null && source.isTextual() ? source.textValue() : "",
                counts);
    }

    static int code(DataStream s) {
        return switch (s) {
            case TELEMETRY -> 1;
            case EVENTS -> 2;
            case VOICE -> 3;
            case RAW -> 4;
        };
    }

    private static DataStream stream(int code, long at) throws BundleException {
        for (DataStream s : DataStream.values()) {
            if (code(s) == code) {
                return s;
            }
        }
        throw new BundleException("offset " + at + ": unknown record stream " + code + " (1 … 4, 0 ends)");
    }

    private static byte[] readN(DataInputStream in, int n, Counting c, String what) throws IOException,
            BundleException {
        long at = c.offset;
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new BundleException("offset " + at + ": " + what + " truncated (" + b.length + " of " + n
                    + " bytes; truncated bundle)");
        }
        return b;
    }

    private static int readByte(DataInputStream in, long at, String what) throws IOException, BundleException {
        int b = in.read();
        if (b < 0) {
            throw new BundleException("offset " + at + ": " + what + " missing (truncated bundle, no trailer)");
        }
        return b;
    }

    private static long readLong(DataInputStream in, long at, String what) throws IOException, BundleException {
        try {
            return in.readLong();
        } catch (EOFException e) {
            throw new BundleException("offset " + at + ": " + what + " truncated (truncated bundle)");
        }
    }

    private static String printable(byte[] b) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte x : b) {
            sb.append(x >= 0x20 && x < 0x7f ? Character.toString(x) : String.format("\\x%02x", x & 0xff));
        }
        return sb.append('"').toString();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Counts bytes read, for offsets in messages. */
    private static final class Counting extends java.io.FilterInputStream {
        long offset;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                offset++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                offset += n;
            }
            return n;
        }
    }
}
