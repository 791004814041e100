package com.pettysync.agent.ota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher script's slot logic on real files and processes; systemd's restarts are the harness's loop. */
class LauncherTest {
    @TempDir
    Path data;
    Path slots;
    Launcher launcher;

    @BeforeEach
    void setUp() throws Exception {
        slots = data.resolve("slots");
        OtaFixture.writeSlot(slots, "a", 5);
        OtaFixture.writeSlot(slots, "b", 7);
        launcher = new Launcher(data);
    }

    private List<String> starts(int n) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(launcher.start());
        }
        return out;
    }

    @Test
    void startsTheCommittedSlotWhenThereIsNoTrial() throws Exception {
        assertEquals(List.of("a", "a"), starts(2));
        assertFalse(Files.exists(slots.resolve("boot")), "nothing to write without a trial");
    }

    @Test
    void aTrialThatCrashesAtEveryStartGoesBackAfterThreeStarts() throws Exception {
        new BootState("a", "b", 0, "switched to b").write(slots);
        launcher.behaviour("b", "crash");
        assertEquals(List.of("b", "b", "b", "a", "a"), starts(5));
        BootState b = BootState.read(slots);
        assertEquals(new BootState("a", "", 0, "rolled back b: 3 trial starts without a commit (crash or hang)"), b);
    }

    @Test
    void aTrialThatHangsUntilTheWatchdogKillsItGoesBack() throws Exception {
        new BootState("a", "b", 0, "switched to b").write(slots);
        launcher.behaviour("b", "hang");
        assertEquals(List.of("b", "b", "b", "a"), starts(4));
        assertTrue(BootState.read(slots).last().startsWith("rolled back b: 3 trial starts"));
    }

    @Test
    void aCommittedTrialStaysAndIsNoLongerCounted() throws Exception {
        new BootState("a", "b", 0, "switched to b").write(slots);
        launcher.behaviour("b", "commit");
        assertEquals(List.of("b", "b", "b", "b", "b"), starts(5));
        assertEquals("b", BootState.read(slots).committed());
        assertFalse(BootState.read(slots).hasTrial());
    }

    @Test
    void aTrialSlotWithoutABuildIsNeverStarted() throws Exception {
        Files.delete(slots.resolve("b").resolve(FirmwareArtifact.MANIFEST));
        new BootState("a", "b", 0, "switched to b").write(slots);
        assertEquals(List.of("a"), starts(1));
        assertEquals("rolled back b: the trial slot holds no build", BootState.read(slots).last());
    }

    @Test
    void aGarbledBootFileStartsSlotA() throws Exception {
        Files.writeString(slots.resolve("boot"), "committed=z\ntrial=q\nattempts=x\n");
        assertEquals(List.of("a"), starts(1));
    }

    @Test
    void aMissingCommittedSlotFallsBackToTheOtherOne() throws Exception {
        new BootState("b", "", 0, "").write(slots);
        Files.delete(slots.resolve("b").resolve(FirmwareArtifact.MANIFEST));
        assertEquals(List.of("a"), starts(1));
    }

    @Test
    void theScriptDecidesAsBootStateStartForEveryState() throws Exception {
        for (String committed : List.of("a", "b")) {
            for (String trial : List.of("", "a", "b")) {
                for (int attempts : new int[] {0, 2, 3}) {
                    for (boolean bInstalled : List.of(true, false)) {
                        if (bInstalled) {
                            OtaFixture.writeSlot(slots, "b", 7);
                        } else {
                            Files.deleteIfExists(slots.resolve("b").resolve(FirmwareArtifact.MANIFEST));
                        }
                        BootState state = new BootState(committed, trial, attempts, "x");
                        state.write(slots);
                        BootState.Start expected = state.start(s -> Files.exists(slots.resolve(s)
                                .resolve(FirmwareArtifact.MANIFEST)));
                        String started = launcher.start();
                        String where = state + " b installed " + bInstalled;
                        assertEquals(expected.slot(), started, where);
                        assertEquals(expected.next(), BootState.read(slots), where);
                    }
                }
            }
        }
    }
}
