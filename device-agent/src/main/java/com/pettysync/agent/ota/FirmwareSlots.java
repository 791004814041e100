package com.pettysync.agent.ota;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The A/B slot seam of a firmware update: where the running build lives, where the next one goes, and the one
 * atomic switch between them. {@link DirectorySlots} is the real one (directories + a boot file read by the
 * launcher script); the simulator keeps slots in memory and simulates the restart.
 */
public interface FirmwareSlots {

    /** The build running now. */
    long runningBuild();

    /** Whether the running build was started as a trial (switched to, not yet committed). */
    boolean onTrial();

    /** The last trial's outcome as the launcher or the agent left it ("" when none). */
    String lastOutcome();

    /**
     * Unpacks a verified firmware artifact into the inactive slot, replacing whatever was there. The running slot
     * and the boot state are not touched: a failure (or a power cut) here leaves the collar as it was.
     *
     * @return the build and security version the artifact declares
     */
    FirmwareArtifact.Manifest install(Path artifact) throws InstallException;

    /**
     * The switch: one atomic write of the boot state making the inactive slot the trial slot (the committed slot
     * stays the fallback). Takes effect at the next start.
     */
    void switchToTrial() throws IOException;

    /** Makes the running trial slot the committed one (RAUC's mark-good). */
    void commit() throws IOException;

    /** Ends the running trial: the committed slot starts next time; {@code reason} is kept as the last outcome. */
    void rollback(String reason) throws IOException;
}
