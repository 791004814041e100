package com.pettysync.simulator.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.pettysync.cli.Pettysync;
import com.pettysync.provisioning.ca.LocalCertificateAuthority;
import com.pettysync.simulator.cli.SimulatorCommands;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The rendered manifest read back as Kubernetes objects (fabric8's typed model, every field known to it), and each
 * shard's command line as the kubelet expands it, parsed by the real {@code pettysync simulate}.
 */
class FleetJobManifestTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern K8S_VAR = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
    private static final int COLLARS = 28_000;

    @TempDir
    Path dir;

    private static FleetJobManifest.Options options(int shards, int collars, String target, Path ca) {
        return new FleetJobManifest.Options(shards, collars, target, "registry.example.net/pettysync/fleet:0.1.0",
                "fleet", "pettysync-fleet-ca", ca, "1h", 1, 50, ShardBudget.FLEET_RSS_PER_COLLAR_KIB, "1", null);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 40})
    void fleetParsesAsAnIndexedJobWithOneShardPerIndex(int shards) throws Exception {
        String yaml = FleetJobManifest.yaml(new FleetJobManifest(options(shards, COLLARS, "mqtt.fleet.svc:8883", null))
                .fleet());
        List<JsonNode> docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll();
        assertEquals(List.of("PersistentVolumeClaim", "Job"), docs.stream().map(d -> d.get("kind").asText()).toList());

        PersistentVolumeClaim claim = typed(docs.get(0), PersistentVolumeClaim.class);
        assertEquals(List.of("ReadWriteMany"), claim.getSpec().getAccessModes());
        Job job = typed(docs.get(1), Job.class);
        assertEquals("fleet", job.getMetadata().getNamespace());
        assertEquals("Indexed", job.getSpec().getCompletionMode());
        assertEquals(shards, job.getSpec().getCompletions());
        assertEquals(shards, job.getSpec().getParallelism());
        assertEquals(0, job.getSpec().getBackoffLimit());

        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertEquals("Never", pod.getRestartPolicy());
        assertEquals(FleetJobManifest.IMAGE_USER, pod.getSecurityContext().getRunAsUser());
        Container c = pod.getContainers().get(0);
        assertEquals("registry.example.net/pettysync/fleet:0.1.0", c.getImage());
        Map<String, EnvVar> env = new java.util.HashMap<>();
        c.getEnv().forEach(e -> env.put(e.getName(), e));
        assertEquals(Integer.toString(shards), env.get("SHARDS").getValue());
        assertEquals("metadata.annotations['batch.kubernetes.io/job-completion-index']",
                env.get("JOB_COMPLETION_INDEX").getValueFrom().getFieldRef().getFieldPath());

        // memory: the JVM base + the largest shard's collars at 60 KiB, request = limit
        int perShard = (COLLARS + shards - 1) / shards;
        long expected = ShardBudget.JVM_BASE_MIB * 1024L * 1024 + perShard * 60L * 1024;
        long limit = Quantity.getAmountInBytes(c.getResources().getLimits().get("memory")).longValueExact();
        assertTrue(limit >= expected && limit < expected + 1024 * 1024, limit + " vs " + expected);
        assertEquals(c.getResources().getLimits().get("memory"), c.getResources().getRequests().get("memory"));

        // volumes: the CA from the Secret (read-only), the shared results claim, emptyDirs for outboxes and /tmp
        Map<String, Volume> volumes = new java.util.HashMap<>();
        pod.getVolumes().forEach(v -> volumes.put(v.getName(), v));
        assertEquals("pettysync-fleet-ca", volumes.get("ca").getSecret().getSecretName());
        assertEquals(claim.getMetadata().getName(), volumes.get("results").getPersistentVolumeClaim().getClaimName());
        assertNotNull(volumes.get("outboxes").getEmptyDir());
        assertNotNull(volumes.get("tmp").getEmptyDir());
        c.getVolumeMounts().forEach(m -> assertTrue(volumes.containsKey(m.getName()), m.getName()));
        assertTrue(c.getVolumeMounts().stream().anyMatch(m -> m.getName().equals("ca") && m.getReadOnly()));

        // each index's command line, as the kubelet expands $(VAR), is a valid 'simulate' for shard i of N
        List<String> reports = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            List<String> args = expand(c.getArgs(), Map.of("JOB_COMPLETION_INDEX", Integer.toString(i),
                    "SHARDS", env.get("SHARDS").getValue()));
            ParseResult simulate = parse(args).subcommand();
            assertEquals("simulate", simulate.commandSpec().name());
            assertEquals(i + "/" + shards, simulate.matchedOptionValue("--shard", ""));
            assertEquals(COLLARS, (int) simulate.matchedOptionValue("--collars", 0));
            assertEquals("mqtt.fleet.svc:8883", simulate.matchedOptionValue("--target", ""));
            assertEquals(Path.of(FleetJobManifest.CA_MOUNT), simulate.matchedOptionValue("--ca", Path.of("")));
            Path out = simulate.matchedOptionValue("--out", Path.of(""));
            assertEquals(Path.of("/results/shard-" + i), out);
            // a remote endpoint: no shard can count delivery, so "not measured" must not fail the pod
            assertTrue(simulate.hasMatchedOption("--unmeasured-ok"), args.toString());
            reports.add(out.resolve("report.json").toString());
        }

        // the merge Job reads exactly those reports
        List<JsonNode> merge = YAML.readerFor(JsonNode.class).<JsonNode>readValues(
                FleetJobManifest.yaml(new FleetJobManifest(options(shards, COLLARS, "mqtt.fleet.svc:8883", null))
                        .merge())).readAll();
        Job mergeJob = typed(merge.get(0), Job.class);
        Container m = mergeJob.getSpec().getTemplate().getSpec().getContainers().get(0);
        ParseResult mergeArgs = parse(m.getArgs()).subcommand().subcommand();
        assertEquals("merge", mergeArgs.commandSpec().name());
        assertTrue(mergeArgs.hasMatchedOption("--unmeasured-ok"));
        assertEquals(reports, mergeArgs.matchedPositionalValue(0, List.<Path>of()).stream().map(Path::toString)
                .toList());
        assertEquals("results", mergeJob.getSpec().getTemplate().getSpec().getVolumes().get(0).getName());
    }

    @Test
    void caDirectoryBecomesTheSecretTheShardsMount() throws Exception {
        Path ca = dir.resolve("ca");
        LocalCertificateAuthority.openOrCreate(ca, Clock.systemUTC());
        String yaml = FleetJobManifest.yaml(new FleetJobManifest(options(3, 30, "10.0.0.7:8883", ca)).fleet());
        List<JsonNode> docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll();
        Secret secret = typed(docs.get(0), Secret.class);
        assertEquals("pettysync-fleet-ca", secret.getMetadata().getName());
        assertArrayEquals(Files.readAllBytes(ca.resolve("ca.pem")),
                Base64.getDecoder().decode(secret.getData().get("ca.pem")));
        assertArrayEquals(Files.readAllBytes(ca.resolve("ca.key")),
                Base64.getDecoder().decode(secret.getData().get("ca.key")));
        Job job = typed(docs.get(2), Job.class);
        assertEquals(secret.getMetadata().getName(),
                job.getSpec().getTemplate().getSpec().getVolumes().get(0).getSecret().getSecretName());
    }

    @Test
    void podTargetGivesEachShardItsOwnCloudAsANativeSidecar() throws Exception {
        String yaml = FleetJobManifest.yaml(new FleetJobManifest(options(3, 3000, "pod", null)).fleet());
        Job job = typed(YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll().get(1), Job.class);
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        // first the cloud's state directory (frames.db) is made, by the same command run for a second ...
        Container state = pod.getInitContainers().get(0);
        assertEquals(null, state.getRestartPolicy());
        ParseResult stateArgs = parse(state.getArgs()).subcommand();
        assertEquals(1L, (long) stateArgs.matchedOptionValue("--duration", 0L));
        // ... then the cloud runs as a sidecar: beside the shard, stopped after it
        Container cloud = pod.getInitContainers().get(1);
        assertEquals("Always", cloud.getRestartPolicy());
        ParseResult cloudArgs = parse(cloud.getArgs()).subcommand();
        assertEquals("cloud", cloudArgs.commandSpec().name());
        assertEquals(Path.of(FleetJobManifest.CA_MOUNT), cloudArgs.matchedOptionValue("--ca-dir", Path.of("")));
        assertEquals(8883, (int) cloudArgs.matchedOptionValue("--port", 0));
        // the broker's budget: its base + 1,000 collars at 30 KiB
        assertEquals((ShardBudget.BROKER_BASE_MIB + 30) + "Mi",
                cloud.getResources().getLimits().get("memory").toString());

        Container shard = pod.getContainers().get(0);
        ParseResult simulate = parse(expand(shard.getArgs(), Map.of("JOB_COMPLETION_INDEX", "2", "SHARDS", "3")))
                .subcommand();
        assertEquals("localhost:8883", simulate.matchedOptionValue("--target", ""));
        Path frames = simulate.matchedOptionValue("--frames", Path.of(""));
        Path cloudDir = Path.of(cloudArgs.matchedOptionValue("--dir", Path.of("")).toString());
        assertEquals(cloudDir.resolve("frames.db"), frames);
        assertFalse(simulate.hasMatchedOption("--unmeasured-ok"), "a pod's own cloud counts delivery: 4 stays a failure");
        assertEquals(cloudDir, stateArgs.matchedOptionValue("--dir", Path.of("")));
        // both containers mount the same cloud volume at that directory
        for (Container c : List.of(state, cloud, shard)) {
            assertTrue(c.getVolumeMounts().stream().anyMatch(m -> m.getName().equals("cloud")
                    && Path.of(m.getMountPath()).equals(cloudDir)), c.getName());
        }
        assertTrue(pod.getVolumes().stream().anyMatch(v -> v.getName().equals("cloud") && v.getEmptyDir() != null));
    }

    @Test
    void badInputIsRefusedWithTheReason() {
        assertMessage("--shards must be ≥ 1", () -> options(0, 100, "mqtt.example.net:8883", null));
        assertMessage("more shards (5) than collars (4)", () -> options(5, 4, "mqtt.example.net:8883", null));
        for (String target : List.of("mqtt.example.net", "mqtt.example.net:0", "mqtt.example.net:65536", ":8883",
                "bad host:8883", "mqtt.example.net:port", "")) {
            assertMessage("--target must be HOST:PORT", () -> options(2, 100, target, null));
        }
        assertMessage("--namespace must be a DNS label", () -> new FleetJobManifest.Options(1, 10, "h:1", "img",
                "Fleet_NS", "s", null, "1h", 1, 50, 60, "1", null));
        assertMessage("not a duration", () -> new FleetJobManifest.Options(1, 10, "h:1", "img", "fleet", "s", null,
                "an hour", 1, 50, 60, "1", null));
        assertMessage("is not a CA directory: no ca.pem",
                () -> new FleetJobManifest(options(1, 10, "h:1", dir)).fleet());
    }

    @Test
    void theCommandPrintsTheManifestOrSaysWhatIsWrong() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Pettysync.execute(new String[] {"simulate", "k8s", "--shards", "4", "--collars", "400",
            "--target", "mqtt.fleet.svc:8883", "--image", "pettysync/fleet:t", "--namespace", "fleet"},
                List.of(new SimulatorCommands()), new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        Job job = typed(YAML.readerFor(JsonNode.class).<JsonNode>readValues(out.toString()).readAll().get(1),
                Job.class);
        assertEquals(4, job.getSpec().getCompletions());

        StringWriter err2 = new StringWriter();
        code = Pettysync.execute(new String[] {"simulate", "k8s", "--shards", "0", "--target", "h:1", "--image",
            "i"}, List.of(new SimulatorCommands()), new PrintWriter(new StringWriter()), new PrintWriter(err2));
        assertEquals(Pettysync.EXIT_BAD_INPUT, code);
        assertTrue(err2.toString().contains("--shards must be ≥ 1"), err2.toString());
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(expected), x.getMessage());
    }

    /** The real command tree; picocli resets every option before each parse, so one tree serves every parse. */
    private static final CommandLine CLI = Pettysync.commandLine(List.of(new SimulatorCommands()));

    private static ParseResult parse(List<String> args) {
        return CLI.parseArgs(args.toArray(String[]::new));
    }

    /** The kubelet's expansion of {@code $(VAR)} in a container's args (unknown references stay as written). */
    private static List<String> expand(List<String> args, Map<String, String> env) {
        return args.stream().map(a -> {
            Matcher m = K8S_VAR.matcher(a);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(b, Matcher.quoteReplacement(env.getOrDefault(m.group(1), m.group())));
            }
            return m.appendTail(b).toString();
        }).toList();
    }

    /**
     * {@code node} as fabric8's typed {@code type}, refusing any field the Kubernetes model does not know (fabric8
     * keeps such fields in {@code additionalProperties} instead of failing: a typo would otherwise pass).
     */
    private static <T> T typed(JsonNode node, Class<T> type) throws Exception {
        T value = YAML.treeToValue(node, type);
        assertNoUnknownFields(value, type.getSimpleName());
        return value;
    }

    private static void assertNoUnknownFields(Object o, String path) throws Exception {
        if (o == null) {
            return;
        }
        if (o instanceof Collection<?> list) {
            int i = 0;
            for (Object e : list) {
                assertNoUnknownFields(e, path + "[" + i++ + "]");
            }
            return;
        }
        if (o instanceof Map<?, ?> map) {
            for (var e : map.entrySet()) {
                assertNoUnknownFields(e.getValue(), path + "." + e.getKey());
            }
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object v = m.invoke(o);
            if (m.getName().equals("getAdditionalProperties")) {
                assertTrue(((Map<?, ?>) v).isEmpty(), "fields unknown to Kubernetes at " + path + ": " + v);
            } else {
                assertNoUnknownFields(v, path + "." + m.getName().substring(3));
            }
        }
    }
}
