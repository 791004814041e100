package com.pettysync.agent.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.agent.provision.ProvisioningStatus;
import com.pettysync.contract.json.JsonTrees;
import com.pettysync.drivers.SensorStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The agent's health in {@code <data directory>/status.json}, replaced atomically (write to a temporary file,
 * rename) so a reader never sees half a file. Written every {@value #EVERY_S} s and at shutdown: about 3 KB a
 * minute, so it does not wear an SD card. {@code pettysync agent status} reads it. JSON through {@link JsonTrees}
 * (no ObjectMapper in the agent's process).
 */
public final class StatusFile {
    public static final String NAME = "status.json";
    public static final int EVERY_S = 30;

    private StatusFile() {
    }

    public static void write(Path dataDir, ObjectNode status) throws IOException {
        Path tmp = dataDir.resolve(NAME + ".tmp");
        Files.write(tmp, JsonTrees.prettyBytes(status));
        Files.move(tmp, dataDir.resolve(NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public static ObjectNode read(Path dataDir) throws IOException {
        Path file = dataDir.resolve(NAME);
        if (!(JsonTrees.read(Files.readAllBytes(file)) instanceof ObjectNode o)) {
            throw new IOException(file + ": not a JSON object");
        }
        return o;
    }

    /**
     * Each sensor's state, by sensor name in name order: {@code {"hr": {"state": "fault", "code": 2, "fault": "no_ack",
     * "detail": "..."}, "imu": {"state": "ok"}}}. The code is the driver's {@code FaultCode.code()}.
     */
    public static ObjectNode sensorStates(Map<String, SensorStatus> statuses) {
        ObjectNode states = JsonTrees.object();
        new TreeMap<>(statuses).forEach((name, st) -> {
            ObjectNode n = states.putObject(name);
            if (st.isOk()) {
                n.put("state", "ok");
            } else {
                n.put("state", "fault");
                n.put("code", st.fault().code());
                n.put("fault", st.fault().name().toLowerCase(Locale.ROOT));
                n.put("detail", st.detail());
            }
        });
        return states;
    }

    /**
     * The {@code provisioning} section while the collar provisions itself by claim: {@code {"state":
     * "waiting_to_retry", "attempt": 3, "failures": 2, "lastError": "...", "nextAttempt": "...", "since": "...",
     * "thingName": null}}.
     */
    public static ObjectNode provisioning(ProvisioningStatus p) {
        ObjectNode n = JsonTrees.object();
        n.put("state", p.state().jsonName());
        n.put("attempt", p.attempt());
        n.put("failures", p.failures());
        n.put("lastError", p.lastError());
        n.put("nextAttempt", p.nextAttempt() == null ? null : p.nextAttempt().toString());
        n.put("since", p.since() == null ? null : p.since().toString());
        n.put("thingName", p.thingName());
        return n;
    }

    public static ObjectNode newNode() {
        return JsonTrees.object();
    }

    /** The energy account as written to the status file (and the shadow's {@code reported.energy}). */
    public static ObjectNode energy(com.pettysync.agent.energy.EnergyAccount.Report r) {
        ObjectNode e = newNode();
        e.put("measuredS", Math.round(r.seconds()));
        e.put("idleFloorMw", r.idleFloorMw());
        ObjectNode c = e.putObject("components");
        for (com.pettysync.agent.energy.EnergyAccount.Component k
                : com.pettysync.agent.energy.EnergyAccount.Component.values()) {
            ObjectNode o = c.putObject(k.jsonName());
            o.put("mw", round3(r.mw().get(k)));
            o.put("mWhPerDay", round3(r.mwhPerDay(k)));
        }
        e.put("totalMw", round3(r.totalMw()));
        e.put("cpuRadioPctOfFloor", round3(r.cpuRadioPctOfFloor()));
        e.put("batteryMah", r.batteryMah());
        e.put("batteryHours", Math.round(r.batteryHours() * 10) / 10.0);
        return e;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
