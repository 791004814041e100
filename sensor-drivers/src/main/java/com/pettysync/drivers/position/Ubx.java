package com.pettysync.drivers.position;

import java.io.ByteArrayOutputStream;

/**
 * UBX frames for u-blox receivers.
 *
 * <p>Source: u-blox "M10 SPG 5.10 Interface Description" (UBX-21035062), sections "UBX frame structure" and "UBX
 * checksum", "UBX-CFG-VALSET", "UBX-RXM-PMREQ" and the configuration groups CFG-PM and CFG-RATE. Frame:
 * <pre>
 *  +------+------+-------+----+--------------+---------------+------+------+
 *  | 0xB5 | 0x62 | class | id | length (LE16)| payload (len) | CK_A | CK_B |
 *  +------+------+-------+----+--------------+---------------+------+------+
 *                 \____________ checksum range _____________/
 * </pre>
 * The checksum is the 8-bit Fletcher algorithm over class, id, length and payload:
 * {@code CK_A += byte; CK_B += CK_A} (both mod 256).
 */
public final class Ubx {
    public static final int CLASS_CFG = 0x06;
    public static final int ID_CFG_VALSET = 0x8A;
    public static final int CLASS_RXM = 0x02;
    public static final int ID_RXM_PMREQ = 0x41;

    // Configuration keys (interface description, "Configuration interface"): size is in bits 28..30 of the key.
    public static final int CFG_RATE_MEAS = 0x30210001; // U2, ms
    public static final int CFG_PM_OPERATEMODE = 0x20D00001; // E1: 0 FULL, 1 PSMOO, 2 PSMCT
    public static final int CFG_PM_POSUPDATEPERIOD = 0x40D00002; // U4, s

    /** VALSET layer bit for RAM only: the setting is lost on a power cycle, so a reboot returns to defaults. */
    public static final int LAYER_RAM = 0x01;

    private Ubx() {
    }

    /** A complete frame with sync chars and checksum. */
    public static byte[] frame(int msgClass, int msgId, byte[] payload) {
        byte[] f = new byte[payload.length + 8];
        f[0] = (byte) 0xB5;
        f[1] = 0x62;
        f[2] = (byte) msgClass;
        f[3] = (byte) msgId;
        f[4] = (byte) payload.length;
        f[5] = (byte) (payload.length >>> 8);
        System.arraycopy(payload, 0, f, 6, payload.length);
        int[] ck = checksum(f, 2, payload.length + 4);
        f[f.length - 2] = (byte) ck[0];
        f[f.length - 1] = (byte) ck[1];
        return f;
    }

    /** {CK_A, CK_B} over {@code data[offset .. offset+length)}. */
    public static int[] checksum(byte[] data, int offset, int length) {
        int a = 0;
        int b = 0;
        for (int i = offset; i < offset + length; i++) {
            a = (a + (data[i] & 0xFF)) & 0xFF;
            b = (b + a) & 0xFF;
        }
        return new int[] {a, b};
    }

    /** Whether {@code frame} is a well-formed UBX frame with a correct checksum. */
    public static boolean valid(byte[] frame) {
        if (frame.length < 8 || (frame[0] & 0xFF) != 0xB5 || frame[1] != 0x62) {
            return false;
        }
        int len = (frame[4] & 0xFF) | (frame[5] & 0xFF) << 8;
        if (frame.length != len + 8) {
            return false;
        }
        int[] ck = checksum(frame, 2, len + 4);
        return (frame[frame.length - 2] & 0xFF) == ck[0] && (frame[frame.length - 1] & 0xFF) == ck[1];
    }

    /** UBX-CFG-VALSET (version 0) writing {@code keyValues} = key, value, key, value… in the RAM layer. */
    public static byte[] valset(long... keyValues) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0); // version
        p.write(LAYER_RAM);
        p.write(0);
        p.write(0); // reserved
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            int key = (int) keyValues[i];
            long value = keyValues[i + 1];
            le(p, key, 4);
            int sizeCode = (key >>> 28) & 0x7;
            int bytes = switch (sizeCode) {
                case 1, 2 -> 1;
                case 3 -> 2;
                case 4 -> 4;
                case 5 -> 8;
                default -> throw new IllegalArgumentException("bad key size in 0x" + Integer.toHexString(key));
            };
            le(p, value, bytes);
        }
        return frame(CLASS_CFG, ID_CFG_VALSET, p.toByteArray());
    }

    /**
     * UBX-RXM-PMREQ (16-byte version 0): enter backup for {@code durationMs} (0 = until woken), with {@code backup}
     * and {@code force} set, waking on UART RX activity.
     */
    public static byte[] powerOff(long durationMs) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0); // version
        p.write(0);
        p.write(0);
        p.write(0); // reserved
        le(p, durationMs, 4);
        le(p, 0x02 | 0x04, 4); // flags: backup, force
        le(p, 0x08, 4); // wakeupSources: uartrx
        return frame(CLASS_RXM, ID_RXM_PMREQ, p.toByteArray());
    }

    private static void le(ByteArrayOutputStream out, long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (v >>> (8 * i)) & 0xFF);
        }
    }
}
