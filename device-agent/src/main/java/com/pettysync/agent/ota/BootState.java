package com.pettysync.agent.ota;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The boot state of the A/B slots: which slot is committed, which one (if any) is on trial and how many times it
 * was started. Read and written by the agent ({@link DirectorySlots}) and by the launcher script
 * ({@code src/deb/pettysync-launcher}); always replaced whole with {@link Durable#write} (tmp, fsync, rename), so
 * a power cut leaves the old or the new state, never a mix.
 *
 * <pre>
 * &lt;data&gt;/slots/boot        (text, one key=value per line, in this order)
 *   committed=a|b          the slot known good: started when there is no trial, and after a failed one
 *   trial=|a|b             the slot to try next (empty: none)
 *   attempts=N             trial starts so far (the launcher adds 1 before each; at 3 it rolls back)
 *   last=&lt;text&gt;            one line: the last trial's outcome ("committed b build 7",
 *                          "rolled back b: …"), empty when none
 * </pre>
 *
 * A missing file is {@code committed=a} with no trial (the state the .deb installs). An unreadable or garbled file
 * is the same: slot A is always installed by the package.
 *
 * @param committed the committed slot
 * @param trial the trial slot, or "" for none
 * @param attempts trial starts so far
 * @param last the last outcome
 */
public record BootState(String committed, String trial, int attempts, String last) {
    /** The file name under the slots directory. */
    public static final String FILE = "boot";
    /** Trial starts before the launcher gives up on a trial slot (RAUC's default boot attempts). */
    public static final int MAX_TRIAL_STARTS = 3;
    /** The state of a fresh install. */
    public static final BootState INITIAL = new BootState("a", "", 0, "");

    public BootState {
        if (!isSlot(committed) || !(trial.isEmpty() || isSlot(trial)) || attempts < 0) {
            throw new IllegalArgumentException("bad boot state");
        }
        last = last.replaceAll("[\\r\\n]+", " ");
    }

    static boolean isSlot(String s) {
        return "a".equals(s) || "b".equals(s);
    }

    /** The other slot. */
    public static String other(String slot) {
        return "a".equals(slot) ? "b" : "a";
    }

    /** Whether a trial is pending or running. */
    public boolean hasTrial() {
        return !trial.isEmpty();
    }

    /**
     * What the launcher decides at a start (the launcher script does exactly this; the simulator and the tests call
     * it for an in-process restart).
     *
     * @param slot the slot to start
     * @param next the boot state to write before starting it (this state when nothing changes)
     */
    public record Start(String slot, BootState next) {}

    /**
     * The launcher's decision: a trial slot is started while it has attempts left (each start counted before it
     * happens); after {@link #MAX_TRIAL_STARTS} starts without a commit, or when the trial slot holds no installed
     * build, the committed slot starts and the trial ends as rolled back. When the chosen slot has no installed build
     * but the other one has, the other one starts (a bootable slot wins over a missing one).
     *
     * @param installed whether a slot holds an installed build ({@value FirmwareArtifact#MANIFEST} present)
     */
    public Start start(java.util.function.Predicate<String> installed) {
        BootState next = this;
        String slot = committed;
        if (hasTrial()) {
            if (!installed.test(trial)) {
                next = new BootState(committed, "", 0, "rolled back " + trial + ": the trial slot holds no build");
            } else if (attempts >= MAX_TRIAL_STARTS) {
                next = new BootState(committed, "", 0, "rolled back " + trial + ": " + MAX_TRIAL_STARTS
                        + " trial starts without a commit (crash or hang)");
            } else {
                next = new BootState(committed, trial, attempts + 1, last);
                slot = trial;
            }
        }
        if (!installed.test(slot) && installed.test(other(slot))) {
            slot = other(slot);
        }
        return new Start(slot, next);
    }

    String text() {
        return "committed=" + committed + "\ntrial=" + trial + "\nattempts=" + attempts + "\nlast=" + last + "\n";
    }

    /** Reads the boot state of {@code slotsDir}; a missing or garbled file is {@link #INITIAL}. */
    public static BootState read(Path slotsDir) {
        try {
            String committed = "a";
            String trial = "";
            int attempts = 0;
            String last = "";
            for (String line : Files.readAllLines(slotsDir.resolve(FILE), StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String k = line.substring(0, eq);
                String v = line.substring(eq + 1);
                switch (k) {
                    case "committed" -> committed = v;
                    case "trial" -> trial = v;
                    case "attempts" -> attempts = Integer.parseInt(v);
                    case "last" -> last = v;
                    default -> { }
                }
            }
            return new BootState(committed, trial, attempts, last);
        } catch (NoSuchFileException e) {
            return INITIAL;
        } catch (IOException | IllegalArgumentException e) {
            return INITIAL;
        }
    }

    /** Replaces the boot state of {@code slotsDir} atomically. */
    public void write(Path slotsDir) throws IOException {
        Files.createDirectories(slotsDir);
        Durable.write(slotsDir.resolve(FILE), text().getBytes(StandardCharsets.UTF_8));
    }
}
