package com.pettysync.simulator.cloud.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.pettysync.simulator.cloud.MutableClock;
import com.pettysync.simulator.cloud.archive.SqliteHotStore;
import com.pettysync.simulator.cloud.ingest.IngestSink;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery report's HTML page as a person sees it: rendered by headless Chromium (Debian's {@code chromium},
 * {@code apt-get install chromium}) to a PNG, whose pixels must show the chart's bars. Skipped, with the reason, where
 * Chromium is not installed.
 */
class DeliveryReportBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path dir;

    @Test
    void chromiumDrawsTheChartsBars() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "chromium is not installed (apt-get install chromium)");
        MutableClock clock = new MutableClock(Instant.ofEpochSecond(DeliveryReportTest.START));
        try (IngestSink sink = IngestSink.open(dir.resolve("frames.db"), clock)) {
            DeliveryReportTest.storeFleet(sink, clock);
        }
        Path page = dir.resolve("report.html");
        try (SqliteHotStore hot = SqliteHotStore.open(dir.resolve("frames.db"))) {
            Files.writeString(page, DeliveryReportPage.render(DeliveryReport.build(DeliveryReportTest.DAY, hot, null,
                    List.of("silent"), clock.instant())), StandardCharsets.UTF_8);
        }
        Path png = dir.resolve("report.png");
        Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + dir.resolve("profile"), "--window-size=1200,900",
                "--screenshot=" + png, page.toUri().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish in 120 s");
        assertEquals(0, p.exitValue(), () -> "chromium failed: " + read(dir.resolve("chromium.log")));
        BufferedImage image = ImageIO.read(png.toFile());
        // the histogram's bars: red below 90 %, green at 100 % (DeliveryReportPage's colours)
        assertTrue(count(image, 0xcc4444) > 500, "the red bars (silent, gappy collars) are drawn");
        assertTrue(count(image, 0x33aa77) > 500, "the green bar (complete collars) is drawn");
    }

    private static int count(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xffffff) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
