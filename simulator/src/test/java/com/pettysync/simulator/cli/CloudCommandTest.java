package com.pettysync.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pettysync.cli.Pettysync;
import com.pettysync.provisioning.ca.IssuedCredential;
import com.pettysync.provisioning.ca.LocalCertificateAuthority;
import com.pettysync.simulator.cloud.LocalIotCore;
import com.pettysync.simulator.cloud.registry.CertificateStatus;
import com.pettysync.simulator.cloud.registry.Certificates;
import com.pettysync.simulator.cloud.registry.RegisteredCertificate;
import com.pettysync.simulator.cloud.registry.Registry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloudCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Pettysync.execute(args, List.of(new SimulatorCommands()), new PrintWriter(out, true),
                new PrintWriter(err, true));
    }

    @Test
    void issueWritesABundleTheLocalCaVerifies() throws Exception {
        Path cloudDir = tmp.resolve("cloud");
        Path bundle = tmp.resolve("collar-0001");
        assertEquals(0, run("cloud", "issue", "collar-0001", "--out", bundle.toString(), "--dir", cloudDir.toString()),
                err.toString());
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(bundle.resolve("private-key.pem"))));
        IssuedCredential credential = IssuedCredential.readFrom(bundle);
        assertEquals("collar-0001", credential.commonName());
        LocalCertificateAuthority ca = LocalCertificateAuthority.load(cloudDir.resolve("ca"), Clock.systemUTC());
        assertTrue(ca.verifies(credential.certificate()));
        JsonNode config = new ObjectMapper().readTree(bundle.resolve("agent.json").toFile());
        assertEquals("localhost", config.get("endpoint").asText());
        assertEquals(8883, config.get("port").asInt());
        assertEquals("collar-0001", config.get("thingName").asText());
        assertEquals("private-key.pem", config.get("privateKey").asText());
        assertEquals("simulated", config.get("sensors").asText());
        assertTrue(out.toString().contains("pettysync agent --config"), out.toString());
        try (Registry registry = Registry.open(cloudDir.resolve(Registry.FILE), Clock.systemUTC(), LocalIotCore.REGION,
                LocalIotCore.ACCOUNT)) {
            RegisteredCertificate cert = registry.certificates().describe(Certificates.idOf(credential.certificate()));
            assertEquals(CertificateStatus.ACTIVE, cert.status(), "registered, so the cloud lets it connect");
            assertTrue(registry.things().isAttached("collar-0001", cert.arn()));
            assertEquals(List.of(LocalIotCore.COLLAR_POLICY_NAME), registry.policies().attachedTo(cert.arn()).stream()
                    .map(p -> p.name()).toList());
        }
    }

    @Test
    void badInputGetsExitCode2AndOneLine() {
        assertEquals(2, run("cloud", "issue", "bad thing", "--out", tmp.resolve("x").toString()));
        assertTrue(err.toString().contains("thing name must be"), err.toString());
        assertEquals(2, run("cloud", "issue", "collar-1"));
        assertEquals(2, run("cloud", "--bind", "10.0.0.1"));
    }

    @Test
    void cloudRunsPrintsWhereThingsAreAndStopsByItself() {
        assertEquals(0, run("cloud", "--dir", tmp.resolve("c").toString(), "--port", "0", "--duration", "1"),
                err.toString());
        String text = out.toString();
        assertTrue(text.contains("endpoint   mqtts://localhost:"), text);
        assertTrue(text.contains("CA file    " + tmp.resolve("c").toAbsolutePath().resolve("ca/ca.pem")), text);
        assertTrue(text.contains("frames.db"), text);
        assertTrue(text.contains("Stopped: 0 collars, 0 frames stored"), text);
        assertTrue(text.contains("control    https://localhost:"), text);
        assertTrue(text.contains("export AWS_ACCESS_KEY_ID=AKIA"), text);
        assertTrue(text.contains(" AWS_SECRET_ACCESS_KEY=") && text.contains(" AWS_CA_BUNDLE="
                + tmp.resolve("c").toAbsolutePath().resolve("ca/ca.pem")), text);
        assertTrue(text.contains("aws iot list-things --endpoint-url https://localhost:"), text);
        assertTrue(text.contains("MQTT clients authenticate through it"), text);
    }
}
