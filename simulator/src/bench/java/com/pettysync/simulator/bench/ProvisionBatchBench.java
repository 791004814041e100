package com.pettysync.simulator.bench;

import com.pettysync.provisioning.ca.CertificateSigningRequest;
import com.pettysync.simulator.cloud.LocalIotCore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Collars provisioned per second through the local control plane by the real {@code pettysync provision batch}
 * process (a child JVM, as a factory PC runs it), with its peak RSS ({@code /usr/bin/time -v}), and the share of a
 * collar's cost that is key generation and CSR signing (measured alone, single-threaded, in this JVM) against the
 * rest (HTTP + TLS + SigV4 + the control plane).
 *
 * <p>Args: {@code COLLARS [PARALLEL]} (default 10000 8). Half the rows carry a CSR made beforehand (the factory
 * path), half {@code generate} (key and CSR made by the batch).
 */
public final class ProvisionBatchBench {
    public static void main(String[] argv) throws Exception {
        String[] args = String.join(" ", argv).trim().isEmpty() ? new String[0]
                : String.join(" ", argv).trim().split("\\s+");
        int collars = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int parallel = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        Path dir = Files.createTempDirectory("provision-bench");
        AtomicInteger calls = new AtomicInteger();
        try (LocalIotCore cloud = LocalIotCore.builder().directory(dir.resolve("cloud"))
                .controlPlaneObserver(op -> calls.incrementAndGet()).build().start()) {
            Path line = Files.createDirectories(dir.resolve("line"));
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            StringBuilder csv = new StringBuilder("serial,csr,batch\n");
            for (int i = 1; i <= collars; i++) {
                String serial = String.format("B%06d", i);
                String csr = "generate";
                if (i % 2 == 0) {
                    csr = serial + ".csr";
                    Files.writeString(line.resolve(csr), CertificateSigningRequest.create(g.generateKeyPair(),
                            "collar-" + serial).pem());
                }
                csv.append(serial).append(',').append(csr).append(",BENCH\n");
            }
            Files.writeString(line.resolve("batch.csv"), csv);

            List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-v",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                    "-Dtinylog.writer.level=warn", "-cp", System.getProperty("java.class.path"),
                    "com.pettysync.cli.Pettysync", "provision", "batch", "--csv", line.resolve("batch.csv").toString(),
                    "--out", dir.resolve("out").toString(), "--parallel", String.valueOf(parallel),
                    "--endpoint-url", cloud.controlPlaneEndpoint().toString(), "--ca-bundle",
                    cloud.caFile().toString(), "--rate-scale", "0", "--no-progress"));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("batch.log").toFile());
            pb.environment().put("AWS_ACCESS_KEY_ID", cloud.controlPlaneCredentials().accessKeyId());
            pb.environment().put("AWS_SECRET_ACCESS_KEY", cloud.controlPlaneCredentials().secretAccessKey());
            long t0 = System.nanoTime();
            int exit = pb.start().waitFor();
            double wall = (System.nanoTime() - t0) / 1e9;
            String log = Files.readString(dir.resolve("batch.log"));
            String rss = log.lines().filter(l -> l.contains("Maximum resident set size")).findFirst().orElse("?");
            String user = log.lines().filter(l -> l.contains("User time")).findFirst().orElse("?");
            String sys = log.lines().filter(l -> l.contains("System time")).findFirst().orElse("?");
            String summary = log.lines().filter(l -> l.contains("collars:")).findFirst().orElse(log);

            // the crypto alone, single-threaded, warmed up
            KeyPair warm = g.generateKeyPair();
            for (int i = 0; i < 2000; i++) {
                CertificateSigningRequest.create(g.generateKeyPair(), "collar-W");
            }
            int n = 5000;
            long k0 = System.nanoTime();
            KeyPair[] pairs = new KeyPair[n];
            for (int i = 0; i < n; i++) {
                pairs[i] = g.generateKeyPair();
            }
            double keyMs = (System.nanoTime() - k0) / 1e6 / n;
            long s0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                CertificateSigningRequest.create(pairs[i], "collar-S");
            }
            double csrMs = (System.nanoTime() - s0) / 1e6 / n;
            double perCollarMs = wall * 1000 / collars;

            System.out.printf("provision batch: %d collars (%d CSR, %d generated), --parallel %d, exit %d%n",
                    collars, collars / 2, collars - collars / 2, parallel, exit);
            System.out.printf("  %s%n", summary.strip());
            System.out.printf("  wall %.1f s (incl. JVM start) = %.1f collars/s; control-plane calls %d (%.1f per collar)%n",
                    wall, collars / wall, calls.get(), calls.get() / (double) collars);
            System.out.printf("  batch process: %s; %s; %s%n", rss.strip(), user.strip(), sys.strip());
            double workerMsPerCollar = wall * 1000 * parallel / collars;
            System.out.printf("  one thread: key generation %.3f ms, CSR signing %.3f ms; worker time per collar %.2f ms"
                    + " -> key generation %.1f %%, CSR signing %.1f %% (half the rows make a key and a CSR), the rest"
                    + " (%.1f %%) HTTP/TLS/SigV4, the control plane and the journal%n", keyMs, csrMs, workerMsPerCollar,
                    50 * keyMs / workerMsPerCollar, 50 * csrMs / workerMsPerCollar,
                    100 - 50 * (keyMs + csrMs) / workerMsPerCollar);
            if (warm == null) {
                throw new IllegalStateException();
            }
        }
    }
}
