package com.pettysync.agent.ota;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.tinylog.Logger;

/**
 * The persisted minimum security version (anti-rollback): no firmware build below it is installed, even when the
 * running build is older (after a package reinstall of slot A, say). It only rises: when a build is committed,
 * to that build's declared {@code securityVersion}.
 *
 * <pre>&lt;data&gt;/ota/security-floor   one decimal number and a newline ({@link Durable#write})</pre>
 *
 * A missing file is 0. An unreadable one is logged and read as {@link Long#MAX_VALUE}: a collar that cannot tell
 * its floor refuses firmware updates rather than accept a downgrade (repair: remove the file, or reinstall).
 */
public final class SecurityFloor {
    /** File name under {@code <data>/ota}. */
    public static final String FILE = "security-floor";
    private final Path file;

    public SecurityFloor(Path otaDirectory) {
        this.file = otaDirectory.resolve(FILE);
    }

    /** The lowest firmware build that may be installed. */
    public long get() {
        try {
            return Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException | NumberFormatException e) {
            Logger.error("security floor {} unreadable ({}): firmware updates refused until it is repaired", file,
                    e.toString());
            return Long.MAX_VALUE;
        }
    }

    /** Raises the floor to {@code version} if higher; never lowers it. */
    public void raise(long version) throws IOException {
        long now = get();
        if (version > now) {
            Files.createDirectories(file.getParent());
            Durable.write(file, (version + "\n").getBytes(StandardCharsets.US_ASCII));
            Logger.info("minimum security version raised to {}", version);
        }
    }
}
