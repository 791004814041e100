package com.pettysync.simulator.cloud.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pettysync.simulator.cloud.LocalIotCore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real AWS CLI (botocore's own SigV4 and rest-json parsing) against the control plane, with the export lines
 * {@code pettysync cloud} prints. Skipped where no {@code aws} command is installed (Debian package awscli, or pip's
 * awscli): it is a second, independent client, not a build dependency.
 */
class AwsCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {}

    private static Result aws(LocalIotCore cloud, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("aws", "--output", "json"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--endpoint-url", cloud.controlPlaneEndpoint().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("AWS_ACCESS_KEY_ID", cloud.controlPlaneCredentials().accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", cloud.controlPlaneCredentials().secretAccessKey());
        env.put("AWS_CA_BUNDLE", cloud.caFile().toString());
        env.put("AWS_DEFAULT_REGION", LocalIotCore.REGION);
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        env.put("AWS_MAX_ATTEMPTS", "1");
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("aws " + String.join(" ", args) + " did not finish in 60 s");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static boolean awsCliInstalled() {
        try {
            Process p = new ProcessBuilder("aws", "--version").redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    @Timeout(240)
    void awsCliCreatesListsAndDescribesThingsAndSeesAwsErrors() throws Exception {
        assumeTrue(awsCliInstalled(), "the AWS CLI (`aws`, Debian package awscli) is not installed");
        try (LocalIotCore cloud = LocalIotCore.builder().directory(dir).build().start()) {
            Result created = aws(cloud, "iot", "create-thing", "--thing-name", "cli-collar-1",
                    "--attribute-payload", "{\"attributes\":{\"batch\":\"B7\"}}");
            assertEquals(0, created.exit(), created.err());
            assertEquals("arn:aws:iot:us-east-1:123456789012:thing/cli-collar-1",
                    JSON.readTree(created.out()).get("thingArn").asText());
            Result listed = aws(cloud, "iot", "list-things");
            assertEquals(0, listed.exit(), listed.err());
            JsonNode things = JSON.readTree(listed.out()).get("things");
            assertEquals("cli-collar-1", things.get(0).get("thingName").asText());
            assertEquals("B7", things.get(0).get("attributes").get("batch").asText());
            Result missing = aws(cloud, "iot", "describe-thing", "--thing-name", "no-such-collar");
            assertNotEquals(0, missing.exit());
            assertTrue(missing.err().contains("ResourceNotFoundException"), missing.err());
            Result endpoint = aws(cloud, "iot", "describe-endpoint", "--endpoint-type", "iot:Data-ATS");
            assertEquals("localhost:" + cloud.port(), JSON.readTree(endpoint.out()).get("endpointAddress").asText());
        }
    }
}
