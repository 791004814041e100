package com.pettysync.contract.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.pettysync.contract.cli.FrameCommands;
import com.pettysync.contract.frame.ContractJson;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.contract.telemetry.TelemetrySummary;
import com.pettysync.contract.telemetry.TrailPoint;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Telemetry frame encode/decode (ns per frame) beside Jackson's plain JSON of the same summary: the decoded
 * form ({@link ContractJson}) and Jackson databind of the record. {@code example} is the §3.1 example (one
 * trail fix, no thinning); {@code busy} has a 60-fix trail that the encoder thins to fit 182 bytes (the JSON
 * carries all 60). Bytes per frame are printed once per trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FrameCodecBenchmark {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Param({"example", "busy"})
    public String summary;

    private TelemetrySummary value;
    private byte[] frame;
    private byte[] json;

    @Setup
    public void setUp() throws Exception {
        value = FrameCommands.example();
        if (summary.equals("busy")) {
            List<TrailPoint> trail = new ArrayList<>();
            long t = value.t0() + value.dur() - value.loc().ageS();
            int lat = value.loc().latE5();
            int lon = value.loc().lonE5();
            for (int i = 0; i < 60; i++) {
                t -= 1 + (i * 7) % 5;
                lat -= 5 + (i * 13) % 40;
                lon += 3 + (i * 11) % 30;
                trail.add(new TrailPoint(lat, lon, t));
            }
            value = value.withLoc(value.loc().withTrail(trail));
        }
        frame = TelemetryFrameCodec.encode(value);
        json = ContractJson.toJson(value).getBytes(StandardCharsets.UTF_8);
        System.out.printf("%n[%s] frame %d bytes (trail %d fixes kept); decoded-form JSON %d bytes; databind JSON %d bytes%n",
                summary, frame.length, TelemetryFrameCodec.decode(frame).loc().trail().size(), json.length,
                MAPPER.writeValueAsBytes(value).length);
    }

    @Benchmark
    public byte[] cborEncode() {
        return TelemetryFrameCodec.encode(value);
    }

    @Benchmark
    public TelemetrySummary cborDecode() {
        return TelemetryFrameCodec.decode(frame);
    }

    @Benchmark
    public byte[] jsonEncodeDecodedForm() {
        return ContractJson.toJson(value).getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public TelemetrySummary jsonDecodeDecodedForm() {
        return ContractJson.parseTelemetry(new String(json, StandardCharsets.UTF_8));
    }

    @Benchmark
    public byte[] jsonEncodeDatabind() throws Exception {
        return MAPPER.writeValueAsBytes(value);
    }
}
