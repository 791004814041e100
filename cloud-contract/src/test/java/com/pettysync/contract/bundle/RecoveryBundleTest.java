package com.pettysync.contract.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.contract.topic.DataStream;
import com.pettysync.contract.topic.ThingName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryBundleTest {
    @TempDir
    Path dir;

    private Path write(int records) throws Exception {
        Path file = dir.resolve("collar.bundle");
        try (RecoveryBundle.Writer w = new RecoveryBundle.Writer(file, ThingName.of("collar-7"), 1234, "test")) {
            for (int i = 0; i < records; i++) {
                w.add(DataStream.values()[i % 4], new byte[] {(byte) i, 2, 3});
            }
            RecoveryBundle.Manifest m = w.finish();
            assertEquals(records, m.records());
        }
        return file;
    }

    @Test
    void recordsComeBackInOrderWithTheManifest() throws Exception {
        Path file = write(9);
        List<RecoveryBundle.Record> got = new ArrayList<>();
        RecoveryBundle.Manifest m = RecoveryBundle.read(file, got::add);
        assertEquals(ThingName.of("collar-7"), m.thing());
        assertEquals(1234, m.exportedAtMs());
        assertEquals(3L, m.counts().get(DataStream.TELEMETRY));
        assertEquals(2L, m.counts().get(DataStream.RAW));
        assertEquals(9, got.size());
        assertEquals(DataStream.EVENTS, got.get(5).stream());
        assertArrayEquals(new byte[] {5, 2, 3}, got.get(5).payload());
        assertFalse(Files.exists(dir.resolve("collar.bundle.tmp")));
        assertFalse(Files.exists(dir.resolve("collar.bundle.records.tmp")));
    }

    @Test
    void everyFlippedByteAndEveryTruncationIsRefusedBeforeAnyRecordIsHandedOut() throws Exception {
        byte[] good = Files.readAllBytes(write(5));
        Path bad = dir.resolve("bad.bundle");
        for (int i = 0; i < good.length; i++) {
            byte[] b = good.clone();
            b[i] ^= 0x01;
            Files.write(bad, b);
            List<RecoveryBundle.Record> got = new ArrayList<>();
            assertThrows(RecoveryBundle.BundleException.class, () -> RecoveryBundle.read(bad, got::add),
                    "flipped byte " + i);
            assertTrue(got.isEmpty());
        }
        for (int n = 0; n < good.length; n++) {
            Files.write(bad, Arrays.copyOf(good, n));
            assertThrows(RecoveryBundle.BundleException.class, () -> RecoveryBundle.verify(bad), "length " + n);
        }
        Files.write(bad, Arrays.copyOf(good, good.length + 1));
        assertTrue(assertThrows(RecoveryBundle.BundleException.class, () -> RecoveryBundle.verify(bad))
                .getMessage().contains("after the trailer"));
        byte[] cut = Arrays.copyOf(good, good.length - 40);
        Files.write(bad, cut);
        assertTrue(assertThrows(RecoveryBundle.BundleException.class, () -> RecoveryBundle.verify(bad))
                .getMessage().contains("truncated"));
        Files.writeString(bad, "hello, this is not a bundle at all");
        assertTrue(assertThrows(RecoveryBundle.BundleException.class, () -> RecoveryBundle.verify(bad))
                .getMessage().contains("not a recovery bundle"));
    }

    @Test
    void anUnfinishedWriterLeavesNoFile() throws Exception {
        Path file = dir.resolve("x.bundle");
        try (RecoveryBundle.Writer w = new RecoveryBundle.Writer(file, ThingName.of("c"), 1, "t")) {
            w.add(DataStream.TELEMETRY, new byte[] {1});
        }
        try (var s = Files.list(dir)) {
            assertEquals(0, s.count());
        }
    }
}
