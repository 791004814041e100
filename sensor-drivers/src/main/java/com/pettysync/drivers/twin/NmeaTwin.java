package com.pettysync.drivers.twin;

import com.pettysync.drivers.bus.SerialStream;
import com.pettysync.drivers.position.GnssPowerMode;
import com.pettysync.drivers.position.Ubx;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Twin of a u-blox M10 on a UART: a {@link SerialStream} whose receive side carries the NMEA a receiver would send
 * for the {@link DogBehaviourModel}'s dog (GNRMC, GNGGA, GNGSA per epoch, NMEA 4.11 style) and whose transmit side
 * understands the UBX power-mode commands of {@link GnssPowerMode} (checksums checked; a bad frame is ignored, as
 * the receiver would; a valid CFG message is answered with UBX-ACK-ACK).
 *
 * <p>Epochs fall on whole multiples of the mode's interval of UTC; the simulated clock decides what has been
 * "sent" by the time of a read. Like a real UART FIFO, at most {@value #BUFFER_LIMIT} unread bytes are kept (older
 * output is lost when nobody reads). Faults: {@link TwinFault#NACK} silence, {@link TwinFault#GARBLED} most lines
 * corrupted or cut, {@link TwinFault#NO_FIX} sentences without a fix.
 */
public final class NmeaTwin implements SerialStream {
    static final int BUFFER_LIMIT = 4096;

    private final SimulatedClock clock;
    private final DogBehaviourModel model;
    private final SplittableRandom random;
    private final ByteArrayOutputStream rx = new ByteArrayOutputStream();
    private final ByteArrayOutputStream tx = new ByteArrayOutputStream();
    private byte[] pending = new byte[0];
    private int pendingPos;
    private long lastEpochSecond;
    private volatile GnssPowerMode mode = GnssPowerMode.LIVE;
    private volatile TwinFault fault = TwinFault.NONE;
    private final List<GnssPowerMode> modeChanges = new ArrayList<>();

    public NmeaTwin(SimulatedClock clock, DogBehaviourModel model, long seed) {
        this.clock = clock;
        this.model = model;
        this.random = new SplittableRandom(seed);
        this.lastEpochSecond = clock.instant().getEpochSecond();
    }

    public void inject(TwinFault f) {
        fault = f;
    }

    public GnssPowerMode mode() {
        return mode;
    }

    /** Modes the receiver was switched to by valid UBX commands, in order. */
    public synchronized List<GnssPowerMode> modeChanges() {
        return List.copyOf(modeChanges);
    }

    @Override
    public synchronized int read(byte[] destination, int offset, int length) {
        produce();
        if (pendingPos >= pending.length) {
            if (rx.size() == 0) {
                return 0;
            }
            pending = rx.toByteArray();
            pendingPos = 0;
            rx.reset();
        }
        int n = Math.min(length, pending.length - pendingPos);
        System.arraycopy(pending, pendingPos, destination, offset, n);
        pendingPos += n;
        return n;
    }

    private void produce() {
        long now = clock.instant().getEpochSecond();
        int interval = mode.fixIntervalSeconds();
        if (interval == 0) {
            lastEpochSecond = now;
            return;
        }
        long first = Math.max(lastEpochSecond + 1, now - 30L * interval); // older output would have been lost
        for (long s = first; s <= now; s++) {
            if (Math.floorMod(s, interval) == 0 && fault != TwinFault.NACK) {
                for (String line : epoch(model.stateAt(Instant.ofEpochSecond(s)), s)) {
                    byte[] b = line.getBytes(StandardCharsets.US_ASCII);
                    rx.write(b, 0, b.length);
                }
            }
        }
        lastEpochSecond = Math.max(lastEpochSecond, now);
        if (rx.size() > BUFFER_LIMIT) {
            byte[] all = rx.toByteArray();
            rx.reset();
            rx.write(all, all.length - BUFFER_LIMIT, BUFFER_LIMIT);
        }
    }

    private List<String> epoch(DogState s, long epochSecond) {
        int sats = 8 + random.nextInt(7);
        double hdop = 0.6 + random.nextDouble() * 0.9;
        double noiseN = random.nextGaussian() * hdop * 1.5;
        double noiseE = random.nextGaussian() * hdop * 1.5;
        double lat = s.latitude() + noiseN / 111_320.0;
        double lon = s.longitude() + noiseE / (111_320.0 * Math.cos(Math.toRadians(s.latitude())));
        double speedKnots = switch (s.activity()) {
            case SLEEP, REST -> 0.05;
            case WALK -> 2.5;
            case PLAY -> 3.9;
            case RUN -> 8.7;
        };
        List<String> lines = sentences(Instant.ofEpochSecond(epochSecond), fault != TwinFault.NO_FIX, lat, lon,
                sats, hdop, speedKnots);
        if (fault == TwinFault.GARBLED) {
            List<String> garbled = new ArrayList<>(lines.size());
            for (String l : lines) {
                if (random.nextDouble() < 0.8) {
                    char[] c = l.toCharArray();
                    int i = 1 + random.nextInt(Math.max(1, c.length - 6));
                    c[i] = (char) ('!' + random.nextInt(90));
                    String g = new String(c);
                    garbled.add(random.nextBoolean() ? g : g.substring(0, Math.max(1, g.length() / 2)) + "\r\n");
                } else {
                    garbled.add(l);
                }
            }
            return garbled;
        }
        return lines;
    }

    /**
     * The sentences of one epoch as an M10 sends them (GNRMC, GNGGA, GNGSA), each ending in CR LF; usable without
     * a twin, e.g. by the simulator.
     */
    public static List<String> sentences(Instant t, boolean fix, double lat, double lon, int sats, double hdop,
            double speedKnots) {
        ZonedDateTime z = t.atZone(ZoneOffset.UTC);
        String time = String.format(Locale.ROOT, "%02d%02d%02d.00", z.getHour(), z.getMinute(), z.getSecond());
        String date = String.format(Locale.ROOT, "%02d%02d%02d", z.getDayOfMonth(), z.getMonthValue(),
                z.getYear() % 100);
        List<String> out = new ArrayList<>(3);
        if (fix) {
            String la = coordinate(Math.abs(lat), 2) + "," + (lat >= 0 ? "N" : "S");
            String lo = coordinate(Math.abs(lon), 3) + "," + (lon >= 0 ? "E" : "W");
            out.add(withChecksum("GNRMC," + time + ",A," + la + "," + lo + ","
                    + String.format(Locale.ROOT, "%.3f", speedKnots) + ",," + date + ",,,A,V"));
            out.add(withChecksum("GNGGA," + time + "," + la + "," + lo + ",1,"
                    + String.format(Locale.ROOT, "%02d,%.2f,52.3,M,47.1,M,,", sats, hdop)));
            StringBuilder gsa = new StringBuilder("GNGSA,A,3");
            for (int i = 0; i < 12; i++) {
                gsa.append(',');
                if (i < sats) {
                    gsa.append(String.format(Locale.ROOT, "%02d", 2 + i * 2));
                }
            }
            gsa.append(String.format(Locale.ROOT, ",%.2f,%.2f,%.2f,1", hdop * 1.6, hdop, hdop * 1.3));
            out.add(withChecksum(gsa.toString()));
        } else {
            out.add(withChecksum("GNRMC," + time + ",V,,,,,,," + date + ",,,N,V"));
            out.add(withChecksum("GNGGA," + time + ",,,,,0,00,99.99,,,,,,"));
            out.add(withChecksum("GNGSA,A,1,,,,,,,,,,,,,99.99,99.99,99.99,1"));
        }
        return out;
    }

    private static String coordinate(double degrees, int degreeDigits) {
        int d = (int) degrees;
        double minutes = (degrees - d) * 60;
        if (minutes >= 59.999995) {
            d++;
            minutes = 0;
        }
        return String.format(Locale.ROOT, "%0" + degreeDigits + "d%08.5f", d, minutes);
    }

    /** {@code $body*hh\r\n} with the NMEA checksum (XOR of the body's characters). */
    public static String withChecksum(String body) {
        int sum = 0;
        for (int i = 0; i < body.length(); i++) {
            sum ^= body.charAt(i);
        }
        return "$" + body + "*" + String.format(Locale.ROOT, "%02X", sum) + "\r\n";
    }

    @Override
    public synchronized void write(byte[] bytes) {
        tx.write(bytes, 0, bytes.length);
        byte[] all = tx.toByteArray();
        int i = 0;
        while (i + 8 <= all.length) {
            if ((all[i] & 0xFF) != 0xB5 || all[i + 1] != 0x62) {
                i++;
                continue;
            }
            int len = (all[i + 4] & 0xFF) | (all[i + 5] & 0xFF) << 8;
            if (i + 8 + len > all.length) {
                break; // incomplete frame: wait for the rest
            }
            byte[] frame = java.util.Arrays.copyOfRange(all, i, i + 8 + len);
            if (Ubx.valid(frame)) {
                apply(frame);
                if ((frame[2] & 0xFF) == Ubx.CLASS_CFG && fault != TwinFault.NACK) {
                    byte[] ack = Ubx.frame(0x05, 0x01, new byte[] {frame[2], frame[3]}); // UBX-ACK-ACK
                    rx.write(ack, 0, ack.length);
                }
            }
            i += 8 + len;
        }
        tx.reset();
        tx.write(all, i, all.length - i);
    }

    private void apply(byte[] f) {
        int cls = f[2] & 0xFF;
        int id = f[3] & 0xFF;
        GnssPowerMode m = null;
        if (cls == Ubx.CLASS_RXM && id == Ubx.ID_RXM_PMREQ) {
            m = GnssPowerMode.OFF;
        } else if (cls == Ubx.CLASS_CFG && id == Ubx.ID_CFG_VALSET) {
            int len = (f[4] & 0xFF) | (f[5] & 0xFF) << 8;
            int p = 6 + 4;
            while (p + 4 < 6 + len) {
                int key = (f[p] & 0xFF) | (f[p + 1] & 0xFF) << 8 | (f[p + 2] & 0xFF) << 16 | (f[p + 3] & 0xFF) << 24;
                int size = switch ((key >>> 28) & 7) {
                    case 1, 2 -> 1;
                    case 3 -> 2;
                    case 4 -> 4;
                    default -> 8;
                };
                if (key == Ubx.CFG_PM_OPERATEMODE) {
                    m = switch (f[p + 4]) {
                        case 0 -> GnssPowerMode.LIVE;
                        case 1 -> GnssPowerMode.ECO;
                        default -> GnssPowerMode.NORMAL;
                    };
                }
                p += 4 + size;
            }
        }
        if (m != null) {
            mode = m;
            modeChanges.add(m);
            lastEpochSecond = clock.instant().getEpochSecond();
        }
    }

    @Override
    public void close() {
        // nothing to release
    }
}
