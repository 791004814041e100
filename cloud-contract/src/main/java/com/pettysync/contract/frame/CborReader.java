package com.pettysync.contract.frame;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A small, bounded reader of one RFC 8949 CBOR data item from a byte array.
 *
 * <p>Guarantee: for any byte array it returns the item or throws {@link ContractViolation} (path {@code frame});
 * it never throws anything else, never loops without consuming input, and never allocates much more than the
 * input: every declared length or count is checked against the bytes that remain before anything is
 * allocated (each array element needs at least one byte, each map entry two), and nesting is limited to
 * {@link #MAX_DEPTH} so recursion stays shallow. It accepts every well-formed encoding (non-shortest
 * integers and lengths, indefinite lengths, tags, floats) — the contract's shape is checked by the caller —
 * and rejects what RFC 8949 calls not well-formed (reserved additional information, a break outside an
 * indefinite item, mismatched string chunks, simple values 24–31 in two bytes, truncation) or invalid
 * (a text string that is not UTF-8), and bytes after the top-level item.
 *
 * <p>Why not Jackson's {@code CBORParser}: its buffers and error model are not bounded by the input the way a
 * 182-byte frame needs (it reports problems with several exception types and can trust declared lengths), and
 * the shape checks want the whole small item as a tree anyway; the reader is ~250 lines and fuzzed.
 */
public final class CborReader {
    /** Deepest nesting of arrays, maps and tags accepted (the contract's own shapes use 3). */
    public static final int MAX_DEPTH = 16;

    private final byte[] in;
    private int pos;

    private CborReader(byte[] in) {
        this.in = in;
    }

    /** Reads exactly one item that spans the whole of {@code in}. */
    public static CborItem readSingle(byte[] in) {
        CborReader reader = new CborReader(in);
        if (in.length == 0) {
            throw malformed("empty input");
        }
        CborItem item = reader.item(0);
        if (item == BREAK) {
            throw malformed("break code outside an indefinite-length item");
        }
        if (reader.pos != in.length) {
            throw new ContractViolation("frame", (in.length - reader.pos) + " bytes after the top-level item");
        }
        return item;
    }

    private static final CborItem BREAK = new CborItem.Simple(-1);

    private static ContractViolation malformed(String why) {
        return new ContractViolation("frame", "not well-formed CBOR: " + why);
    }

    private int remaining() {
        return in.length - pos;
    }

    private int u8() {
        if (pos >= in.length) {
            throw malformed("truncated");
        }
        return in[pos++] & 0xff;
    }

    /** The argument of the head whose initial byte had additional information {@code ai} (0..27). */
    private long argument(int ai) {
        if (ai < 24) {
            return ai;
        }
        int n = switch (ai) {
            case 24 -> 1;
            case 25 -> 2;
            case 26 -> 4;
            case 27 -> 8;
            default -> throw malformed("reserved additional information " + ai);
        };
        if (remaining() < n) {
            throw malformed("truncated");
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (in[pos++] & 0xff);
        }
        return v; // for n == 8 this is the unsigned value's bit pattern
    }

    /** A declared length or count, checked against the remaining input ({@code minBytesEach} per unit). */
    private int count(long arg, int minBytesEach) {
        // arg is unsigned; anything negative or above the remaining bytes cannot be satisfied
        if (arg < 0 || arg > remaining() / minBytesEach) {
            throw malformed("declared length " + Long.toUnsignedString(arg) + " exceeds the "
                    + remaining() + " remaining bytes");
        }
        return (int) arg;
    }

    private CborItem item(int depth) {
        int ib = u8();
        int major = ib >>> 5;
        int ai = ib & 0x1f;
        if (ai >= 28 && ai <= 30) {
            throw malformed("reserved additional information " + ai);
        }
        if (ai == 31) {
            return switch (major) {
                case 2 -> new CborItem.Bytes(chunks(2));
                case 3 -> new CborItem.Text(utf8(chunks(3)));
                case 4 -> indefiniteArray(depth);
                case 5 -> indefiniteMap(depth);
                case 7 -> BREAK;
                default -> throw malformed("indefinite length for major type " + major);
            };
        }
        long arg = argument(ai);
        return switch (major) {
            case 0 -> arg >= 0 ? new CborItem.Int(arg) : new CborItem.BigInt(false);
            case 1 -> arg >= 0 ? new CborItem.Int(-1 - arg) : new CborItem.BigInt(true);
            case 2 -> new CborItem.Bytes(bytes(count(arg, 1)));
            case 3 -> new CborItem.Text(utf8(bytes(count(arg, 1))));
            case 4 -> {
                int n = count(arg, 1);
                checkDepth(depth);
                List<CborItem> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(nested(depth));
                }
                yield new CborItem.Array(items);
            }
            case 5 -> {
                int n = count(arg, 2);
                checkDepth(depth);
                List<CborItem.Entry> entries = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    CborItem key = nested(depth);
                    entries.add(new CborItem.Entry(key, nested(depth)));
                }
                yield new CborItem.Map(entries);
            }
            case 6 -> {
                checkDepth(depth);
                yield new CborItem.Tagged(arg, nested(depth));
            }
            default -> simpleOrFloat(ai, arg);
        };
    }

    private CborItem nested(int depth) {
        CborItem item = item(depth + 1);
        if (item == BREAK) {
            throw malformed("break code outside an indefinite-length item");
        }
        return item;
    }

    private static void checkDepth(int depth) {
        if (depth >= MAX_DEPTH) {
            throw new ContractViolation("frame", "nesting deeper than " + MAX_DEPTH);
        }
    }

    private CborItem simpleOrFloat(int ai, long arg) {
        return switch (ai) {
            case 24 -> {
                if (arg < 32) {
                    throw malformed("simple value " + arg + " in two bytes");
                }
                yield new CborItem.Simple((int) arg);
            }
            case 25 -> new CborItem.Float(halfToDouble((int) arg));
            case 26 -> new CborItem.Float(java.lang.Float.intBitsToFloat((int) arg));
            case 27 -> new CborItem.Float(Double.longBitsToDouble(arg));
            default -> new CborItem.Simple(ai);
        };
    }

    private static double halfToDouble(int half) {
        int exp = (half >> 10) & 0x1f;
        int mant = half & 0x3ff;
        double val;
        if (exp == 0) {
            val = Math.scalb((double) mant, -24);
        } else if (exp != 31) {
            val = Math.scalb((double) (mant + 1024), exp - 25);
        } else {
            val = mant == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        }
        return (half & 0x8000) != 0 ? -val : val;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        System.arraycopy(in, pos, b, 0, n);
        pos += n;
        return b;
    }

    /** The concatenated definite-length chunks of an indefinite-length string of {@code major}. */
    private byte[] chunks(int major) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            int ib = u8();
            if (ib == 0xff) {
                return out.toByteArray();
            }
            if (ib >>> 5 != major || (ib & 0x1f) >= 28) {
                throw malformed("chunk of an indefinite-length string is not a definite string of the same type");
            }
            byte[] chunk = bytes(count(argument(ib & 0x1f), 1));
            out.write(chunk, 0, chunk.length);
        }
    }

    private CborItem indefiniteArray(int depth) {
        checkDepth(depth);
        List<CborItem> items = new ArrayList<>();
        while (true) {
            CborItem item = item(depth + 1);
            if (item == BREAK) {
                return new CborItem.Array(items);
            }
            items.add(item);
        }
    }

    private CborItem indefiniteMap(int depth) {
        checkDepth(depth);
        List<CborItem.Entry> entries = new ArrayList<>();
        while (true) {
            CborItem key = item(depth + 1);
            if (key == BREAK) {
                return new CborItem.Map(entries);
            }
            entries.add(new CborItem.Entry(key, nested(depth)));
        }
    }

    private static String utf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new ContractViolation("frame", "invalid CBOR: text string is not UTF-8");
        }
    }
}
