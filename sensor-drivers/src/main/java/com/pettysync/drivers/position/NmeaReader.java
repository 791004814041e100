package com.pettysync.drivers.position;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns NMEA 0183 bytes into {@link Fix}es: one per epoch with a valid fix.
 *
 * <p>Guarantee: no input makes it throw or grow without bound. Every line is either used or counted and dropped
 * ({@link NmeaCounters}): a checksum mismatch as {@code badChecksum}; a line without {@code *hh} (partial), with
 * unparsable fields (garbled), longer than {@value #MAX_LINE} characters (over-long: the standard allows 82, some
 * receivers exceed it a little) or of a type other than GGA/RMC/GSA/GST as {@code skipped}. Bytes outside a
 * sentence (UBX binary replies on the same UART, noise) count as one skipped line per run; a {@code $} in the middle of a line starts a new
 * sentence and the partial one is counted as skipped.
 *
 * <p>Epochs: GGA, RMC and GST carry a UTC time of day; sentences with the same time are one epoch, GSA (no time)
 * joins the epoch in progress. An epoch ends when a sentence with another time arrives or on {@link #flush}. It is
 * delivered when GGA quality ≥ 1 or RMC status is A, and only once a date is known: the date is the epoch's own
 * RMC date, else the latest RMC's date, moved one day forward when the epoch's time is more than 12 h before that
 * RMC's time (midnight rollover between an RMC and a later GGA-only epoch) and one day back in the mirror case.
 *
 * <p>Accuracy: the GST standard deviations of latitude and longitude give {@code hacc = sqrt(σlat² + σlon²)}; without
 * GST it is HDOP × {@link #UERE_METRES} (a user-equivalent range error of 2.5 m, which puts HDOP 1 near the 1.5 m
 * CEP that u-blox M10 modules specify in open sky — an estimate, not a measurement).
 *
 * <p>Not thread-safe; one reader per stream.
 */
public final class NmeaReader {
    public static final int MAX_LINE = 100;
    public static final double UERE_METRES = 2.5;
    private static final long DAY_MS = 86_400_000L;
    private static final int MAX_FIELDS = 24;

    private final char[] line = new char[MAX_LINE];
    private int length;
    private boolean inSentence;
    private boolean overLong;
    private boolean junk;
    private final String[] fields = new String[MAX_FIELDS];

    private long sentences;
    private long badChecksum;
    private long skipped;
    private long unknown;

    // date from the latest RMC
    private long dateEpochDay = Long.MIN_VALUE;
    private long dateTimeOfDayMs;

    // epoch in progress
    private boolean pending;
    private long epochTimeMs = -1;
    private boolean hasGga;
    private boolean hasRmc;
    private int quality;
    private boolean rmcValid;
    private long rmcDay = Long.MIN_VALUE;
    private Integer latE7;
    private Integer lonE7;
    private Integer sats;
    private double hdop = Double.NaN;
    private double gstSigma = Double.NaN;

    /** Feeds raw bytes; returns the fixes of epochs completed by them, oldest first. */
    public List<Fix> accept(byte[] bytes, int offset, int count, long tNanos) {
        List<Fix> out = null;
        for (int i = offset; i < offset + count; i++) {
            char c = (char) (bytes[i] & 0xFF);
            if (c == '$') {
                if (inSentence && length > 0) {
                    sentences++;
                    skipped++; // partial line cut by a new sentence
                }
                if (junk) {
                    junk = false;
                    sentences++;
                    skipped++; // bytes before this '$' on the same line
                }
                inSentence = true;
                overLong = false;
                length = 0;
                line[length++] = c;
            } else if (c == '\n' || c == '\r') {
                if (inSentence) {
                    out = endLine(out, tNanos);
                } else if (junk) {
                    junk = false;
                    sentences++;
                    skipped++; // a line that never had a '$'
                }
            } else if (inSentence) {
                if (length < MAX_LINE) {
                    line[length++] = c;
                } else {
                    overLong = true;
                }
            } else {
                junk = true;
            }
        }
        return out == null ? List.of() : out;
    }

    /** Feeds one line of text (with or without line terminator); returns completed fixes. */
    public List<Fix> acceptLine(String text, long tNanos) {
        List<Fix> out = null;
        int n = text.length();
        while (n > 0 && (text.charAt(n - 1) == '\n' || text.charAt(n - 1) == '\r')) {
            n--;
        }
        if (n == 0) {
            return List.of();
        }
        inSentence = true;
        overLong = n > MAX_LINE;
        length = Math.min(n, MAX_LINE);
        for (int i = 0; i < length; i++) {
            line[i] = text.charAt(i);
        }
        out = endLine(out, tNanos);
        return out == null ? List.of() : out;
    }

    /** Ends the epoch in progress (end of input, or the receiver went quiet); returns its fix if valid. */
    public List<Fix> flush(long tNanos) {
        Fix f = completeEpoch(tNanos);
        return f == null ? List.of() : List.of(f);
    }

    public NmeaCounters counters() {
        return new NmeaCounters(sentences, badChecksum, skipped, unknown);
    }

    private List<Fix> endLine(List<Fix> out, long tNanos) {
        inSentence = false;
        int n = length;
        length = 0;
        sentences++;
        if (overLong) {
            overLong = false;
            skipped++;
            return out;
        }
        Fix fix;
        try {
            fix = parse(n, tNanos);
        } catch (RuntimeException garbled) {
            // Safety net: parse() validates as it goes, so this is only reached by input nobody anticipated.
            skipped++;
            return out;
        }
        if (fix != null) {
            if (out == null) {
                out = new ArrayList<>(2);
            }
            out.add(fix);
        }
        return out;
    }

    /** Parses line[0..n); returns a fix when this sentence completed the previous epoch. */
    private Fix parse(int n, long tNanos) {
        if (n < 7 || line[0] != '$') {
            skipped++;
            return null;
        }
        int star = -1;
        for (int i = n - 1; i >= 1; i--) {
            if (line[i] == '*') {
                star = i;
                break;
            }
        }
        if (star < 0 || star + 3 != n) {
            skipped++; // partial: no checksum, or something after it
            return null;
        }
        int hi = Character.digit(line[star + 1], 16);
        int lo = Character.digit(line[star + 2], 16);
        if (hi < 0 || lo < 0) {
            skipped++;
            return null;
        }
        int sum = 0;
        for (int i = 1; i < star; i++) {
            char c = line[i];
            if (c < 0x20 || c > 0x7E) {
                skipped++; // not printable ASCII: garbled
                return null;
            }
            sum ^= c;
        }
        if (sum != (hi << 4 | lo)) {
            badChecksum++;
            return null;
        }
        int count = split(star);
        if (count < 0) {
            skipped++;
            return null;
        }
        String address = fields[0];
        if (address.length() != 5 || address.charAt(0) == 'P') {
            unknown++;
            skipped++;
            return null;
        }
        String type = address.substring(2);
        return switch (type) {
            case "GGA" -> gga(count, tNanos);
            case "RMC" -> rmc(count, tNanos);
            case "GSA" -> gsa(count);
            case "GST" -> gst(count, tNanos);
            default -> {
                unknown++;
                skipped++;
                yield null;
            }
        };
    }

    /** Splits line[1..end) at commas into {@link #fields}; -1 when there are too many. */
    private int split(int end) {
        int count = 0;
        int start = 1;
        for (int i = 1; i <= end; i++) {
            if (i == end || line[i] == ',') {
                if (count == MAX_FIELDS) {
                    return -1;
                }
                fields[count++] = new String(line, start, i - start);
                start = i + 1;
            }
        }
        return count;
    }

    private String field(int count, int i) {
        return i < count ? fields[i] : "";
    }

    private Fix gga(int count, long tNanos) {
        long time = timeOfDay(field(count, 1));
        int q = intField(field(count, 6), 0, 9);
        int s = intField(field(count, 7), 0, 99);
        double h = decimal(field(count, 8), 0, 100);
        int[] pos = position(field(count, 2), field(count, 3), field(count, 4), field(count, 5));
        if (time == BAD || q == BAD || s == BAD || h == BAD_D || pos == null) {
            skipped++;
            return null;
        }
        if (time == NONE) {
            return null; // well-formed, but a receiver without time yet (u-blox sends empty GGAs): no epoch
        }
        Fix done = startEpoch(time, tNanos);
        hasGga = true;
        quality = q == NONE ? 0 : q;
        if (s != NONE) {
            sats = s;
        }
        if (!Double.isNaN(h)) {
            hdop = h;
        }
        if (pos.length == 2) {
            latE7 = pos[0];
            lonE7 = pos[1];
        }
        return done;
    }

    private Fix rmc(int count, long tNanos) {
        long time = timeOfDay(field(count, 1));
        String status = field(count, 2);
        int[] pos = position(field(count, 3), field(count, 4), field(count, 5), field(count, 6));
        long day = date(field(count, 9));
        if (time == BAD || time == NONE || pos == null || day == BAD
                || !(status.equals("A") || status.equals("V") || status.isEmpty())) {
            skipped++;
            return null;
        }
        Fix done = startEpoch(time, tNanos);
        hasRmc = true;
        rmcValid = status.equals("A");
        if (day != NONE) {
            rmcDay = day;
            dateEpochDay = day;
            dateTimeOfDayMs = time;
        }
        if (pos.length == 2 && latE7 == null) {
            latE7 = pos[0];
            lonE7 = pos[1];
        }
        return done;
    }

    private Fix gsa(int count) {
        // $--GSA,mode,fixType,sv1..sv12,PDOP,HDOP,VDOP[,systemId]*hh
        if (count < 18) {
            skipped++;
            return null;
        }
        double h = decimal(fields[16], 0, 100);
        if (h == BAD_D) {
            skipped++;
            return null;
        }
        if (pending && !Double.isNaN(h) && (!hasGga || Double.isNaN(hdop))) {
            hdop = h;
        }
        return null;
    }

    private Fix gst(int count, long tNanos) {
        // $--GST,time,rms,semiMajor,semiMinor,orientation,sigmaLat,sigmaLon,sigmaAlt*hh
        long time = timeOfDay(field(count, 1));
        double sLat = decimal(field(count, 6), 0, 1e6);
        double sLon = decimal(field(count, 7), 0, 1e6);
        if (time == BAD || time == NONE || sLat == BAD_D || sLon == BAD_D) {
            skipped++;
            return null;
        }
        Fix done = startEpoch(time, tNanos);
        if (!Double.isNaN(sLat) && !Double.isNaN(sLon)) {
            gstSigma = Math.sqrt(sLat * sLat + sLon * sLon);
        }
        return done;
    }

    private Fix startEpoch(long time, long tNanos) {
        Fix done = null;
        if (pending && time != epochTimeMs) {
            done = completeEpoch(tNanos);
        }
        if (!pending) {
            pending = true;
            epochTimeMs = time;
        }
        return done;
    }

    private Fix completeEpoch(long tNanos) {
        if (!pending) {
            return null;
        }
        Fix fix = null;
        boolean valid = (hasGga && quality >= 1) || (hasRmc && rmcValid);
        long day = rmcDay != Long.MIN_VALUE ? rmcDay : dateEpochDay;
        if (valid && day != Long.MIN_VALUE) {
            if (rmcDay == Long.MIN_VALUE) {
                if (epochTimeMs < dateTimeOfDayMs - DAY_MS / 2) {
                    day++;
                } else if (epochTimeMs > dateTimeOfDayMs + DAY_MS / 2) {
                    day--;
                }
            }
            Integer hacc = null;
            if (!Double.isNaN(gstSigma)) {
                hacc = (int) Math.min(Integer.MAX_VALUE, Math.round(gstSigma * 10));
            } else if (!Double.isNaN(hdop)) {
                hacc = (int) Math.round(hdop * UERE_METRES * 10);
            }
            fix = new Fix(tNanos, day * DAY_MS + epochTimeMs, latE7, lonE7, hacc, hasGga ? quality : null, sats);
        }
        pending = false;
        epochTimeMs = -1;
        hasGga = false;
        hasRmc = false;
        quality = 0;
        rmcValid = false;
        rmcDay = Long.MIN_VALUE;
        latE7 = null;
        lonE7 = null;
        sats = null;
        hdop = Double.NaN;
        gstSigma = Double.NaN;
        return fix;
    }

    // ---- field parsers: NONE for an empty field, BAD for a malformed one ----

    private static final int NONE = -1;
    private static final int BAD = -2;
    private static final double BAD_D = -2.0;

    /** hhmmss[.sss] → milliseconds of the day. */
    private static long timeOfDay(String s) {
        if (s.isEmpty()) {
            return NONE;
        }
        if (s.length() < 6 || !digits(s, 0, 6)) {
            return BAD;
        }
        int hh = num(s, 0, 2);
        int mm = num(s, 2, 4);
        int ss = num(s, 4, 6);
        if (hh > 23 || mm > 59 || ss > 60) {
            return BAD;
        }
        int ms = 0;
        if (s.length() > 6) {
            if (s.charAt(6) != '.' || s.length() > 10 || !digits(s, 7, s.length())) {
                return BAD;
            }
            String frac = (s.substring(7) + "000").substring(0, 3);
            ms = Integer.parseInt(frac);
        }
        return ((hh * 60L + mm) * 60 + Math.min(ss, 59)) * 1000 + ms;
    }

    /** ddmmyy → days since 1970-01-01 (years 80..99 are 19xx, the rest 20xx). */
    private static long date(String s) {
        if (s.isEmpty()) {
            return NONE;
        }
        if (s.length() != 6 || !digits(s, 0, 6)) {
            return BAD;
        }
        int dd = num(s, 0, 2);
        int mo = num(s, 2, 4);
        int yy = num(s, 4, 6);
        if (dd < 1 || dd > 31 || mo < 1 || mo > 12) {
            return BAD;
        }
        int year = yy >= 80 ? 1900 + yy : 2000 + yy;
        try {
            return java.time.LocalDate.of(year, mo, dd).toEpochDay();
        } catch (java.time.DateTimeException e) {
            return BAD; // 31st of a 30-day month
        }
    }

    private static int intField(String s, int min, int max) {
        if (s.isEmpty()) {
            return NONE;
        }
        if (s.length() > 3 || !digits(s, 0, s.length())) {
            return BAD;
        }
        int v = num(s, 0, s.length());
        return v < min || v > max ? BAD : v;
    }

    private static double decimal(String s, double min, double max) {
        if (s.isEmpty()) {
            return Double.NaN;
        }
        double v = parseDecimal(s);
        return Double.isNaN(v) || v < min || v > max ? BAD_D : v;
    }

    /** Plain decimal (digits, at most one dot, no sign or exponent); NaN if not one. */
    private static double parseDecimal(String s) {
        if (s.length() > 16) {
            return Double.NaN;
        }
        long mantissa = 0;
        int scale = -1;
        int digitCount = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (scale >= 0) {
                    return Double.NaN;
                }
                scale = 0;
            } else if (c >= '0' && c <= '9') {
                mantissa = mantissa * 10 + (c - '0');
                digitCount++;
                if (scale >= 0) {
                    scale++;
                }
            } else {
                return Double.NaN;
            }
        }
        if (digitCount == 0) {
            return Double.NaN;
        }
        double v = mantissa;
        for (int i = 0; i < Math.max(scale, 0); i++) {
            v /= 10;
        }
        return v;
    }

    /**
     * {@code ddmm.mmmm,N,dddmm.mmmm,E} → {latE7, lonE7}; an empty array when all four are empty; null when
     * malformed or only partly present.
     */
    private static int[] position(String lat, String ns, String lon, String ew) {
        if (lat.isEmpty() && ns.isEmpty() && lon.isEmpty() && ew.isEmpty()) {
            return new int[0];
        }
        if (lat.isEmpty() || lon.isEmpty()) {
            return null;
        }
        double la = degrees(lat, 90);
        double lo = degrees(lon, 180);
        if (Double.isNaN(la) || Double.isNaN(lo)) {
            return null;
        }
        if (ns.equals("S")) {
            la = -la;
        } else if (!ns.equals("N")) {
            return null;
        }
        if (ew.equals("W")) {
            lo = -lo;
        } else if (!ew.equals("E")) {
            return null;
        }
        return new int[] {(int) Math.round(la * 1e7), (int) Math.round(lo * 1e7)};
    }

    private static double degrees(String s, int maxDegrees) {
        int dot = s.indexOf('.');
        int intLen = dot < 0 ? s.length() : dot;
        if (intLen < 3) {
            return Double.NaN;
        }
        double v = parseDecimal(s);
        if (Double.isNaN(v)) {
            return Double.NaN;
        }
        int deg = (int) (v / 100);
        double minutes = v - deg * 100.0;
        if (minutes >= 60 || deg > maxDegrees) {
            return Double.NaN;
        }
        double d = deg + minutes / 60.0;
        return d > maxDegrees ? Double.NaN : d;
    }

    private static boolean digits(String s, int from, int to) {
        if (to > s.length()) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int num(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return v;
    }
}
