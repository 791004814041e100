package com.pettysync.agent.raw;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.agent.uplink.Uplink;
import com.pettysync.contract.json.JsonTrees;
import com.pettysync.contract.shadow.RawCapture;
import com.pettysync.contract.topic.ShadowOperation;
import com.pettysync.contract.topic.ShadowTopic;
import com.pettysync.contract.topic.ThingName;
import com.pettysync.contract.topic.TopicScheme;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The collar's raw-capture path (contract §9) as one piece the agent wires in: the {@link RawSpool} on disk, the
 * {@link RawCapturer} fed by the sensor pipeline, a single writer thread for the spool, the uplink's raw lane, and
 * the capture's state in the shadow's reported section:
 *
 * <pre>
 * {"state":{"reported":{"rawCaptureStatus":{"state":"capturing|stopped|off","reason":null|"until"|"shadow"|"quota"|"disk"|"storage",
 *                                           "captureId":N,"untilUnix":N,"chunks":N,"bytes":N}}}}
 * </pre>
 * published when the capture starts or stops (not per chunk) and again after each connect once a capture ever ran.
 */
public final class RawStreaming implements AutoCloseable {
    private final RawSpool spool;
    private final RawCapturer capturer;
    private final ExecutorService writer;

    private RawStreaming(RawSpool spool, RawCapturer capturer, ExecutorService writer) {
        this.spool = spool;
        this.capturer = capturer;
        this.writer = writer;
    }

    /** Opens the spool in {@code dataDirectory} and starts the writer thread. Never throws for I/O. */
    public static RawStreaming open(Path dataDirectory, long quotaBytes, Clock clock) {
        ExecutorService writer = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("raw-spool").daemon().factory());
        RawSpool spool = RawSpool.open(dataDirectory, quotaBytes);
        return new RawStreaming(spool, new RawCapturer(spool, writer, clock), writer);
    }

    /** Feeds the capture from {@code source} when it can hand out raw samples (the twins, the real parts). */
    public void attach(Object source) {
        if (source instanceof RawSamples.Source s) {
            s.onRawSamples(capturer);
        }
    }

    /** The shadow's current request. */
    public void request(RawCapture r) {
        capturer.request(r);
    }

    /** Sends the spool on {@code uplink}'s raw lane and reports the state in {@code thing}'s config shadow. */
    public void connect(Uplink uplink, ThingName thing) {
        uplink.setRaw(spool, TopicScheme.raw(thing).name(), new Report(capturer),
                ShadowTopic.config(thing, ShadowOperation.UPDATE).name());
    }

    public RawSpool spool() {
        return spool;
    }

    public RawCapturer capturer() {
        return capturer;
    }

    /** The status file's {@code raw} section: the capture's state plus the spool's counts. */
    public ObjectNode statusJson() {
        ObjectNode o = capturer.state().toJson();
        RawSpool.Status s = spool.status();
        ObjectNode sp = o.putObject("spool");
        sp.put("chunks", s.chunks()).put("bytes", s.bytes()).put("quotaBytes", s.quotaBytes())
                .put("stored", s.stored()).put("uploaded", s.uploaded()).put("refusedByQuota", s.refused())
                .put("writeFailures", s.failed()).put("removed", s.removed());
        return o;
    }

    /** Stops the writer after the chunks handed to it are written (at most 2 s). */
    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The shadow update of the capture's state, when it changed (start / stop), or after a new connection. */
    static final class Report implements Uplink.RawReport {
        private final RawCapturer capturer;
        private RawCapturer.State last;

        Report(RawCapturer capturer) {
            this.capturer = capturer;
        }

        @Override
        public byte[] poll(boolean newConnection) {
            capturer.checkTime();
            RawCapturer.State s = capturer.state();
            boolean changed = last == null || s.capturing() != last.capturing() || s.stopReason() != last.stopReason()
                    || s.captureId() != last.captureId() || s.untilUnix() != last.untilUnix();
            if (s.captureId() == 0 || !(changed || newConnection)) {
                return null;
            }
            last = s;
            ObjectNode root = JsonTrees.object();
            root.putObject("state").putObject("reported").set("rawCaptureStatus", s.toJson());
            return JsonTrees.bytes(root);
        }
    }
}
