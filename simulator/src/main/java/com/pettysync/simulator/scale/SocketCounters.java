package com.pettysync.simulator.scale;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The kernel's byte counters of the brokers' TCP connections, read with iproute2's {@code ss -tinH state
 * established}: for every socket whose <em>local</em> port is a broker's listening port (the broker's end of a
 * collar's connection), {@code bytes_received} (collar → broker) and {@code bytes_sent} (broker → collar) are summed.
 * These are TCP payload bytes, i.e. the TLS records on the wire (handshakes, frames, PUBACKs, pings, shadow traffic,
 * everything the connection carried), without TCP/IP headers. Two snapshots subtracted give what the fleet cost on the
 * wire in between. Without {@code ss} nothing is measured (the caller says "not measured").
 *
 * <p>Output parsed (one socket line, then its indented info line; the state column is absent with a state filter):
 * <pre>
 * 0      0      127.0.0.1:18900 127.0.0.2:59872
 *          bbr wscale:10,10 rto:204 … bytes_sent:300 bytes_acked:300 bytes_received:1000 segs_out:2 …
 * </pre>
 *
 * @param sockets       sockets counted
 * @param bytesSent     broker → collars, bytes handed to TCP
 * @param bytesAcked    broker → collars, bytes the collars acknowledged
 * @param bytesReceived collars → broker
 */
public record SocketCounters(int sockets, long bytesSent, long bytesAcked, long bytesReceived) {

    /** Sums the counters of the sockets in {@code ssOutput} whose local port is one of {@code localPorts}. */
    public static SocketCounters parse(String ssOutput, Set<Integer> localPorts) {
        int sockets = 0;
        long sent = 0, acked = 0, received = 0;
        boolean counting = false;
        for (String line : ssOutput.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (!Character.isWhitespace(line.charAt(0))) {
                Integer port = localPort(line);
                counting = port != null && localPorts.contains(port);
                if (counting) {
                    sockets++;
                }
            }
            if (counting) {
                for (String token : line.trim().split("\\s+")) {
                    if (token.startsWith("bytes_sent:")) {
                        sent += value(token);
                    } else if (token.startsWith("bytes_acked:")) {
                        acked += value(token);
                    } else if (token.startsWith("bytes_received:")) {
                        received += value(token);
                    }
                }
            }
        }
        return new SocketCounters(sockets, sent, acked, received);
    }

    /** What {@code ss} shows now for {@code localPorts}; empty when {@code ss} cannot be run. */
    public static Optional<SocketCounters> measure(Set<Integer> localPorts) {
        try {
            List<String> cmd = new ArrayList<>(List.of("ss", "-tinH", "state", "established"));
            // the kernel filters: only the brokers' ends of the connections are printed
            cmd.add(localPorts.stream().sorted().map(p -> "sport = :" + p)
                    .collect(Collectors.joining(" or ", "( ", " )")));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return Optional.of(parse(out, localPorts));
        } catch (IOException e) {
            return Optional.empty(); // no ss on this machine
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** This snapshot minus an earlier one (sockets: this snapshot's). */
    public SocketCounters minus(SocketCounters earlier) {
        return new SocketCounters(sockets, bytesSent - earlier.bytesSent, bytesAcked - earlier.bytesAcked,
                bytesReceived - earlier.bytesReceived);
    }

    /** The local address's port of a socket line: the first {@code address:port} token. */
    private static Integer localPort(String socketLine) {
        for (String token : socketLine.trim().split("\\s+")) {
            int colon = token.lastIndexOf(':');
            if (colon > 0 && colon < token.length() - 1 && (token.contains(".") || token.startsWith("["))) {
                try {
                    return Integer.parseInt(token.substring(colon + 1));
                } catch (NumberFormatException notAnAddress) {
                    return null;
                }
            }
        }
        return null;
    }

    private static long value(String token) {
        return Long.parseLong(token.substring(token.indexOf(':') + 1));
    }
}
