package com.pettysync.agent.ota;

import java.nio.file.Path;

/** The model seam of a model update: the version in service and the hot swap. */
public interface ModelSlot {
    /** A collar without a replaceable model: every model update is refused. */
    ModelSlot NONE = new ModelSlot() {
        @Override
        public long runningVersion() {
            return 0;
        }

        @Override
        public void install(Path artifact, long version) throws InstallException {
            throw new InstallException("operation: this agent has no replaceable model");
        }
    };

    /** The model version in service. */
    long runningVersion();

    /**
     * Validates the verified artifact as a model of {@code version} and puts it in service without a restart, kept
     * across restarts. On any problem throws and leaves the current model serving.
     */
    void install(Path artifact, long version) throws InstallException;
}
