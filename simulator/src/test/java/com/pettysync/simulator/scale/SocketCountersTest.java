package com.pettysync.simulator.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code ss -tinH state established} output: the first two sockets were captured on this machine (a loopback pair,
 * 1,000 bytes one way and 300 the other, listener on 47445); the last two were written in the same format (an
 * IPv6-mapped address on the listening port, and an unrelated port that must not be counted).
 */
class SocketCountersTest {
    private static String captured() throws Exception {
        try (InputStream in = SocketCountersTest.class.getResourceAsStream("/scale/ss-tinH-established.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void sumsTheCountersOfTheSocketsWhoseLocalPortIsTheListenersOnly() throws Exception {
        SocketCounters c = SocketCounters.parse(captured(), Set.of(47445));
        assertEquals(2, c.sockets(), "the listener's end and the v6-mapped one; not the client's end (remote 47445)");
        assertEquals(300 + 5000, c.bytesSent());
        assertEquals(300 + 4990, c.bytesAcked());
        assertEquals(1000 + 7000, c.bytesReceived());
    }

    @Test
    void noMatchingPortCountsNothingAndSnapshotsSubtract() throws Exception {
        assertEquals(new SocketCounters(0, 0, 0, 0), SocketCounters.parse(captured(), Set.of(18900)));
        SocketCounters later = new SocketCounters(2, 900, 800, 5000);
        assertEquals(new SocketCounters(2, 600, 500, 4000), later.minus(new SocketCounters(2, 300, 300, 1000)));
    }
}
