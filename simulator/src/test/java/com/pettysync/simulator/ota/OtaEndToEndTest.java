package com.pettysync.simulator.ota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.ota.BootState;
import com.pettysync.agent.ota.ClassifierModelSlot;
import com.pettysync.agent.ota.FirmwareArtifact;
import com.pettysync.ml.vocal.ModelCheck;
import com.pettysync.ml.vocal.VocalizationModel;
import com.pettysync.provisioning.cli.ProvisioningCommands;
import com.pettysync.provisioning.ota.CodeSigningKey;
import com.pettysync.simulator.cloud.LocalIotCore;
import com.pettysync.simulator.cloud.jobs.JobService;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The issue's "done when": a signed firmware update and a model update go from {@code pettysync ota publish}
 * through the local cloud (control plane, Jobs service, S3-compatible artifact store, all over real HTTPS and SigV4)
 * to {@code pettysync agent --simulated} and back to SUCCEEDED.
 *
 * <p>The agent is a real process started by device-agent's real slot launcher script, restarted by this test as
 * systemd's {@code Restart=always} would: the firmware job ends the process after the switch, the launcher starts the
 * trial slot, the new build health-checks itself (connected, a PUBACK, a sensor window) and commits. One simulation
 * of the slot's content: every slot runs this checkout's class path (a wrapper given as {@code PETTYSYNC_JAVA}
 * appends it to the launcher's {@code -cp slots/X/lib/*}); which build runs is the slot's {@code slot.properties},
 * exactly as on a collar. The model job is hot-swapped without a restart.
 */
class OtaEndToEndTest {
    private static final String THING = "collar-ota-e2e";
    private static final String GROUP = "ota-e2e-fleet";

    @TempDir
    Path dir;

    @Test
    void signedFirmwareAndModelUpdatesGoFromOtaPublishToTheAgentAndBackToSucceeded() throws Exception {
        try (LocalIotCore cloud = LocalIotCore.builder().directory(dir.resolve("cloud")).build().start()) {
            cloud.issueCollar(THING).writeTo(dir.resolve("identity"));
            cloud.registry().thingGroups().create(GROUP, null, null, Map.of());
            cloud.registry().thingGroups().addThing(GROUP, THING);
            Path keys = dir.resolve("keys");
            assertEquals(0, ota("keygen", "--out", keys.toString()));
            Path data = dir.resolve("data");
            Files.createDirectories(data.resolve("slots/a/lib"));
            Files.writeString(data.resolve("slots/a").resolve(FirmwareArtifact.MANIFEST),
                    new FirmwareArtifact.Manifest(1043, 0).text());
            Path config = dir.resolve("agent.json");
            Files.writeString(config, """
                    {"endpoint":"localhost","port":%d,"thingName":"%s","certificate":"identity/certificate.pem",
                     "privateKey":"identity/private-key.pem","caCertificate":"%s","dataDirectory":"data",
                     "windowS":3,"reconnect":{"minS":1,"maxS":2},
                     "ota":{"codeSigningCertificate":"keys/%s","trustCertificates":"%s","healthCheckS":60}}
                    """.formatted(cloud.port(), THING, cloud.caFile(), CodeSigningKey.CERTIFICATE_FILE,
                    cloud.caFile()));
            String[] aws = {"--endpoint-url", cloud.controlPlaneEndpoint().toString(), "--s3-endpoint-url",
                    cloud.artifactStore().endpoint().toString(), "--ca-bundle", cloud.caFile().toString(), "--group",
                    GROUP};
            System.setProperty("aws.accessKeyId", cloud.controlPlaneCredentials().accessKeyId());
            System.setProperty("aws.secretAccessKey", cloud.controlPlaneCredentials().secretAccessKey());
            try (Systemd agent = new Systemd(data, config)) {
                await(() -> cloud.shadows().document("$aws/things/" + THING + "/shadow/name/config")
                        .map(d -> d.at("/state/reported/firmwareBuild").asLong() == 1043).orElse(false),
                        "the agent on build 1043 reported itself");

                // firmware: sign, publish, switch, restart into the trial, health check, commit
                Path firmware = dir.resolve("pettysync-agent-1044.zip");
                FirmwareArtifact.write(firmware, new FirmwareArtifact.Manifest(1044, 0),
                        Map.of("pettysync-marker.jar", tinyJar()));
                assertEquals(0, ota("sign", "--key", keys.resolve(CodeSigningKey.KEY_FILE).toString(), "--artifact",
                        firmware.toString(), "--version", "1044", "--certificate",
                        keys.resolve(CodeSigningKey.CERTIFICATE_FILE).toString()));
                long t0 = System.nanoTime();
                assertEquals(0, ota(concat(aws, "publish", "--version", "1044", "--artifact", firmware.toString(),
                        "--job-id", "firmware-1044", "--rollout", "max=10", "--abort", "failed>50%@min1",
                        "--timeout", "30m")));
                await(() -> status(cloud, "firmware-1044") == JobService.Status.SUCCEEDED, "firmware SUCCEEDED");
                double seconds = (System.nanoTime() - t0) / 1e9;
                BootState boot = BootState.read(data.resolve("slots"));
                assertEquals("b", boot.committed(), boot.toString());
                assertFalse(boot.hasTrial(), boot.toString());
                assertEquals(2, agent.starts(), "one restart into the new build");
                await(() -> reported(cloud, "firmwareBuild") == 1044, "the new build reported in the shadow");
                System.out.printf("ota e2e: firmware job creation → commit on loopback: %.1f s (agent JVM restart, "
                        + "3 s window and health check included)%n", seconds);
                System.out.printf("ota e2e: agent peak RSS (VmHWM, the unit's JVM options) of the build-1043 process "
                        + "(job, download, verify, install, switch): %.1f MB%n", agent.peakRssKb(1) / 1024.0);

                // model: sign, publish, hot swap without a restart
                byte[] bundled;
                try (InputStream in = VocalizationModel.class.getResourceAsStream(VocalizationModel.BUNDLED)) {
                    bundled = in.readAllBytes();
                }
                long running = ModelCheck.check(bundled, -1).version();
                long newer = nines(running);
                Path model = dir.resolve("vocalization-" + newer + ".tflite");
                Files.write(model, withVersion(bundled, running, newer));
                assertEquals(0, ota("sign", "--key", keys.resolve(CodeSigningKey.KEY_FILE).toString(), "--artifact",
                        model.toString(), "--version", Long.toString(newer), "--operation", "model-update"));
                long t1 = System.nanoTime();
                assertEquals(0, ota(concat(aws, "publish", "--version", Long.toString(newer), "--artifact",
                        model.toString(), "--job-id", "model-" + newer)));
                await(() -> status(cloud, "model-" + newer) == JobService.Status.SUCCEEDED, "model SUCCEEDED");
                System.out.printf("ota e2e: model job creation → in service: %.1f s%n", (System.nanoTime() - t1) / 1e9);
                System.out.printf("ota e2e: agent peak RSS (VmHWM) of the build-1044 process (trial, health check, "
                        + "commit, model download, check and hot swap): %.1f MB; the unit's MemoryMax is 160M%n",
                        agent.peakRssKb(2) / 1024.0);
                assertTrue(Files.exists(data.resolve(ClassifierModelSlot.FILE)), "the model is kept for restarts");
                assertEquals(2, agent.starts(), "no restart for a model");
                await(() -> reported(cloud, "modelVersion") == newer, "the new model reported in the shadow");
            } finally {
                System.clearProperty("aws.accessKeyId");
                System.clearProperty("aws.secretAccessKey");
            }
        }
    }

    private static JobService.Status status(LocalIotCore cloud, String job) {
        return cloud.jobs().execution(THING, job).map(JobService.ExecutionView::status).orElse(null);
    }

    private static long reported(LocalIotCore cloud, String field) {
        return cloud.shadows().document("$aws/things/" + THING + "/shadow/name/config")
                .map(d -> d.at("/state/reported/" + field).asLong(-1)).orElse(-1L);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        out[0] = b[0];
        System.arraycopy(a, 0, out, 1, a.length);
        System.arraycopy(b, 1, out, a.length + 1, b.length - 1);
        return out;
    }

    private int ota(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new ProvisioningCommands().commands().get(1));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(out));
        int rc = cl.execute(args);
        System.out.println("ota " + String.join(" ", args).replaceAll("--ca-bundle \\S+", "") + " → " + rc + "\n"
                + out);
        return rc;
    }

    private static byte[] tinyJar() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (JarOutputStream j = new JarOutputStream(b)) {
            j.putNextEntry(new ZipEntry("pettysync-build.txt"));
            j.write("1044\n".getBytes(StandardCharsets.US_ASCII));
            j.closeEntry();
        }
        return b.toByteArray();
    }

    /** The largest version with as many digits as {@code v} (the model's metadata is patched in place). */
    private static long nines(long v) {
        long n = 9;
        while (n < v) {
            n = n * 10 + 9;
        }
        return n;
    }

    private static byte[] withVersion(byte[] model, long from, long to) {
        byte[] a = ("\"version\":" + from).getBytes(StandardCharsets.US_ASCII);
        byte[] b = ("\"version\":" + to).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + a.length <= model.length; i++) {
            if (java.util.Arrays.equals(model, i, i + a.length, a, 0, a.length)) {
                byte[] out = model.clone();
                System.arraycopy(b, 0, out, i, b.length);
                return out;
            }
        }
        throw new IllegalStateException("cannot patch the model's version");
    }

    /** Waits for a condition the test observes; the deadline is only a safety net. */
    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        Object monitor = new Object();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 150 s: " + what);
            }
            synchronized (monitor) {
                monitor.wait(100);
            }
        }
    }

    /**
     * systemd's part for {@code pettysync-agent.service} ({@code Restart=always}): runs the launcher script, and runs
     * it again whenever the agent process ends, until closed (SIGTERM, as {@code systemctl stop}).
     */
    private final class Systemd implements AutoCloseable {
        private final Thread thread;
        private volatile boolean stopping;
        private volatile Process process;
        private volatile int starts;
        /** Per start (1-based): the agent process's VmHWM, sampled from /proc while it runs (a figure, not asserted). */
        private final long[] peakRssKb = new long[16];
        private final Thread rssSampler;

        Systemd(Path data, Path config) throws IOException {
            Path wrapper = dir.resolve("java-with-checkout-classpath.sh");
            Files.writeString(wrapper, """
                    #!/bin/sh
                    # the launcher's java: its -cp slots/X/lib/* plus this checkout's class path
                    prev=
                    first=1
                    for a in "$@"; do
                      if [ "$first" = 1 ]; then set --; first=0; fi
                      if [ "$prev" = "-cp" ]; then a="$a:$CHECKOUT_CLASSPATH"; fi
                      set -- "$@" "$a"
                      prev=$a
                    done
                    exec "$REAL_JAVA" "$@"
                    """);
            wrapper.toFile().setExecutable(true);
            Path launcher = Path.of("..", "device-agent", "src", "deb", "pettysync-launcher").toAbsolutePath();
            Path log = dir.resolve("agent.log");
            thread = Thread.ofPlatform().name("systemd").start(() -> {
                while (!stopping) {
                    try {
                        ProcessBuilder pb = new ProcessBuilder("sh", launcher.toString(), "agent", "--config",
                                config.toString(), "--simulated").directory(dir.toFile()).redirectErrorStream(true)
                                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
                        pb.environment().putAll(Map.of("PETTYSYNC_DATA", data.toString(), "PETTYSYNC_JAVA",
                                wrapper.toString(), "REAL_JAVA", Path.of(System.getProperty("java.home"), "bin",
                                        "java").toString(), "CHECKOUT_CLASSPATH", System.getProperty("java.class.path"),
                                "PETTYSYNC_JAVA_OPTS", unitJavaOptions()));
                        synchronized (this) {
                            if (stopping) {
                                return;
                            }
                            process = pb.start();
                            starts++;
                        }
                        process.waitFor();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            rssSampler = Thread.ofPlatform().daemon().name("rss").start(this::sampleRss);
        }

        int starts() {
            return starts;
        }

        long peakRssKb(int start) {
            return peakRssKb[start];
        }

        /** The JVM options of pettysync-agent.service, as the collar runs the agent. */
        private static String unitJavaOptions() {
            try {
                for (String line : Files.readAllLines(Path.of("..", "device-agent", "src", "deb",
                        "pettysync-agent.service"))) {
                    String prefix = "Environment=\"PETTYSYNC_JAVA_OPTS=";
                    if (line.startsWith(prefix)) {
                        return line.substring(prefix.length(), line.lastIndexOf('"'));
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            throw new IllegalStateException("no PETTYSYNC_JAVA_OPTS in pettysync-agent.service");
        }

        private void sampleRss() {
            while (!stopping) {
                Process p = process;
                int n = starts;
                if (p != null && n < peakRssKb.length) {
                    try {
                        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status"))) {
                            if (line.startsWith("VmHWM:")) {
                                long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                                peakRssKb[n] = Math.max(peakRssKb[n], kb);
                            }
                        }
                    } catch (IOException | RuntimeException e) {
                        // the process ended between two samples
                    }
                }
                try {
                    Thread.sleep(100); // a sampling period, not a synchronisation
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        @Override
        public void close() throws Exception {
            synchronized (this) {
                stopping = true;
            }
            Process p = process;
            if (p != null) {
                p.destroy();
                if (!p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
            thread.join(20_000);
            rssSampler.interrupt();
            System.out.println(Files.exists(dir.resolve("agent.log")) ? "agent log tail:\n" + String.join("\n",
                    tail(Files.readAllLines(dir.resolve("agent.log")), 40)) : "no agent log");
        }

        private static List<String> tail(List<String> lines, int n) {
            return lines.subList(Math.max(0, lines.size() - n), lines.size());
        }
    }
}
