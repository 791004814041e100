package com.pettysync.agent.ota;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * A process that downloads one artifact with the real {@link ResumableDownload} over HTTPS, printing its progress
 * ({@code AT <bytes>}) and at the end {@code DONE <resumedFrom> <bytesReceived>}; {@link DownloadKillTest} SIGKILLs
 * it mid-way and starts it again. Arguments: directory, URL, size, sha256, CA PEM.
 */
public final class DownloadChild {
    private DownloadChild() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        URI url = URI.create(args[1]);
        long size = Long.parseLong(args[2]);
        ResumableDownload d = new ResumableDownload(new ResumableDownload.Settings(dir,
                new HttpArtifactFetcher(OtaKeys.downloadTls(Path.of(args[4])), Duration.ofSeconds(10)),
                Clock.systemUTC(), Sleeper.REAL, () -> Long.MAX_VALUE, ResumableDownload::linuxBootId,
                Long.MAX_VALUE, 0, 64 * 1024, 5));
        ResumableDownload.Result r = d.run("job", size, args[3], () -> url, (done, total) -> {
            System.out.println("AT " + done);
            System.out.flush();
        });
        System.out.println("DONE " + r.resumedFrom() + " " + r.bytesReceived() + " " + Files.size(r.file()));
    }
}
