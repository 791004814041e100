package com.pettysync.agent.ota;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.tinylog.Logger;

/**
 * The real A/B slots: two directories under {@code <data>/slots} and the {@link BootState} file the launcher
 * script reads before it starts the JVM.
 *
 * <pre>
 * &lt;data&gt;/slots/boot              boot state ({@link BootState})
 * &lt;data&gt;/slots/a/slot.properties  build=…, securityVersion=… ({@link FirmwareArtifact.Manifest})
 * &lt;data&gt;/slots/a/lib/*.jar        class path of slot A (installed by the .deb)
 * &lt;data&gt;/slots/b/…                slot B (installed over the air)
 * &lt;data&gt;/slots/b.new/             an install in progress (removed at the next install)
 * &lt;data&gt;/slots/b.old/             the previous content of b while it is being replaced
 * </pre>
 *
 * <p><b>Guarantee: a power cut at any instant leaves a bootable slot.</b> An install writes only the inactive slot
 * (under {@code .new}, every file fsynced, then renamed into place; the boot state still names the running slot
 * as committed). The switch is one atomic replacement of the boot file. The launcher starts a trial at most
 * {@link BootState#MAX_TRIAL_STARTS} times and starts the committed slot when a trial slot has no
 * {@value FirmwareArtifact#MANIFEST}. The committed slot is only ever changed by {@link #commit()} from a trial
 * that passed its health check.
 *
 * <p>The running slot is the one the launcher named ({@code -Dpettysync.slot=a|b}). Without it (a development run,
 * not started by the launcher) the agent is "unslotted": it reports {@link #UNSLOTTED_BUILD}, installs into slot B
 * if A is committed, and after the switch the next start through the launcher is the trial.
 */
public final class DirectorySlots implements FirmwareSlots {
    /** The build an agent not started from a slot reports. */
    public static final long UNSLOTTED_BUILD = 1;
    /** System property through which the launcher names the running slot. */
    public static final String SLOT_PROPERTY = "pettysync.slot";

    /**
     * Called with the name of each step of an install and a switch, after it is done (tests stop the process
     * there with SIGKILL to show that a cut at any step still boots). Never set outside tests.
     */
    static volatile java.util.function.Consumer<String> stepHook = step -> { };

    private final Path root;
    private final String running; // null: unslotted
    private final long runningBuild;

    /**
     * @param root {@code <data>/slots}
     * @param runningSlot "a" or "b" as named by the launcher, or null when not started from a slot
     */
    public DirectorySlots(Path root, String runningSlot) {
        this.root = root;
        this.running = BootState.isSlot(runningSlot) ? runningSlot : null;
        long build = UNSLOTTED_BUILD;
        if (running != null) {
            try {
                build = FirmwareArtifact.Manifest.parse(Files.readString(root.resolve(running)
                        .resolve(FirmwareArtifact.MANIFEST), StandardCharsets.UTF_8)).build();
            } catch (IOException | InstallException e) {
                Logger.warn("slot {} has no readable {}; reporting build {}", running, FirmwareArtifact.MANIFEST,
                        UNSLOTTED_BUILD);
            }
        }
        this.runningBuild = build;
    }

    /** The slots of the data directory, running slot from {@value #SLOT_PROPERTY}. */
    public static DirectorySlots ofDataDirectory(Path dataDirectory) {
        return new DirectorySlots(dataDirectory.resolve("slots"), System.getProperty(SLOT_PROPERTY));
    }

    @Override
    public long runningBuild() {
        return runningBuild;
    }

    /** The running slot, or null when unslotted. */
    public String runningSlot() {
        return running;
    }

    @Override
    public boolean onTrial() {
        BootState b = BootState.read(root);
        return running != null && b.hasTrial() && b.trial().equals(running);
    }

    @Override
    public String lastOutcome() {
        return BootState.read(root).last();
    }

    private String target() {
        BootState b = BootState.read(root);
        String base = running != null ? running : b.committed();
        return BootState.other(base);
    }

    @Override
    public FirmwareArtifact.Manifest install(Path artifact) throws InstallException {
        String slot = target();
        Path dir = root.resolve(slot);
        Path fresh = root.resolve(slot + ".new");
        Path old = root.resolve(slot + ".old");
        try {
            Files.createDirectories(root);
            BootState b = BootState.read(root);
            if (b.hasTrial() && b.trial().equals(slot)) {
                // a switch that was never started: take the trial back before its slot is rewritten
                new BootState(b.committed(), "", 0, "install over a pending trial of " + slot).write(root);
            }
            deleteTree(fresh);
            deleteTree(old);
            FirmwareArtifact.Manifest m = FirmwareArtifact.unpack(artifact, fresh);
            stepHook.accept("unpacked");
            if (Files.exists(dir)) {
                Files.move(dir, old, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                stepHook.accept("old-moved-aside");
            }
            Files.move(fresh, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Durable.syncDirectory(root);
            stepHook.accept("new-in-place");
            deleteTree(old);
            stepHook.accept("old-deleted");
            Logger.info("build {} installed in slot {}", m.build(), slot);
            return m;
        } catch (IOException e) {
            throw new InstallException("cannot install into slot " + slot + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void switchToTrial() throws IOException {
        BootState b = BootState.read(root);
        String slot = target();
        if (!Files.exists(root.resolve(slot).resolve(FirmwareArtifact.MANIFEST))) {
            throw new IOException("slot " + slot + " holds no installed build");
        }
        String committed = running != null ? running : b.committed();
        stepHook.accept("before-switch");
        new BootState(committed, slot, 0, "switched to " + slot).write(root);
        stepHook.accept("switched");
        Logger.info("slot {} is the trial slot; {} stays committed", slot, committed);
    }

    @Override
    public void commit() throws IOException {
        if (running == null) {
            throw new IOException("not started from a slot");
        }
        new BootState(running, "", 0, "committed " + running + " build " + runningBuild).write(root);
        Logger.info("slot {} (build {}) committed", running, runningBuild);
    }

    @Override
    public void rollback(String reason) throws IOException {
        BootState b = BootState.read(root);
        String back = b.committed(); // a trial never changes the committed slot
        new BootState(back, "", 0, "rolled back " + (running == null ? b.trial() : running) + ": " + reason)
                .write(root);
        Logger.warn("trial of slot {} rolled back to {}: {}", running, back, reason);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
