package com.pettysync.agent.ota;

import com.pettysync.agent.sensing.VocalModel;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The update path in a JVM with the unit's flags, for {@link OtaMemoryBench}: the classifier loaded as in the agent,
 * then a download over HTTPS, then a model hot swap; prints each phase so the parent can attribute its RSS samples.
 * Arguments: data directory, URL, size, sha256, CA PEM, model file, model version.
 */
public final class OtaMemoryChild {
    private OtaMemoryChild() {}

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        try (VocalModel model = ClassifierModelSlot.load(data)) {
            phase("IDLE");
            Thread.sleep(2000); // settle: a benchmark waits on purpose
            phase("DOWNLOAD");
            ResumableDownload d = new ResumableDownload(new ResumableDownload.Settings(data.resolve("dl"),
                    new HttpArtifactFetcher(OtaKeys.downloadTls(Path.of(args[4])), Duration.ofSeconds(10)),
                    Clock.systemUTC(), Sleeper.REAL, () -> Long.MAX_VALUE, ResumableDownload::linuxBootId,
                    Long.MAX_VALUE, 0, 64 * 1024, 5));
            d.run("job", Long.parseLong(args[2]), args[3], () -> URI.create(args[1]), (a, b) -> { });
            phase("AFTER-DOWNLOAD");
            Thread.sleep(1000);
            phase("SWAP");
            new ClassifierModelSlot(data, model.classifier()).install(Path.of(args[5]), Long.parseLong(args[6]));
            phase("AFTER-SWAP");
            Thread.sleep(1000);
            phase("END");
        }
    }

    private static void phase(String p) {
        System.out.println("PHASE " + p);
        System.out.flush();
    }
}
