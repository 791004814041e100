package com.pettysync.provisioning.factory;

import java.nio.file.Path;

/** Where a collar's key pair comes from. */
public sealed interface KeySource {
    /** The normal factory path: the collar made its key and sent this CSR; the key never leaves the collar. */
    record CsrFile(Path file) implements KeySource {}

    /** Bench use: the key pair is generated here and written into the bundle (0600). */
    record Generated() implements KeySource {}
}
