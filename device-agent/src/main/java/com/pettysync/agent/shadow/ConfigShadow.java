package com.pettysync.agent.shadow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.agent.storage.AtomicFile;
import com.pettysync.agent.uplink.BrokerException;
import com.pettysync.agent.uplink.Uplink;
import com.pettysync.contract.json.JsonTrees;
import com.pettysync.contract.shadow.CollarConfig;
import com.pettysync.contract.shadow.ConfigChange;
import com.pettysync.contract.shadow.ConfigDelta;
import com.pettysync.contract.shadow.ShadowDocument;
import com.pettysync.contract.topic.ShadowOperation;
import com.pettysync.contract.topic.ShadowTopic;
import com.pettysync.contract.topic.ThingName;
import com.pettysync.contract.topic.TopicScheme;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.tinylog.Logger;

/**
 * The collar's side of the named shadow {@code config} (contract §6), as an {@link Uplink.Hooks}.
 *
 * <p>On every connect it subscribes to the collar's shadow and jobs topics ({@link TopicScheme#collarSubscriptions})
 * and asks for the shadow ({@code get}). The reply's {@code desired} state and every later {@code update/delta}
 * are applied with the contract's pure function ({@link ConfigDelta}); what is valid takes effect at once through
 * the {@code onChange} callback (no restart), and a {@code reported} update lists every setting in force plus
 * {@code rejected} with the reason for each refused field. A shadow that does not exist yet ({@code get/rejected})
 * is answered with a report of the current settings, which creates it. Deltas with a version not newer than the
 * last one applied are ignored (AWS may deliver them out of order). Nothing here can throw on a bad document:
 * the contract function never throws, and a failure to publish the report is logged (the next connect reports
 * again).
 *
 * <p>Settings that need a new connection ({@code keepAliveS}) apply from the next connect; the window length from
 * the next window.
 *
 * <p>Settings survive a restart: every applied change is saved to {@code saved} (normally
 * {@code <data directory>/}{@value #SAVED_FILE}: the settings in force as a shadow document
 * {@code {"state":{"desired":{...}}}}, written to a temporary file, fsynced and renamed, a few hundred bytes and only
 * when something changed). At start the saved document is applied over the configured defaults with the same
 * contract function, so a collar that reboots without a network keeps its geofences, heart-rate limits, window
 * length and lost mode; the cloud's shadow stays the authority and overrides them on the next connect. A saved file
 * that cannot be read or is refused (corrupt, or written by firmware with other rules) is logged and the defaults
 * are used; the agent starts in every case. A failed save is logged and retried with the next change.
 */
public final class ConfigShadow implements Uplink.Hooks {
    /** Where the agent keeps the applied settings, in its data directory. */
    public static final String SAVED_FILE = "shadow-config.json";

    private final ThingName thing;
    private final Path saved;
    private final Consumer<CollarConfig> onChange;
    private volatile CollarConfig current;
    private long lastVersion = -1;
    private Set<String> rejectedBefore = new HashSet<>();
    private volatile Uplink uplink;
    private volatile ObjectNode deviceState; // the last state reported beside the settings

    /** Settings kept in memory only (tests, tools). */
    public ConfigShadow(ThingName thing, CollarConfig initial, Consumer<CollarConfig> onChange) {
        this(thing, initial, onChange, null);
    }

    /**
     * @param initial the configured settings, before any shadow
     * @param saved   the file applied settings are saved to and restored from; null keeps them in memory only
     */
    public ConfigShadow(ThingName thing, CollarConfig initial, Consumer<CollarConfig> onChange, Path saved) {
        this.thing = thing;
        this.onChange = onChange;
        this.saved = saved;
        this.current = restore(initial);
    }

    private CollarConfig restore(CollarConfig initial) {
        if (saved == null || !Files.exists(saved)) {
            return initial;
        }
        try {
            ConfigChange c = ConfigDelta.applyDesired(initial, Files.readString(saved, StandardCharsets.UTF_8));
            if (c.hasRejections()) {
                Logger.warn("saved shadow settings in {} partly refused, defaults kept for: {}", saved,
                        c.rejected());
            }
            Logger.info("shadow settings restored from {}: {}", saved, c.applied().keySet());
            return c.config();
        } catch (IOException | RuntimeException e) {
            Logger.warn("cannot read saved shadow settings {} ({}); starting from the configured ones", saved,
                    e.toString());
            return initial;
        }
    }

    private void save() {
        if (saved == null) {
            return;
        }
        ObjectNode doc = JsonTrees.object();
        doc.putObject("state").set("desired", current.toJson());
        try {
            AtomicFile.write(saved, JsonTrees.bytes(doc));
        } catch (IOException e) {
            Logger.warn("cannot save shadow settings to {}: {} (kept in memory; retried on the next change)", saved,
                    e.toString());
        }
    }

    /** The settings in force (any thread). */
    public CollarConfig current() {
        return current;
    }

    private String topic(ShadowOperation op) {
        return ShadowTopic.config(thing, op).name();
    }

    @Override
    public void connected(Uplink up) {
        this.uplink = up;
        lastVersion = -1;
        try {
            up.subscribe(TopicScheme.collarSubscriptions(thing));
        } catch (BrokerException e) {
            Logger.warn("shadow subscriptions failed: {}", e.getMessage());
        }
        up.publishControl(topic(ShadowOperation.GET), bytes(ShadowDocument.getRequest(null)));
        ObjectNode device = deviceState;
        if (device != null) {
            publishState(up, device);
        }
    }

    /**
     * Reports device state beside the settings in {@code reported} (e.g. {@code {"gnss": {...}, "energy": {...}}}):
     * AWS merges reported state, so these keys sit next to the settings and are replaced on each report. Sent now if
     * connected, and again after every connect. Any thread.
     */
    public void reportState(ObjectNode fields) {
        deviceState = fields.deepCopy();
        Uplink up = uplink;
        if (up != null && up.connected()) {
            publishState(up, deviceState);
            up.wake();
        }
    }

    private void publishState(Uplink up, ObjectNode fields) {
        ObjectNode root = JsonTrees.object();
        root.putObject("state").set("reported", fields);
        up.publishControl(topic(ShadowOperation.UPDATE), JsonTrees.bytes(root));
    }

    @Override
    public void message(String topicName, byte[] payload) {
        String json = new String(payload, StandardCharsets.UTF_8);
        if (topicName.equals(topic(ShadowOperation.GET_ACCEPTED))) {
            handle(ConfigDelta.applyDesired(current, json), "desired");
        } else if (topicName.equals(topic(ShadowOperation.UPDATE_DELTA))) {
            handle(ConfigDelta.applyDelta(current, json), "delta");
        } else if (topicName.equals(topic(ShadowOperation.GET_REJECTED))) {
            Logger.info("no config shadow yet; reporting the current settings");
            report(java.util.Map.of());
        } else if (topicName.equals(topic(ShadowOperation.UPDATE_REJECTED))) {
            Logger.warn("shadow update rejected: {}", json.length() > 200 ? json.substring(0, 200) : json);
        }
    }

    private void handle(ConfigChange change, String what) {
        if (change.version().isPresent()) {
            long v = change.version().getAsLong();
            if (v <= lastVersion) {
                Logger.debug("shadow {} version {} not newer than {}; ignored", what, v, lastVersion);
                return;
            }
            lastVersion = v;
        }
        if (!change.applied().isEmpty()) {
            current = change.config();
            Logger.info("shadow {} applied: {}", what, change.applied().keySet());
            save();
            try {
                onChange.accept(current);
            } catch (RuntimeException e) {
                Logger.error(e, "applying shadow settings failed");
            }
        }
        if (change.hasRejections()) {
            Logger.warn("shadow {} rejected: {}", what, change.rejected());
        }
        report(change.rejected());
    }

    private void report(java.util.Map<String, String> rejectedNow) {
        if (uplink == null) {
            return;
        }
        uplink.publishControl(topic(ShadowOperation.UPDATE),
                bytes(ShadowDocument.reportedUpdate(current, rejectedNow, rejectedBefore, null)));
        rejectedBefore = new HashSet<>(rejectedNow.keySet());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
