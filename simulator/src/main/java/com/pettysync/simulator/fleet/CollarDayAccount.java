package com.pettysync.simulator.fleet;

import com.pettysync.agent.energy.EnergyAccount;
import com.pettysync.agent.energy.PowerModel;
import com.pettysync.agent.uplink.Uplink;
import com.pettysync.agent.voice.Episode;
import com.pettysync.contract.shadow.CollarConfig;
import com.pettysync.contract.shadow.VoiceUpload;
import com.pettysync.drivers.position.GnssPowerMode;
import java.time.Instant;
import com.pettysync.simulator.report.FleetReport;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One virtual collar's day budget: the clip bytes each {@code voiceUpload} mode would upload for the episodes its
 * pipeline finds, and the agent's {@link EnergyAccount} fed from this collar's own counters.
 *
 * <p>Voice: every episode is judged for each mode by the contract's one rule, {@link CollarConfig#uploadsClip}, at
 * the collar's {@code voiceConfidenceBelow}; a clip's bytes are its 16-bit PCM audio (2 bytes per sample), as the
 * collar's clip store counts them. Only collars on the full pipeline ({@code --pipeline-collars}) find episodes.
 *
 * <p>Energy: radio exchanges (publishes sent + messages received + keep-alive pings while connected), bytes and TLS
 * handshakes come from this collar's {@link Uplink.Status}; GNSS time in the receiver mode its {@code gpsMode} asks
 * for; PPG, IMU, microphone and gauge working all the time (modelled, as on the agent). CPU is not measured per
 * virtual collar (their logic shares the fleet's scheduler threads): its component is 0. Not thread-safe: the
 * collar's scheduler thread only.
 */
public final class CollarDayAccount {
    private final CollarConfig config;
    private final EnergyAccount energy;
    private final EnumMap<VoiceUpload, Long> clipBytes = new EnumMap<>(VoiceUpload.class);
    private final EnumMap<VoiceUpload, Long> clips = new EnumMap<>(VoiceUpload.class);
    private long episodes;
    /** The collar's window source finds vocal episodes (a full-pipeline collar). */
    boolean voiceSource;

    /** @param config the shadow settings the collar runs with ({@code gpsMode}, {@code voiceConfidenceBelow}, …) */
    public CollarDayAccount(CollarConfig config, int batteryMah) {
        this.config = config;
        this.energy = new EnergyAccount(PowerModel.REFERENCE, batteryMah);
        for (VoiceUpload m : VoiceUpload.values()) {
            clipBytes.put(m, 0L);
            clips.put(m, 0L);
        }
    }

    /** An episode the collar's pipeline found: counted for every mode its rule uploads it under. */
    public void episode(Episode e) {
        episodes++;
        int conf = Math.max(0, Math.min(100, e.confPct()));
        long bytes = e.clip() == null ? 0 : 2L * e.clip().length;
        for (VoiceUpload m : VoiceUpload.values()) {
            if (bytes > 0 && config.withVoiceUpload(m).uploadsClip(conf)) {
                clipBytes.merge(m, bytes, Long::sum);
                clips.merge(m, 1L, Long::sum);
            }
        }
    }

    /** Integrates the energy since the previous sample from the uplink's counters now. */
    public void sample(Instant now, Uplink.Status st) {
        energy.sample(now, new EnergyAccount.Counters(0, st.publishesSent() + st.messagesReceived(),
                st.bytesSent() + st.bytesReceived(), st.connects(), st.connected(), config.keepAliveS(),
                receiverMode(config), true, true, true, true));
    }

    /** The receiver mode the settings ask for (the agent's rule: {@code live} while lost mode is on). */
    static GnssPowerMode receiverMode(CollarConfig c) {
        return com.pettysync.agent.runtime.Agent.receiverMode(c);
    }

    public CollarConfig config() {
        return config;
    }

    public long episodes() {
        return episodes;
    }

    public Map<VoiceUpload, Long> clipBytes() {
        return Map.copyOf(clipBytes);
    }

    public Map<VoiceUpload, Long> clips() {
        return Map.copyOf(clips);
    }

    public EnergyAccount.Report energy() {
        return energy.report();
    }

    /** The fleet's per-collar-day figures over {@code accounts} (all with the same settings). */
    public static FleetReport.CollarDay fleet(List<CollarDayAccount> accounts, double simulatedSeconds) {
        CollarConfig c = accounts.isEmpty() ? CollarConfig.DEFAULTS : accounts.getFirst().config;
        List<CollarDayAccount> voice = accounts.stream().filter(a -> a.voiceSource).toList();
        long episodes = voice.stream().mapToLong(a -> a.episodes).sum();
        Map<String, Double> perDay = new LinkedHashMap<>();
        Map<String, Long> uploaded = new LinkedHashMap<>();
        for (VoiceUpload m : VoiceUpload.values()) {
            double days = voice.stream().mapToDouble(a -> a.energy().seconds() / 86_400.0).sum();
            long bytes = voice.stream().mapToLong(a -> a.clipBytes.get(m)).sum();
            perDay.put(m.jsonName(), days > 0 ? bytes / days : 0);
            uploaded.put(m.jsonName(), voice.stream().mapToLong(a -> a.clips.get(m)).sum());
        }
        List<EnergyAccount.Report> reports = accounts.stream().map(CollarDayAccount::energy)
                .filter(r -> r.seconds() > 0).toList();
        Map<String, FleetReport.Spread> mwh = new LinkedHashMap<>();
        for (EnergyAccount.Component k : EnergyAccount.Component.values()) {
            mwh.put(k.jsonName(), FleetReport.Spread.of(reports.stream().mapToDouble(r -> r.mwhPerDay(k)).toArray()));
        }
        return new FleetReport.CollarDay(accounts.size(), simulatedSeconds, voice.size(), episodes,
                c.voiceConfidenceBelow(), perDay, uploaded, c.gpsMode().jsonName(), mwh,
                FleetReport.Spread.of(reports.stream().mapToDouble(r -> r.totalMw() * 24).toArray()),
                FleetReport.Spread.of(reports.stream().mapToDouble(EnergyAccount.Report::batteryHours).toArray()),
                BASIS);
    }

    static final String BASIS = "counted per collar: radio exchanges, bytes and TLS handshakes (its uplink), "
            + "episodes and their clips (full-pipeline collars); modelled: GNSS by gpsMode x time, PPG/IMU/mic/gauge "
            + "always on (PowerModel.REFERENCE); CPU not measured per virtual collar (0)";
}
