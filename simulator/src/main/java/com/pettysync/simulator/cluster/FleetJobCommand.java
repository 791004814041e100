package com.pettysync.simulator.cluster;

import com.pettysync.cli.BadInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pettysync simulate k8s}: prints the Kubernetes manifest of a sharded fleet run ({@link FleetJobManifest}) to
 * stdout, for {@code kubectl apply -f -}; {@code --merge} prints the Job that merges the shard reports afterwards.
 */
@Command(name = "k8s", mixinStandardHelpOptions = true,
        description = {"Print the Kubernetes manifest of a fleet run sharded over N pods: an Indexed Job running "
                + "'pettysync simulate --shard i/N' from the fleet image (./mvnw -B -pl simulator -am -Pimage "
                + "package), certificates issued from the CA in a Secret, reports on a shared volume. --merge prints "
                + "the Job that merges the reports, to apply once the fleet Job has finished.",
                "Example: pettysync simulate k8s --shards 7 --collars 28000 --target mqtt.example.net:8883 "
                        + "--image registry.example.net/pettysync/fleet:0.1.0 --namespace fleet > fleet.yaml"})
public final class FleetJobCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--shards", required = true, description = "shard pods (Job completions)")
    int shards;

    @Option(names = "--collars", defaultValue = "1000",
            description = "fleet size, all shards (default ${DEFAULT-VALUE})")
    int collars;

    @Option(names = "--target", required = true, paramLabel = "HOST:PORT|pod", description = "the MQTT-over-TLS "
            + "endpoint all shards connect to (it presents a server certificate from the CA for HOST and accepts "
            + "collar certificates issued by it); 'pod': each shard pod runs its own 'pettysync cloud' beside it "
            + "(a native sidecar, Kubernetes 1.29+) and counts its lost and duplicate frames")
    String target;

    @Option(names = "--image", required = true, paramLabel = "REF", description = "the fleet image as the cluster "
            + "pulls it (built by -Pimage, pushed with skopeo/crane or loaded with kind)")
    String image;

    @Option(names = "--namespace", defaultValue = "default", description = "namespace of every object "
            + "(default ${DEFAULT-VALUE})")
    String namespace;

    @Option(names = "--ca-secret", defaultValue = "pettysync-fleet-ca", paramLabel = "NAME",
            description = "the Secret with ca.pem + ca.key (default ${DEFAULT-VALUE})")
    String caSecret;

    @Option(names = "--ca", paramLabel = "DIR", description = "also render that Secret from this CA directory "
            + "(ca.pem + ca.key, base64; the file then holds the CA's private key). Without it, create the Secret with "
            + "kubectl create secret generic NAME --from-file=DIR/ca.pem --from-file=DIR/ca.key")
    Path ca;

    @Option(names = "--duration", defaultValue = "1h", paramLabel = "DURATION",
            description = "simulated duration of each shard (default ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--speedup", defaultValue = "1", description = "simulated seconds per real second (default "
            + "${DEFAULT-VALUE}: the real 5-minute cadence)")
    double speedup;

    @Option(names = "--ramp-per-s", defaultValue = "50", description = "collars each shard starts per real second "
            + "(default ${DEFAULT-VALUE})")
    double rampPerS;

    @Option(names = "--memory-per-collar-kib", defaultValue = "" + ShardBudget.FLEET_RSS_PER_COLLAR_KIB,
            paramLabel = "KIB", description = "memory budget per collar; a pod's memory is "
            + ShardBudget.JVM_BASE_MIB + " MiB + collars per shard × this (default ${DEFAULT-VALUE}, the fleet's "
            + "target)")
    int perCollarKib;

    @Option(names = "--cpu", defaultValue = "1", description = "CPU request per shard pod (default ${DEFAULT-VALUE})")
    String cpu;

    @Option(names = "--storage-class", paramLabel = "NAME", description = "storage class of the results claim "
            + "(ReadWriteMany; default: the cluster's default class)")
    String storageClass;

    @Option(names = "--merge", description = "print the merge Job instead (apply it after the fleet Job finished)")
    boolean merge;

    @Override
    public Integer call() throws IOException {
        FleetJobManifest manifest;
        try {
            manifest = new FleetJobManifest(new FleetJobManifest.Options(shards, collars, target, image, namespace,
                    caSecret, ca, duration, speedup, rampPerS, perCollarKib, cpu, storageClass));
            PrintWriter out = spec.commandLine().getOut();
            out.print(FleetJobManifest.yaml(merge ? manifest.merge() : manifest.fleet()));
            out.flush();
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        return 0;
    }
}
