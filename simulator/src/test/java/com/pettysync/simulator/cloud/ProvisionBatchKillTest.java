package com.pettysync.simulator.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pettysync.provisioning.ca.CertificateSigningRequest;
import com.pettysync.provisioning.factory.CollarBundle;
import com.pettysync.provisioning.factory.ProvisioningJournal;
import com.pettysync.simulator.cloud.control.IotClients;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.Certificate;
import software.amazon.awssdk.services.iot.model.CertificateStatus;

/**
 * A production line's batch of 1,000 collars (half from collars' CSRs, half with keys made by the tool), run as the
 * real {@code pettysync provision batch} process and SIGKILLed at 20 points chosen at random — each time while the
 * control plane is handling one of its requests, so the process dies with the answer in flight — then run to
 * completion. Afterwards every collar is provisioned exactly once: one ACTIVE certificate attached to its thing
 * with the collar policy, no other certificate anywhere in the account (no orphan), a complete bundle whose
 * certificate is the registered one, and a journal that ends {@code done} for each.
 */
class ProvisionBatchKillTest {
    static final int COLLARS = 1000;
    static final int KILLS = 20;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aBatchKilledTwentyTimesEndsWithEveryCollarProvisionedOnceAndNoOrphanCertificate() throws Exception {
        AtomicReference<Process> running = new AtomicReference<>();
        AtomicInteger untilKill = new AtomicInteger(Integer.MAX_VALUE);
        try (LocalIotCore cloud = LocalIotCore.builder().directory(dir.resolve("cloud"))
                .controlPlaneObserver(operation -> {
                    if (untilKill.decrementAndGet() == 0) {
                        Process p = running.get();
                        if (p != null) {
                            p.destroyForcibly(); // SIGKILL, the request's answer not yet sent
                        }
                    }
                }).build().start();
                IotClient iot = IotClients.of(cloud)) {
            Path csv = writeCsv(dir.resolve("line"));
            Path out = dir.resolve("out");
            Random random = new Random(20261201);
            int kills = 0;
            for (int run = 0; ; run++) {
                boolean lastRun = kills == KILLS;
                untilKill.set(lastRun ? Integer.MAX_VALUE : 20 + random.nextInt(500));
                Process p = start(cloud, csv, out, dir.resolve("run-" + run + ".log"));
                running.set(p);
                assertTrue(p.waitFor(5, TimeUnit.MINUTES), "run " + run + " did not end");
                running.set(null);
                int exit = p.exitValue();
                if (exit == 137) {
                    kills++;
                    continue;
                }
                assertEquals(0, exit, "run " + run + ": " + Files.readString(dir.resolve("run-" + run + ".log")));
                if (lastRun) {
                    break;
                }
                kills = KILLS; // finished before its kill point: the next run is the final one
            }
            assertTrue(kills >= KILLS, "killed " + kills + " times");
            assertEveryCollarProvisionedOnce(iot, out);
        }
    }

    private void assertEveryCollarProvisionedOnce(IotClient iot, Path out) throws Exception {
        Map<String, String> certificateOfThing = new HashMap<>();
        for (int i = 1; i <= COLLARS; i++) {
            String thing = thing(i);
            List<String> principals = iot.listThingPrincipals(r -> r.thingName(thing)).principals();
            assertEquals(1, principals.size(), thing + " principals " + principals);
            String arn = principals.get(0);
            String id = com.pettysync.provisioning.factory.CollarRegistrar.certificateIdOf(arn);
            var cert = iot.describeCertificate(r -> r.certificateId(id)).certificateDescription();
            assertEquals(CertificateStatus.ACTIVE, cert.status(), thing);
            assertEquals(1, iot.listAttachedPolicies(r -> r.target(arn)).policies().size(), thing);
            assertEquals(cert.certificatePem().strip(), Files.readString(out.resolve(thing)
                    .resolve(CollarBundle.CERTIFICATE)).strip(), thing + " bundle");
            assertTrue(Files.isRegularFile(out.resolve(thing).resolve(CollarBundle.AGENT_CONFIG)), thing);
            certificateOfThing.put(thing, id);
        }
        Set<String> all = new HashSet<>();
        for (Certificate c : iot.listCertificatesPaginator(r -> r.pageSize(250)).certificates()) {
            all.add(c.certificateId());
        }
        assertEquals(new HashSet<>(certificateOfThing.values()), all, "certificates in the account beyond the "
                + "collars' own (orphans): " + (all.size() - COLLARS));
        try (ProvisioningJournal journal = ProvisioningJournal.open(out)) {
            for (int i = 1; i <= COLLARS; i++) {
                var last = journal.latest(thing(i)).orElseThrow();
                assertEquals(ProvisioningJournal.State.DONE, last.state(), thing(i));
                assertEquals(certificateOfThing.get(thing(i)), last.certificateId(), thing(i));
            }
        }
        JsonNode report = JSON.readTree(out.resolve("provision-report.json").toFile());
        assertEquals(0, report.get("failed").asInt());
        assertEquals(COLLARS, report.get("collars").asInt());
        try (var leftovers = Files.list(out)) {
            assertEquals(0, leftovers.filter(p -> p.getFileName().toString().endsWith(".partial")).count());
        }
    }

    static String thing(int i) {
        return String.format("collar-K%04d", i);
    }

    private static Path writeCsv(Path line) throws Exception {
        Files.createDirectories(line);
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        StringBuilder csv = new StringBuilder("serial,csr,group,hardwareRevision,batch\n");
        for (int i = 1; i <= COLLARS; i++) {
            String serial = String.format("K%04d", i);
            String csr = "generate";
            if (i % 2 == 0) {
                csr = serial + ".csr";
                Files.writeString(line.resolve(csr), CertificateSigningRequest.create(g.generateKeyPair(), thing(i))
                        .pem());
            }
            csv.append(serial).append(',').append(csr).append(",line-").append(i % 3).append(",C2,B7\n");
        }
        Path file = line.resolve("batch.csv");
        Files.writeString(file, csv);
        return file;
    }

    private static Process start(LocalIotCore cloud, Path csv, Path out, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dtinylog.writer.level=warn",
                "-cp", System.getProperty("java.class.path"), "com.pettysync.cli.Pettysync",
                "provision", "batch", "--csv", csv.toString(), "--out", out.toString(), "--parallel", "8",
                "--endpoint-url", cloud.controlPlaneEndpoint().toString(), "--ca-bundle", cloud.caFile().toString(),
                "--rate-scale", "0", "--no-progress"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("AWS_ACCESS_KEY_ID", cloud.controlPlaneCredentials().accessKeyId());
        pb.environment().put("AWS_SECRET_ACCESS_KEY", cloud.controlPlaneCredentials().secretAccessKey());
        pb.environment().remove("AWS_PROFILE");
        pb.directory(new File(out.getParent().toString()));
        return pb.start();
    }
}
