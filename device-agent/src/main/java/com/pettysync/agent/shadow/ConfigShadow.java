package com.pettysync.agent.shadow;

import com.pettysync.agent.uplink.BrokerException;
import com.pettysync.agent.uplink.Uplink;
import com.pettysync.contract.shadow.CollarConfig;
import com.pettysync.contract.shadow.ConfigChange;
import com.pettysync.contract.shadow.ConfigDelta;
import com.pettysync.contract.shadow.ShadowDocument;
import com.pettysync.contract.topic.ShadowOperation;
import com.pettysync.contract.topic.ShadowTopic;
import com.pettysync.contract.topic.ThingName;
import com.pettysync.contract.topic.TopicScheme;
import java.nio.charset.StandardCharsets;
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
 */
public final class ConfigShadow implements Uplink.Hooks {
    private final ThingName thing;
    private final Consumer<CollarConfig> onChange;
    private volatile CollarConfig current;
    private long lastVersion = -1;
    private Set<String> rejectedBefore = new HashSet<>();
    private Uplink uplink;

    public ConfigShadow(ThingName thing, CollarConfig initial, Consumer<CollarConfig> onChange) {
        this.thing = thing;
        this.current = initial;
        this.onChange = onChange;
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
