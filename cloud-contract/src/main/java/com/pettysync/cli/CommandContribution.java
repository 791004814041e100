package com.pettysync.cli;

import java.util.List;

/**
 * A module's contribution to the {@code pettysync} command, discovered through {@link java.util.ServiceLoader}.
 *
 * <p>Each module lists its implementations in
 * {@code META-INF/services/com.pettysync.cli.CommandContribution}; the launcher adds every contributed
 * command under its {@link #parent()} path, so the commands a package carries are exactly those of the
 * modules it contains. Several modules may contribute under the same parent (both sensor-drivers and
 * edge-ml add commands under {@code diag}); a parent that no module defines is created as a plain group.
 */
public interface CommandContribution {

    /** The names of the enclosing commands, outermost first; empty for a top-level command. */
    default List<String> parent() {
        return List.of();
    }

    /** One-line description used when the launcher has to create a missing parent group. */
    default String parentDescription() {
        return "";
    }

    /**
     * The contributed commands: picocli {@code @Command}-annotated objects (or {@code picocli.CommandLine}s),
     * new ones per call, each added under {@link #parent()}.
     */
    List<Object> commands();
}
