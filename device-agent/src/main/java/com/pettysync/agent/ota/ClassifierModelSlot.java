package com.pettysync.agent.ota;

import com.pettysync.agent.sensing.VocalModel;
import com.pettysync.ml.vocal.ModelCheck;
import com.pettysync.ml.vocal.ModelRejectedException;
import com.pettysync.ml.vocal.VocalizationClassifier;
import com.pettysync.ml.vocal.VocalizationModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.tinylog.Logger;

/**
 * The vocalisation model as a {@link ModelSlot}: models received over the air are checked with edge-ml's
 * {@link ModelCheck} (metadata, tensor shapes, a trial inference, the declared version), swapped into the running
 * {@link VocalizationClassifier} without a restart, and kept for the next start.
 *
 * <pre>
 * &lt;data&gt;/models/vocalization.tflite       the model in service, when one came over the air
 * &lt;data&gt;/models/vocalization.tflite.next  a model being installed (written + fsynced, then renamed over)
 * </pre>
 *
 * Guarantee: the file is renamed into place only after the model was checked and is in service; a power cut
 * leaves the previous file (or none: the bundled model). A kept model that no longer loads at start (a newer edge-ml
 * with another front end, a damaged card) is logged and the bundled model serves.
 */
public final class ClassifierModelSlot implements ModelSlot {
    /** The kept model under the data directory. */
    public static final String FILE = "models/vocalization.tflite";

    private final Path file;
    private final VocalizationClassifier classifier;

    /** @param classifier the classifier in service, or null where there is none (no TFLite natives) */
    public ClassifierModelSlot(Path dataDirectory, VocalizationClassifier classifier) {
        this.file = dataDirectory.resolve(FILE);
        this.classifier = classifier;
    }

    /**
     * The model to start with: the kept model when it loads, else the bundled one, else none (a platform without
     * TFLite natives: {@link VocalModel#bundled()} says why).
     */
    public static VocalModel load(Path dataDirectory) {
        Path f = dataDirectory.resolve(FILE);
        if (Files.isRegularFile(f)) {
            try {
                VocalizationModel m = VocalizationModel.load(Files.readAllBytes(f));
                VocalizationClassifier c = new VocalizationClassifier(m);
                Logger.info("vocalization model version {} from {}", m.metadata().version(), f);
                return VocalModel.of(c);
            } catch (IOException | ModelRejectedException | LinkageError e) {
                Logger.warn("kept model {} not loaded ({}); the bundled model serves", f, e.getMessage());
            }
        }
        return VocalModel.bundled();
    }

    @Override
    public long runningVersion() {
        return classifier == null ? 0 : classifier.metadata().version();
    }

    @Override
    public void install(Path artifact, long version) throws InstallException {
        if (classifier == null) {
            throw new InstallException("no vocalisation classifier on this platform (TFLite natives absent)");
        }
        byte[] bytes;
        try {
            ModelCheck.check(artifact, version);
            bytes = Files.readAllBytes(artifact);
            Path next = file.resolveSibling(file.getFileName() + ".next");
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(next);
            Files.copy(artifact, next);
            try (var ch = java.nio.channels.FileChannel.open(next, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            classifier.replace(bytes);
            Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Durable.syncDirectory(file.getParent());
        } catch (ModelRejectedException e) {
            throw new InstallException(e.getMessage());
        } catch (IOException e) {
            throw new InstallException("cannot keep the model: " + e.getMessage(), e);
        }
    }
}
