package com.pettysync.simulator.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The relay behind {@code net:} faults: every byte arrives, in order, with the link impaired or not. */
class ImpairedLinkTest {

    @Test
    @Timeout(60)
    void everyByteArrivesInOrderThroughDelayAndStallsAndTheCountersSayWhatHappened() throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread server = Thread.ofPlatform().daemon().start(() -> {
                try (Socket s = echo.accept(); InputStream in = s.getInputStream();
                        OutputStream out = s.getOutputStream()) {
                    in.transferTo(out);
                } catch (java.io.IOException ignored) {
                    // the test closed the connection
                }
            });
            try (ImpairedLink link = new ImpairedLink("127.0.0.1",
                    new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), echo.getLocalPort()))) {
                link.impair(5, 0.1);
                SplittableRandom r = new SplittableRandom(7);
                try (Socket c = new Socket("127.0.0.1", link.port())) {
                    DataInputStream in = new DataInputStream(c.getInputStream());
                    OutputStream out = c.getOutputStream();
                    for (int i = 0; i < 40; i++) {
                        if (i == 20) {
                            link.clear();
                        }
                        byte[] msg = new byte[1 + r.nextInt(40_000)];
                        r.nextBytes(msg);
                        out.write(msg);
                        out.flush();
                        byte[] back = new byte[msg.length];
                        in.readFully(back);
                        assertArrayEquals(msg, back, "message " + i);
                    }
                }
                ImpairedLink.Stats st = link.stats();
                assertEquals(1, st.connections());
                assertTrue(st.stalled() > 0, "some chunks were held back as lost: " + st);
                assertTrue(st.stalled() < st.chunks(), st.toString());
                assertTrue(st.bytes() > 2 * 40, st.toString());
            }
            server.join(5000);
        }
    }

    @Test
    @Timeout(30)
    void aBrokerThatIsDownClosesTheClientsConnection() throws Exception {
        int freePort;
        try (ServerSocket s = new ServerSocket(0)) {
            freePort = s.getLocalPort();
        }
        try (ImpairedLink link = new ImpairedLink("127.0.0.1", new InetSocketAddress("127.0.0.1", freePort));
                Socket c = new Socket("127.0.0.1", link.port())) {
            assertEquals(-1, c.getInputStream().read(), "closed, not hanging");
            assertEquals(0, link.stats().connections());
        }
    }
}
