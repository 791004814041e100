package com.pettysync.provisioning.factory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.pettysync.contract.topic.ThingName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollarBundleTest {
    static final ThingName THING = ThingName.of("collar-0001");

    @TempDir
    Path out;

    static CollarBundle.Contents contents(String cert, Optional<String> key) {
        return new CollarBundle.Contents(THING, cert, key, "ROOT", new DataEndpoint("localhost", 18883),
                "/var/lib/pettysync", CollarBundle.PRIVATE_KEY);
    }

    /** The disk, except that the n-th file write fails as a full disk does. */
    static BundleFiles fullAfter(int writes) {
        int[] left = {writes};
        return new BundleFiles() {
            public void write(Path file, byte[] content, boolean secret) throws IOException {
                if (left[0]-- <= 0) {
                    throw new IOException("No space left on device");
                }
                DISK.write(file, content, secret);
            }

            public void createDirectories(Path dir) throws IOException {
                DISK.createDirectories(dir);
            }

            public void syncDirectory(Path dir) throws IOException {
                DISK.syncDirectory(dir);
            }

            public void move(Path from, Path to) throws IOException {
                DISK.move(from, to);
            }

            public void deleteTree(Path dir) throws IOException {
                DISK.deleteTree(dir);
            }
        };
    }

    @Test
    void writesEveryFileWithTheKeyOwnerOnlyAndAnAgentConfigForTheEndpoint() throws IOException {
        Path dir = new CollarBundle(BundleFiles.DISK).write(out, contents("CERT", Optional.of("KEY")));
        assertEquals("CERT", Files.readString(dir.resolve(CollarBundle.CERTIFICATE)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve(CollarBundle.PRIVATE_KEY))));
        var agent = new ObjectMapper().readTree(dir.resolve(CollarBundle.AGENT_CONFIG).toFile());
        assertEquals("localhost", agent.get("endpoint").asText());
        assertEquals(18883, agent.get("port").asInt());
        assertEquals("collar-0001", agent.get("thingName").asText());
        assertEquals(CollarBundle.ROOT_CA, agent.get("caCertificate").asText());
    }

    @Test
    void aCsrBundleCarriesNoKey() throws IOException {
        Path dir = new CollarBundle(BundleFiles.DISK).write(out, contents("CERT", Optional.empty()));
        assertFalse(Files.exists(dir.resolve(CollarBundle.PRIVATE_KEY)));
    }

    @Test
    void aFullDiskLeavesNoBundleAndNoPartialDirectory() throws IOException {
        var e = assertThrows(IOException.class,
                () -> new CollarBundle(fullAfter(2)).write(out, contents("CERT", Optional.of("KEY"))));
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        try (var left = Files.list(out)) {
            assertEquals(0, left.count());
        }
    }

    @Test
    void aFailedRewriteKeepsTheEarlierCompleteBundle() throws IOException {
        new CollarBundle(BundleFiles.DISK).write(out, contents("OLD", Optional.empty()));
        assertThrows(IOException.class,
                () -> new CollarBundle(fullAfter(2)).write(out, contents("NEW", Optional.empty())));
        assertEquals("OLD", Files.readString(out.resolve("collar-0001").resolve(CollarBundle.CERTIFICATE)));
        try (var left = Files.list(out)) {
            assertEquals(1, left.count());
        }
        new CollarBundle(BundleFiles.DISK).write(out, contents("NEW", Optional.empty()));
        assertEquals("NEW", Files.readString(out.resolve("collar-0001").resolve(CollarBundle.CERTIFICATE)));
    }
}
