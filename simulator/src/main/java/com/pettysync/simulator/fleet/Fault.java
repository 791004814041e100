package com.pettysync.simulator.fleet;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fault scenario, at a simulated time after the start:
 * <pre>
 *   broker-restart@10m          the broker stops and starts again (its store, CA, port survive; sessions do not)
 *   offline:20%@15m+10m         20 % of the collars lose their network at 15 min for 10 min, then reconnect
 *   kill@30m   kill:5@30m       1 (5) collar(s) killed mid-publish (while a publish awaits its PUBACK), restarted
 *   net:150ms/2%@10m+5m         a bad network for every collar from 10 min for 5 min: 150 ms one way (real time),
 *                               2 % of the TCP chunks stalled a retransmission timeout ({@link ImpairedLink})
 * </pre>
 * Durations: {@code 90s}, {@code 10m}, {@code 1h}, or ISO-8601 ({@code PT10M}).
 *
 * @param fraction offline: share of collars (0…1); kill: number of collars; net: share of chunks lost (0…1)
 * @param delay    net: one-way latency (real time); zero otherwise
 */
public record Fault(Kind kind, Duration at, double fraction, Duration length, String spec, Duration delay) {
    public enum Kind { BROKER_RESTART, OFFLINE, KILL, NETWORK }

    public Fault(Kind kind, Duration at, double fraction, Duration length, String spec) {
        this(kind, at, fraction, length, spec, Duration.ZERO);
    }

    private static final Pattern RESTART = Pattern.compile("broker-restart@(\\S+)");
    private static final Pattern OFFLINE = Pattern.compile("offline:(\\d+(?:\\.\\d+)?)%@([^+]+)\\+(\\S+)");
    private static final Pattern KILL = Pattern.compile("kill(?::(\\d+))?@(\\S+)");
    private static final Pattern NETWORK = Pattern.compile(
            "net:(\\d+)ms(?:/(\\d+(?:\\.\\d+)?)%)?@([^+]+)\\+(\\S+)");

    /** Parses one {@code --fault} value; IllegalArgumentException with the accepted forms otherwise. */
    public static Fault parse(String spec) {
        String s = spec.strip().toLowerCase(Locale.ROOT);
        Matcher m;
        if ((m = RESTART.matcher(s)).matches()) {
            return new Fault(Kind.BROKER_RESTART, duration(m.group(1)), 0, Duration.ZERO, s);
        }
        if ((m = OFFLINE.matcher(s)).matches()) {
            double pct = Double.parseDouble(m.group(1));
            if (pct <= 0 || pct > 100) {
                throw new IllegalArgumentException("offline share must be in (0, 100] %: " + spec);
            }
            return new Fault(Kind.OFFLINE, duration(m.group(2)), pct / 100, duration(m.group(3)), s);
        }
        if ((m = KILL.matcher(s)).matches()) {
            int n = m.group(1) == null ? 1 : Integer.parseInt(m.group(1));
            return new Fault(Kind.KILL, duration(m.group(2)), n, Duration.ZERO, s);
        }
        if ((m = NETWORK.matcher(s)).matches()) {
            long ms = Long.parseLong(m.group(1));
            double pct = m.group(2) == null ? 0 : Double.parseDouble(m.group(2));
            if (ms > 10_000 || pct >= 100) {
                throw new IllegalArgumentException("net: delay ≤ 10000 ms and loss < 100 %: " + spec);
            }
            return new Fault(Kind.NETWORK, duration(m.group(3)), pct / 100, duration(m.group(4)), s,
                    Duration.ofMillis(ms));
        }
        throw new IllegalArgumentException("unknown fault \"" + spec + "\"; use broker-restart@T, offline:P%@T+D,"
                + " kill[:N]@T or net:DELAYms[/LOSS%]@T+D (T, D like 90s, 10m, 1h)");
    }

    /** {@code 90s}, {@code 10m}, {@code 1h}, {@code 2d} or ISO-8601. */
    public static Duration duration(String v) {
        String s = v.strip().toLowerCase(Locale.ROOT);
        try {
            if (s.startsWith("pt") || s.startsWith("p")) {
                return Duration.parse(s.toUpperCase(Locale.ROOT));
            }
            double n = Double.parseDouble(s.substring(0, s.length() - 1));
            long ms = switch (s.charAt(s.length() - 1)) {
                case 's' -> Math.round(n * 1000);
                case 'm' -> Math.round(n * 60_000);
                case 'h' -> Math.round(n * 3_600_000);
                case 'd' -> Math.round(n * 86_400_000);
                default -> throw new IllegalArgumentException();
            };
            if (ms < 0) {
                throw new IllegalArgumentException();
            }
            return Duration.ofMillis(ms);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a duration: \"" + v + "\" (use 90s, 10m, 1h or PT10M)");
        }
    }
}
