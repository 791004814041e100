package com.pettysync.provisioning.factory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.provisioning.factory.ProvisioningJournal.Entry;
import com.pettysync.provisioning.factory.ProvisioningJournal.State;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvisioningJournalTest {
    static final String KEY = "a".repeat(64);
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void recordsSurviveReopening() throws IOException {
        try (ProvisioningJournal j = ProvisioningJournal.open(dir)) {
            j.append(new Entry("collar-1", State.REQUESTING, KEY, null, null, null, T0));
            j.append(new Entry("collar-1", State.CERTIFICATE, null, "c1", null, null, T0.plusSeconds(1)));
            j.append(new Entry("collar-1", State.DONE, null, "c1", "arn:t1", null, T0.plusSeconds(2)));
        }
        try (ProvisioningJournal j = ProvisioningJournal.open(dir)) {
            assertEquals(State.DONE, j.latest("collar-1").orElseThrow().state());
            assertEquals(Optional.of("c1"), j.certificateOf("collar-1"));
            assertTrue(j.unansweredRequests().isEmpty());
        }
    }

    @Test
    void aRequestWithoutAnswerIsReportedWithItsKeyAndTime() throws IOException {
        try (ProvisioningJournal j = ProvisioningJournal.open(dir)) {
            j.append(new Entry("collar-2", State.REQUESTING, KEY, null, null, null, T0));
        }
        try (ProvisioningJournal j = ProvisioningJournal.open(dir)) {
            Entry e = j.unansweredRequests().get("collar-2");
            assertEquals(KEY, e.keyId());
            assertEquals(T0, e.at());
        }
    }

    @Test
    void aTornLastRecordIsCutAndTheRestKept() throws IOException {
        try (ProvisioningJournal j = ProvisioningJournal.open(dir)) {
            j.append(new Entry("collar-3", State.CERTIFICATE, null, "c3", null, null, T0));
        }
        Path file = dir.resolve(ProvisioningJournal.FILE);
        Files.write(file, "{\"thing\":\"collar-3\",\"state\":\"do".getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND);
        try (ProvisioningJournal j = ProvisioningJournal.open(dir)) {
            assertEquals(State.CERTIFICATE, j.latest("collar-3").orElseThrow().state());
            j.append(new Entry("collar-3", State.DONE, null, "c3", "arn", null, T0.plusSeconds(1)));
        }
        try (ProvisioningJournal j = ProvisioningJournal.open(dir)) {
            assertEquals(State.DONE, j.latest("collar-3").orElseThrow().state());
        }
        assertEquals(2, Files.readAllLines(file).size());
    }

    @Test
    void aDamagedRecordInTheMiddleIsRefused() throws IOException {
        Files.writeString(dir.resolve(ProvisioningJournal.FILE), "garbage\n{\"thing\":\"x\",\"state\":\"done\","
                + "\"at\":\"" + T0 + "\"}\n");
        var e = assertThrows(IOException.class, () -> ProvisioningJournal.open(dir));
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    }

    @Test
    void aSecondOpenWhileOneRunsIsRefused() throws IOException {
        try (ProvisioningJournal j = ProvisioningJournal.open(dir)) {
            var e = assertThrows(IOException.class, () -> ProvisioningJournal.open(dir));
            assertTrue(e.getMessage().contains("another provisioning run"), e.getMessage());
        }
    }
}
