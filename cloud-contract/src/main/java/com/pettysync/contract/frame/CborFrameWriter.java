package com.pettysync.contract.frame;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes a frame in RFC 8949 core deterministic encoding (§4.2.1) through Jackson's {@link CBORGenerator}.
 *
 * <p>Deterministic because: every map and array is started with its size, so Jackson writes definite
 * lengths; integers go through {@code writeNumber(long)}, byte strings through {@code writeBinary} and map keys
 * through {@code writeFieldId}, for which jackson-dataformat-cbor (2.20, {@code WRITE_MINIMAL_INTS} on) emits
 * the shortest head for every size — {@code CborFrameWriterTest} pins this at every boundary (23/24, 255/256,
 * 65535/65536, 2^32−1/2^32 and the negative counterparts), so a Jackson change that broke it fails the build;
 * callers write map keys in ascending order, which for the one-byte keys 0 … 23 is also bytewise order.
 * Nothing else (floats, strings, tags) is ever written.
 */
public final class CborFrameWriter {
    private static final CBORFactory CBOR = CBORFactory.builder()
            .enable(CBORGenerator.Feature.WRITE_MINIMAL_INTS)
            .disable(CBORGenerator.Feature.WRITE_TYPE_HEADER)
            .build();

    private final ByteArrayOutputStream out;
    private final CBORGenerator gen;

    public CborFrameWriter(int expectedSize) {
        out = new ByteArrayOutputStream(expectedSize);
        try {
            gen = CBOR.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a map of {@code entries} entries. */
    public CborFrameWriter startMap(int entries) {
        try {
            gen.writeStartObject(null, entries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Writes map key {@code key} (callers go in ascending order). */
    public CborFrameWriter key(int key) {
        try {
            gen.writeFieldId(key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public CborFrameWriter integer(long value) {
        try {
            gen.writeNumber(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Writes an array of the given integers. */
    public CborFrameWriter integers(long... values) {
        startArray(values.length);
        for (long v : values) {
            integer(v);
        }
        return endArray();
    }

    public CborFrameWriter startArray(int elements) {
        try {
            gen.writeStartArray(null, elements);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public CborFrameWriter endArray() {
        try {
            gen.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public CborFrameWriter bytes(byte[] value) {
        try {
            gen.writeBinary(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Ends the top-level map and returns the frame. */
    public byte[] finishMap() {
        try {
            gen.writeEndObject();
            gen.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Size in bytes of the shortest CBOR head of integer {@code value} (1, 2, 3, 5 or 9). */
    public static int integerSize(long value) {
        long n = value >= 0 ? value : -1 - value;
        return headSize(n);
    }

    /** Size in bytes of the shortest CBOR head with (non-negative) argument {@code n}. */
    public static int headSize(long n) {
        if (n < 24) {
            return 1;
        } else if (n < 0x100) {
            return 2;
        } else if (n < 0x10000) {
            return 3;
        } else if (n < 0x1_0000_0000L) {
            return 5;
        }
        return 9;
    }
}
