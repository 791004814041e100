package com.pettysync.simulator.cloud;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.simulator.cloud.ListenPorts.EphemeralRange;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class ListenPortsTest {
    @Test
    void drawsAboveTheEphemeralRangeWhereThereIsRoom() {
        assertArrayEquals(new int[] {61000, 65535}, ListenPorts.candidates(new EphemeralRange(32768, 60999)));
    }

    @Test
    void drawsBelowTheEphemeralRangeWhenItReachesTheTop() {
        assertArrayEquals(new int[] {1024, 49151}, ListenPorts.candidates(new EphemeralRange(49152, 65535)));
        assertArrayEquals(new int[] {1024, 65299}, ListenPorts.candidates(new EphemeralRange(65300, 65535)));
    }

    @Test
    void refusesARangeThatIsNotOne() {
        assertThrows(IllegalArgumentException.class, () -> new EphemeralRange(61000, 32768));
        assertThrows(IllegalArgumentException.class, () -> new EphemeralRange(0, 100));
    }

    @Test
    void aFreePortLiesOutsideThisMachinesEphemeralRangeAndCanBeListenedOn() throws Exception {
        EphemeralRange range = EphemeralRange.read();
        for (int i = 0; i < 20; i++) {
            int port = ListenPorts.free("127.0.0.1");
            assertTrue(port < range.low() || port > range.high(), port + " inside " + range);
            assertTrue(port >= 1024, "unprivileged: " + port);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
                assertTrue(s.isBound());
            }
        }
    }
}
