package com.pettysync.drivers.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

class ReopeningSerialStreamTest {

    /** A port that serves its bytes, then fails once when told to. */
    static final class ScriptedPort implements SerialStream {
        final Deque<Object> reads = new ArrayDeque<>();
        boolean closed;

        @Override
        public int read(byte[] destination, int offset, int length) throws IOException {
            Object next = reads.poll();
            if (next == null) {
                return 0;
            }
            if (next instanceof IOException e) {
                throw e;
            }
            byte[] b = (byte[]) next;
            System.arraycopy(b, 0, destination, offset, b.length);
            return b.length;
        }

        @Override
        public void write(byte[] bytes) {
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void aPortThatIsNotThereReadsAsUnavailableAndIsOpenedWhenItAppears() throws IOException {
        ScriptedPort later = new ScriptedPort();
        later.reads.add(new byte[] {'$', 'G'});
        boolean[] present = {false};
        ReopeningSerialStream s = new ReopeningSerialStream("/dev/ttyAMA0", () -> {
            if (!present[0]) {
                throw new IOException("cannot open serial port /dev/ttyAMA0");
            }
            return later;
        });
        FileNotFoundException f = assertThrows(FileNotFoundException.class, () -> s.read(new byte[8], 0, 8));
        assertTrue(f.getMessage().contains("/dev/ttyAMA0"), f.getMessage());
        assertEquals(0, s.opens());
        present[0] = true;
        byte[] buf = new byte[8];
        assertEquals(2, s.read(buf, 0, 8));
        assertEquals('G', buf[1]);
        assertEquals(1, s.opens());
    }

    @Test
    void aFailedReadClosesThePortAndTheNextReadOpensAFreshOne() throws IOException {
        ScriptedPort first = new ScriptedPort();
        first.reads.add(new IOException("Input/output error"));
        ScriptedPort second = new ScriptedPort();
        second.reads.add(new byte[] {'x'});
        Deque<ScriptedPort> ports = new ArrayDeque<>(java.util.List.of(first, second));
        ReopeningSerialStream s = new ReopeningSerialStream("uart", ports::poll);
        IOException e = assertThrows(IOException.class, () -> s.read(new byte[4], 0, 4));
        assertEquals("Input/output error", e.getMessage());
        assertTrue(first.closed, "the failed port is closed");
        assertEquals(1, s.read(new byte[4], 0, 4));
        assertEquals(2, s.opens());
        s.close();
        assertTrue(second.closed);
    }
}
