package com.pettysync.simulator.cloud;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports a server listens on when its owner must know the port before the server binds it (the embedded broker
 * writes its port into its configuration and keeps it across restarts).
 *
 * <p>A port that was free a moment ago is not reserved: if it lies inside {@code net.ipv4.ip_local_port_range},
 * any outgoing connection on the machine — a collar of a parallel test, a Maven download — may take it as its source
 * port before the server binds. So the port is drawn from outside that range (above it where at least
 * {@value #MIN_RANGE} ports lie there, else below it, never under 1024) and checked free by binding it. Servers
 * that can bind port 0 themselves should do that instead and read the port back.
 */
public final class ListenPorts {
    static final int MIN_RANGE = 256;
    private static final int FIRST_UNPRIVILEGED = 1024;
    private static final int ATTEMPTS = 64;
    private static final Path RANGE_FILE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    private ListenPorts() {
    }

    /** {@code [low, high]} of {@code net.ipv4.ip_local_port_range}. */
    public record EphemeralRange(int low, int high) {
        public EphemeralRange {
            if (low < 1 || high > 65535 || low > high) {
                throw new IllegalArgumentException("not a port range: " + low + "–" + high);
            }
        }

        /** Ports in the range. */
        public int size() {
            return high - low + 1;
        }

        /** This machine's range. */
        public static EphemeralRange read() throws IOException {
            List<String> lines = Files.readAllLines(RANGE_FILE);
            String[] f = lines.isEmpty() ? new String[0] : lines.get(0).trim().split("\\s+");
            if (f.length != 2) {
                throw new IOException("unexpected " + RANGE_FILE + ": " + lines);
            }
            try {
                return new EphemeralRange(Integer.parseInt(f[0]), Integer.parseInt(f[1]));
            } catch (IllegalArgumentException e) {
                throw new IOException("unexpected " + RANGE_FILE + ": " + lines, e);
            }
        }
    }

    /**
     * A port free on {@code bindAddress} now, outside this machine's ephemeral range where the machine has one;
     * the kernel's choice where {@code /proc} does not say.
     */
    public static int free(String bindAddress) {
        try {
            InetAddress address = InetAddress.getByName(bindAddress);
            EphemeralRange range;
            try {
                range = EphemeralRange.read();
            } catch (IOException e) {
                return kernelChoice(address);
            }
            int[] candidates = candidates(range);
            if (candidates[1] < candidates[0]) {
                return kernelChoice(address);
            }
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < ATTEMPTS; i++) {
                int port = random.nextInt(candidates[0], candidates[1] + 1);
                try (ServerSocket s = new ServerSocket(port, 1, address)) {
                    return s.getLocalPort();
                } catch (IOException taken) {
                    // another listener has it: draw again
                }
            }
            throw new IOException("no free port in " + candidates[0] + "–" + candidates[1] + " after " + ATTEMPTS
                    + " tries");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a port to listen on at " + bindAddress, e);
        }
    }

    /** {@code [first, last]} to draw from: above the range if it leaves room, else below it. */
    static int[] candidates(EphemeralRange range) {
        if (65535 - range.high() >= MIN_RANGE) {
            return new int[] {range.high() + 1, 65535};
        }
        return new int[] {FIRST_UNPRIVILEGED, range.low() - 1};
    }

    private static int kernelChoice(InetAddress address) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, address)) {
            return s.getLocalPort();
        }
    }
}
