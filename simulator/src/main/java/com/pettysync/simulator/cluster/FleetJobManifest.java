package com.pettysync.simulator.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.pettysync.provisioning.ca.LocalCertificateAuthority;
import com.pettysync.simulator.fleet.Fault;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The Kubernetes objects that run one fleet as N shards: an Indexed Job whose pod {@code i} runs
 * {@code pettysync simulate --shard i/N} from the fleet image, every collar's certificate issued in memory from the CA
 * mounted from a Secret, each shard writing {@code /results/shard-i/report.json} to a shared volume; and the merge Job
 * that combines those reports once the fleet Job is done.
 *
 * <p>What it renders ({@link #fleet()}): the CA Secret when {@link Options#caDirectory} is given (else the Secret is
 * expected to exist: {@code kubectl create secret generic NAME --from-file=DIR/ca.pem --from-file=DIR/ca.key}), the
 * results PersistentVolumeClaim ({@code ReadWriteMany}: every shard pod writes to it, wherever it runs), and the Job.
 * {@link #merge()} renders the merge Job, to apply after the fleet Job has finished. With {@code --target pod} each
 * shard pod also runs its own {@code pettysync cloud} as a native sidecar on the pod's loopback, so that a cluster
 * with no endpoint of its own runs the whole path and every shard counts its lost and duplicate frames. Pods run as
 * the image's non-root user with a read-only root file system; {@code /tmp} and the outboxes are emptyDirs.
 *
 * <p>The shard index reaches the command line through Kubernetes' own {@code $(VAR)} expansion of {@code args}
 * (no shell in the image): {@code --shard $(JOB_COMPLETION_INDEX)/$(SHARDS)}; {@code JOB_COMPLETION_INDEX} is
 * declared from the pod's completion-index annotation, as the Job controller itself would add it.
 */
public final class FleetJobManifest {
    public static final String FLEET_JOB = "pettysync-fleet";
    public static final String MERGE_JOB = "pettysync-fleet-merge";
    public static final String RESULTS_CLAIM = "pettysync-fleet-results";
    public static final String CA_MOUNT = "/etc/pettysync/ca";
    public static final String RESULTS_MOUNT = "/results";
    public static final String OUTBOX_MOUNT = "/work/outboxes";
    public static final String CLOUD_MOUNT = "/work/cloud";
    /** {@code --target pod}: each shard pod runs its own {@code pettysync cloud} beside the fleet. */
    public static final String POD_TARGET = "pod";
    /** The in-pod cloud's MQTT port, on the pod's loopback. */
    public static final int POD_CLOUD_PORT = 8883;
    /** The image's user (Jib {@code container.user} in the simulator's pom). */
    public static final long IMAGE_USER = 65532;

    private static final Pattern HOST = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile(
            "(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern QUANTITY = Pattern.compile("[0-9]+(\\.[0-9]+)?m?");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /**
     * What the fleet looks like on the cluster.
     *
     * @param shards        N: pods (Job completions), each a {@code simulate --shard i/N} process
     * @param collars       the whole fleet; shard i runs collars {@code [i·C/N, (i+1)·C/N)}
     * @param target        {@code HOST:PORT}: the MQTT-over-TLS endpoint every shard connects to, one for all; or
     *                      {@link #POD_TARGET}: each shard pod runs its own {@code pettysync cloud} as a sidecar
     *                      (same CA) and counts its stored, lost and duplicate frames in that cloud's store
     * @param image         the fleet image reference ({@code -Pimage}, pushed where the cluster pulls from)
     * @param namespace     the namespace of every object
     * @param caSecret      the Secret holding {@code ca.pem} + {@code ca.key}
     * @param caDirectory   when not null: a CA directory rendered into that Secret (base64 data)
     * @param duration      simulated duration ({@code simulate --duration})
     * @param speedup       simulated seconds per real second ({@code simulate --speedup})
     * @param rampPerS      collars started per real second in each shard ({@code simulate --ramp-per-s})
     * @param perCollarKib  memory budget per collar, KiB ({@link ShardBudget})
     * @param cpu           CPU request per shard pod (a Kubernetes quantity: {@code 1}, {@code 500m})
     * @param storageClass  the results claim's storage class (null: the cluster's default)
     */
    public record Options(int shards, int collars, String target, String image, String namespace, String caSecret,
            Path caDirectory, String duration, double speedup, double rampPerS, int perCollarKib, String cpu,
            String storageClass) {
        public Options {
            if (shards < 1) {
                throw new IllegalArgumentException("--shards must be ≥ 1, got " + shards);
            }
            if (collars < shards) {
                throw new IllegalArgumentException("more shards (" + shards + ") than collars (" + collars
                        + "): every shard needs at least one collar");
            }
            Objects.requireNonNull(target, "target");
            if (!target.equals(POD_TARGET)) {
                requireHostPort(target);
            }
            if (image == null || image.isBlank() || image.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("--image must be an image reference without spaces, got '"
                        + image + "'");
            }
            if (namespace == null || !DNS_LABEL.matcher(namespace).matches()) {
                throw new IllegalArgumentException("--namespace must be a DNS label (lower-case letters, digits, "
                        + "'-', at most 63), got '" + namespace + "'");
            }
            if (caSecret == null || !DNS_SUBDOMAIN.matcher(caSecret).matches()) {
                throw new IllegalArgumentException("--ca-secret must be a DNS subdomain name, got '" + caSecret + "'");
            }
            Objects.requireNonNull(duration, "duration");
            Fault.duration(duration);   // refuses with "not a duration: … (use 90s, 10m, 1h or PT10M)"
            if (!(speedup > 0) || !(rampPerS > 0) || perCollarKib < 1) {
                throw new IllegalArgumentException("--speedup, --ramp-per-s and --memory-per-collar-kib must be > 0");
            }
            if (cpu == null || !QUANTITY.matcher(cpu).matches()) {
                throw new IllegalArgumentException("--cpu must be a CPU quantity like 1, 1.5 or 500m, got '" + cpu
                        + "'");
            }
            if (storageClass != null && !DNS_SUBDOMAIN.matcher(storageClass).matches()) {
                throw new IllegalArgumentException("--storage-class must be a DNS subdomain name, got '"
                        + storageClass + "'");
            }
        }

        private static void requireHostPort(String target) {
            int colon = target.lastIndexOf(':');
            int port = -1;
            if (colon > 0) {
                try {
                    port = Integer.parseInt(target.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
            }
            if (port < 1 || port > 65535 || !HOST.matcher(target.substring(0, colon)).matches()) {
                throw new IllegalArgumentException("--target must be HOST:PORT (a DNS name or IPv4 address and a port "
                        + "1-65535, e.g. mqtt.fleet.svc:8883) or 'pod', got '" + target + "'");
            }
        }

        /** True when each shard pod brings its own cloud. */
        public boolean podTarget() {
            return target.equals(POD_TARGET);
        }

        /** The largest shard (the pods share one template, so every pod gets its budget). */
        public int collarsPerShard() {
            return (collars + shards - 1) / shards;
        }
    }

    private final Options options;

    public FleetJobManifest(Options options) {
        this.options = Objects.requireNonNull(options);
    }

    /** The memory of every shard pod. */
    public ShardBudget budget() {
        return new ShardBudget(options.collarsPerShard(), options.perCollarKib());
    }

    /** The fleet: [CA Secret,] results claim, Indexed Job. Reads the CA directory when one is given. */
    public List<ObjectNode> fleet() throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        if (options.caDirectory() != null) {
            out.add(caSecret(options.caDirectory()));
        }
        out.add(resultsClaim());
        out.add(fleetJob());
        return out;
    }

    /** The merge Job: {@code simulate merge} of every shard's report into {@code /results/merged}. */
    public List<ObjectNode> merge() {
        ArrayNode args = JSON.arrayNode().add("simulate").add("merge");
        for (int i = 0; i < options.shards(); i++) {
            args.add(reportPath(i));
        }
        args.add("--out").add(RESULTS_MOUNT + "/merged");
        if (!options.podTarget()) {
            args.add("--unmeasured-ok"); // the merged verdict says "not measured", as each shard's does
        }
        ObjectNode container = container("merge", args, "1Gi", "500m");
        container.set("volumeMounts", JSON.arrayNode().add(mount("results", RESULTS_MOUNT, false))
                .add(mount("tmp", "/tmp", false)));
        ObjectNode pod = podSpec(container);
        pod.set("volumes", JSON.arrayNode().add(claimVolume()).add(emptyDir("tmp")));
        ObjectNode job = object("batch/v1", "Job", MERGE_JOB);
        ObjectNode spec = job.putObject("spec");
        spec.put("backoffLimit", 0);
        template(spec, pod);
        return List.of(job);
    }

    /** The shard's report path in the results volume. */
    public static String reportPath(int shard) {
        return shardDirectory(Integer.toString(shard)) + "/report.json";
    }

    /** The shard's {@code --out} directory in the results volume ({@code index}: a number or a {@code $(VAR)}). */
    private static String shardDirectory(String index) {
        return RESULTS_MOUNT + "/shard-" + index;
    }

    /** Objects as one YAML stream ({@code ---} between documents), for {@code kubectl apply -f -}. */
    public static String yaml(List<ObjectNode> objects) {
        YAMLFactory factory = YAMLFactory.builder()
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .disable(YAMLGenerator.Feature.SPLIT_LINES)
                .build();
        ObjectMapper mapper = new ObjectMapper(factory);
        StringWriter w = new StringWriter();
        try {
            for (ObjectNode o : objects) {
                w.write(mapper.writeValueAsString(o));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    ObjectNode caSecret(Path dir) throws IOException {
        ObjectNode secret = object("v1", "Secret", options.caSecret());
        secret.put("type", "Opaque");
        ObjectNode data = secret.putObject("data");
        for (String name : List.of(LocalCertificateAuthority.CA_CERTIFICATE_FILE,
                LocalCertificateAuthority.CA_KEY_FILE)) {
            Path file = dir.resolve(name);
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("--ca " + dir + " is not a CA directory: no " + name
                        + " (create one with 'pettysync cloud --ca-dir " + dir + "')");
            }
            data.put(name, Base64.getEncoder().encodeToString(Files.readAllBytes(file)));
        }
        return secret;
    }

    ObjectNode resultsClaim() {
        ObjectNode claim = object("v1", "PersistentVolumeClaim", RESULTS_CLAIM);
        ObjectNode spec = claim.putObject("spec");
        spec.putArray("accessModes").add("ReadWriteMany");
        if (options.storageClass() != null) {
            spec.put("storageClassName", options.storageClass());
        }
        // a report is well under 1 MiB (HdrHistograms + the worst collars); the merged page likewise
        spec.putObject("resources").putObject("requests").put("storage", (options.shards() / 100 + 1) + "Gi");
        return claim;
    }

    ObjectNode fleetJob() {
        String shardOut = shardDirectory("$(JOB_COMPLETION_INDEX)");
        ArrayNode args = JSON.arrayNode()
                .add("simulate")
                .add("--collars").add(Integer.toString(options.collars()))
                .add("--shard").add("$(JOB_COMPLETION_INDEX)/$(SHARDS)")
                .add("--target").add(options.podTarget() ? "localhost:" + POD_CLOUD_PORT : options.target())
                .add("--ca").add(CA_MOUNT)
                .add("--duration").add(options.duration())
                .add("--speedup").add(number(options.speedup()))
                .add("--ramp-per-s").add(number(options.rampPerS()))
                .add("--outbox-dir").add(OUTBOX_MOUNT)
                .add("--out").add(shardOut);
        if (options.podTarget()) {
            // count this shard's stored, lost and duplicate frames in its own cloud's store
            args.add("--frames").add(CLOUD_MOUNT + "/frames.db");
        } else {
            // against a remote endpoint no shard can count delivery: its report says "not measured"; exit 0 so that
            // the pod (backoffLimit 0) does not fail the Job for a count it could never make
            args.add("--unmeasured-ok");
        }
        ObjectNode container = container("simulate", args, budget().memoryQuantity(), options.cpu());
        ArrayNode env = JSON.arrayNode();
        env.addObject().put("name", "JOB_COMPLETION_INDEX").putObject("valueFrom").putObject("fieldRef")
                .put("fieldPath", "metadata.annotations['batch.kubernetes.io/job-completion-index']");
        env.addObject().put("name", "SHARDS").put("value", Integer.toString(options.shards()));
        container.set("env", env);
        ArrayNode mounts = JSON.arrayNode()
                .add(mount("ca", CA_MOUNT, true))
                .add(mount("results", RESULTS_MOUNT, false))
                .add(mount("outboxes", OUTBOX_MOUNT, false))
                .add(mount("tmp", "/tmp", false));
        if (options.podTarget()) {
            mounts.add(mount("cloud", CLOUD_MOUNT, false));
        }
        container.set("volumeMounts", mounts);
        ObjectNode pod = podSpec(container);
        ObjectNode ca = JSON.objectNode().put("name", "ca");
        // 0440 with the pod's fsGroup: readable by the image's user, by no one else
        ca.putObject("secret").put("secretName", options.caSecret()).put("defaultMode", 0440);
        ArrayNode volumes = JSON.arrayNode().add(ca).add(claimVolume()).add(emptyDir("outboxes")).add(emptyDir("tmp"));
        if (options.podTarget()) {
            volumes.add(emptyDir("cloud"));
            pod.putArray("initContainers").add(podCloud(true)).add(podCloud(false));
        }
        pod.set("volumes", volumes);

        ObjectNode job = object("batch/v1", "Job", FLEET_JOB);
        ObjectNode spec = job.putObject("spec");
        spec.put("completionMode", "Indexed");
        spec.put("completions", options.shards());
        spec.put("parallelism", options.shards());
        // a failed shard is a failed verdict: no silent retry of a run whose collars already sent frames
        spec.put("backoffLimit", 0);
        template(spec, pod);
        return job;
    }

    /**
     * The shard's own {@code pettysync cloud} on the pod's loopback, with the CA from the Secret. Two init containers:
     * {@code cloud-state} runs it for a second so that its state directory, {@code frames.db} included, exists before
     * the shard opens it ({@code --frames} refuses a missing store, and the kubelet cannot probe a loopback-only
     * port); then {@code cloud}, a native sidecar (an init container that keeps running: Kubernetes 1.29+), which the
     * kubelet stops when the shard has finished. The shard's first connects may precede the broker's start; the
     * agent's back-off retries them.
     */
    private ObjectNode podCloud(boolean prepareState) {
        ArrayNode args = JSON.arrayNode().add("cloud")
                .add("--dir").add(CLOUD_MOUNT)
                .add("--ca-dir").add(CA_MOUNT)
                .add("--port").add(Integer.toString(POD_CLOUD_PORT))
                // the shard's certificates are issued in memory from the CA, not registered: see the README
                .add("--no-registry-authentication");
        if (prepareState) {
            args.add("--duration").add("1");
        }
        ObjectNode cloud = container(prepareState ? "cloud-state" : "cloud", args, budget().brokerMemoryQuantity(),
                options.cpu());
        if (!prepareState) {
            cloud.put("restartPolicy", "Always");
        }
        cloud.set("volumeMounts", JSON.arrayNode()
                .add(mount("ca", CA_MOUNT, true))
                .add(mount("cloud", CLOUD_MOUNT, false))
                .add(mount("tmp", "/tmp", false)));
        return cloud;
    }

    private ObjectNode object(String apiVersion, String kind, String name) {
        ObjectNode o = JSON.objectNode();
        o.put("apiVersion", apiVersion);
        o.put("kind", kind);
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", name);
        meta.put("namespace", options.namespace());
        meta.putObject("labels").put("app.kubernetes.io/name", FLEET_JOB);
        return o;
    }

    private ObjectNode container(String name, ArrayNode args, String memory, String cpu) {
        ObjectNode c = JSON.objectNode();
        c.put("name", name);
        c.put("image", options.image());
        c.set("args", args);   // the image's entrypoint is the pettysync launcher's java command
        ObjectNode resources = c.putObject("resources");
        resources.putObject("requests").put("memory", memory).put("cpu", cpu);
        resources.putObject("limits").put("memory", memory);
        ObjectNode security = c.putObject("securityContext");
        security.put("allowPrivilegeEscalation", false);
        security.put("readOnlyRootFilesystem", true);
        security.putObject("capabilities").putArray("drop").add("ALL");
        return c;
    }

    private static ObjectNode podSpec(ObjectNode container) {
        ObjectNode pod = JSON.objectNode();
        pod.put("restartPolicy", "Never");
        ObjectNode security = pod.putObject("securityContext");
        security.put("runAsNonRoot", true);
        security.put("runAsUser", IMAGE_USER);
        security.put("runAsGroup", IMAGE_USER);
        security.put("fsGroup", IMAGE_USER);
        pod.putArray("containers").add(container);
        return pod;
    }

    private static void template(ObjectNode jobSpec, ObjectNode pod) {
        ObjectNode template = jobSpec.putObject("template");
        template.putObject("metadata").putObject("labels").put("app.kubernetes.io/name", FLEET_JOB);
        template.set("spec", pod);
    }

    private static ObjectNode mount(String volume, String path, boolean readOnly) {
        ObjectNode m = JSON.objectNode().put("name", volume).put("mountPath", path);
        if (readOnly) {
            m.put("readOnly", true);
        }
        return m;
    }

    private static ObjectNode claimVolume() {
        ObjectNode v = JSON.objectNode().put("name", "results");
        v.putObject("persistentVolumeClaim").put("claimName", RESULTS_CLAIM);
        return v;
    }

    private static ObjectNode emptyDir(String name) {
        ObjectNode v = JSON.objectNode().put("name", name);
        v.putObject("emptyDir");
        return v;
    }

    private static String number(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
