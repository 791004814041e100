package com.pettysync.simulator.cloud.artifacts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * Decodes an {@code aws-chunked} upload body with unsigned chunks and a trailing checksum
 * (x-amz-content-sha256 {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}, what the AWS SDK sends over HTTPS by default)
 * and checks the trailer's checksum against the decoded bytes.
 *
 * <pre>
 * hex-size CRLF  bytes CRLF        one chunk (";chunk-signature=…" after the size is ignored: unsigned)
 * …
 * 0 CRLF                            the last chunk
 * x-amz-checksum-crc32:BASE64 CRLF  trailers (the one named by x-amz-trailer is checked)
 * CRLF
 * </pre>
 */
final class AwsChunked {
    private AwsChunked() {}

    /** The decoded bytes and the trailers (names in lower case). */
    record Decoded(byte[] body, Map<String, String> trailers) {}

    /**
     * The decoded body; {@code trailerName} is the request's {@code x-amz-trailer} (or null), and
     * {@code decodedLength} its {@code x-amz-decoded-content-length} (or -1).
     *
     * @throws S3Error InvalidRequest for a malformed body, BadDigest for a checksum that does not match
     */
    static Decoded decode(InputStream in, String trailerName, long decodedLength, long maxBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in);
            int semi = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            } catch (NumberFormatException e) {
                throw malformed("bad chunk size line");
            }
            if (size < 0 || out.size() + size > maxBytes) {
                throw new S3Error(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size");
            }
            if (size == 0) {
                break;
            }
            byte[] chunk = in.readNBytes((int) size);
            if (chunk.length != size) {
                throw malformed("body ends inside a chunk");
            }
            out.write(chunk);
            if (!line(in).isEmpty()) {
                throw malformed("chunk not followed by CRLF");
            }
        }
        Map<String, String> trailers = new LinkedHashMap<>();
        for (String l = line(in); !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            if (colon > 0) {
                trailers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
            }
        }
        byte[] body = out.toByteArray();
        if (decodedLength >= 0 && body.length != decodedLength) {
            throw new S3Error(400, "IncompleteBody", "x-amz-decoded-content-length is " + decodedLength + ", got "
                    + body.length + " bytes");
        }
        if (trailerName != null) {
            String name = trailerName.trim().toLowerCase(Locale.ROOT);
            String value = trailers.get(name);
            if (value == null) {
                throw malformed("trailer " + name + " announced but not sent");
            }
            String actual = checksum(name, body);
            if (actual != null && !actual.equals(value)) {
                throw new S3Error(400, "BadDigest", "The " + name + " you specified did not match the calculated "
                        + "checksum.");
            }
        }
        return new Decoded(body, Map.copyOf(trailers));
    }

    /** Base64 of the named checksum over {@code body}; null for an algorithm not checked here. */
    private static String checksum(String name, byte[] body) {
        try {
            byte[] digest = switch (name) {
                case "x-amz-checksum-crc32" -> crc(new CRC32(), body);
                case "x-amz-checksum-crc32c" -> crc(new CRC32C(), body);
                case "x-amz-checksum-sha256" -> MessageDigest.getInstance("SHA-256").digest(body);
                case "x-amz-checksum-sha1" -> MessageDigest.getInstance("SHA-1").digest(body);
                default -> null;
            };
            return digest == null ? null : Base64.getEncoder().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] crc(Checksum c, byte[] body) {
        c.update(body, 0, body.length);
        long v = c.getValue();
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\r') {
                if (in.read() != '\n') {
                    throw malformed("CR without LF");
                }
                return b.toString(StandardCharsets.US_ASCII);
            }
            b.write(c);
            if (b.size() > 4096) {
                throw malformed("line over 4096 bytes");
            }
        }
        if (b.size() == 0) {
            return "";
        }
        throw malformed("body ends inside a line");
    }

    private static S3Error malformed(String what) {
        return new S3Error(400, "InvalidRequest", "malformed aws-chunked body: " + what);
    }
}
