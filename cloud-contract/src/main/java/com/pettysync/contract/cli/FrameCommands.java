package com.pettysync.contract.cli;

import com.pettysync.cli.BadInputException;
import com.pettysync.cli.CommandContribution;
import com.pettysync.cli.Pettysync;
import com.pettysync.contract.event.EventFrameCodec;
import com.pettysync.contract.frame.ContractJson;
import com.pettysync.contract.frame.ContractViolation;
import com.pettysync.contract.telemetry.Activity;
import com.pettysync.contract.telemetry.DeviceStatus;
import com.pettysync.contract.telemetry.Firmware;
import com.pettysync.contract.telemetry.HeartRate;
import com.pettysync.contract.telemetry.Location;
import com.pettysync.contract.telemetry.Mood;
import com.pettysync.contract.telemetry.MoodClass;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.contract.telemetry.TelemetrySummary;
import com.pettysync.contract.telemetry.TrailPoint;
import com.pettysync.contract.voice.VoiceClipPartCodec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pettysync contract encode | decode | validate | example}: the frame codecs on the command line.
 *
 * <p>Exit codes: 0 done; 1 {@code validate} found a violation (it prints {@code <path>: <rule>}); 2 bad input
 * (not hex, not JSON, a wrong shape, or for {@code encode}/{@code decode} a frame or summary that breaks the
 * contract), reported on one line.
 */
public final class FrameCommands implements CommandContribution {

    @Override
    public List<String> parent() {
        return List.of("contract");
    }

    @Override
    public String parentDescription() {
        return "The wire contract v1: encode, decode, validate frames; IoT policy; cost.";
    }

    @Override
    public List<Object> commands() {
        return List.of(new Encode(), new Decode(), new Validate(), new Example());
    }

    /** Which frame a command handles. */
    enum Kind {
        telemetry, event, voice, raw
    }

    @Command(name = "encode", mixinStandardHelpOptions = true,
            description = {"Read the decoded JSON form on stdin; print the frame as lowercase hex on one line.",
                "A telemetry trail that does not fit 182 bytes is thinned by the contract's rule."})
    static final class Encode implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--kind", defaultValue = "telemetry",
                description = "Frame kind: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        Kind kind;

        @Override
        public Integer call() {
            String json;
            try {
                json = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new BadInputException("cannot read stdin: " + e.getMessage(), e);
            }
            byte[] frame = bad(() -> switch (kind) {
                case telemetry -> TelemetryFrameCodec.encode(ContractJson.parseTelemetry(json));
                case event -> EventFrameCodec.encode(ContractJson.parseEvent(json));
                case voice -> VoiceClipPartCodec.encode(ContractJson.parseVoicePart(json));
                case raw -> com.pettysync.contract.raw.RawChunkCodec.encode(ContractJson.parseRawChunk(json));
            });
            out(spec).println(HexFormat.of().formatHex(frame));
            return 0;
        }
    }

    @Command(name = "decode", mixinStandardHelpOptions = true,
            description = "Print the decoded JSON form of a frame given in hex, on one line.")
    static final class Decode implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--kind", defaultValue = "telemetry",
                description = "Frame kind: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        Kind kind;

        @Parameters(index = "0", paramLabel = "HEX", description = "The frame in hex.")
        String hex;

        @Override
        public Integer call() {
            byte[] frame = hex(hex);
            out(spec).println(bad(() -> json(kind, frame)));
            return 0;
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = {"Check a frame given in hex against every rule of the contract.",
                "Prints 'ok' (exit 0) or '<path>: <rule>' (exit 1)."})
    static final class Validate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--kind", defaultValue = "telemetry",
                description = "Frame kind: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        Kind kind;

        @Parameters(index = "0", paramLabel = "HEX", description = "The frame in hex.")
        String hex;

        @Override
        public Integer call() {
            byte[] frame = hex(hex);
            try {
                json(kind, frame);
            } catch (ContractViolation v) {
                out(spec).println(v.path() + ": " + v.rule());
                return Pettysync.EXIT_FAILED;
            }
            out(spec).println("ok");
            return 0;
        }
    }

    @Command(name = "example", mixinStandardHelpOptions = true,
            description = "Print an example telemetry frame: its hex, then its decoded JSON form.")
    static final class Example implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            TelemetrySummary summary = example();
            byte[] frame = TelemetryFrameCodec.encode(summary);
            PrintWriter out = out(spec);
            out.println(HexFormat.of().formatHex(frame));
            out.println(ContractJson.toJson(TelemetryFrameCodec.decode(frame)));
            return 0;
        }
    }

    /** The summary of the contract's §3.1 example (a 5-minute window in Bangkok). */
    public static TelemetrySummary example() {
        return TelemetrySummary.of(42, 1_767_225_600L, 300)
                .withHr(new HeartRate(92, 78, 131, 48, 87))
                .withAct(new Activity(412, 120, 150, 20, 10, 2400))
                .withLoc(new Location(137_563_000, 1_005_018_000, 35, 4,
                        List.of(new TrailPoint(1_375_622, 10_050_171, 1_767_225_866L))))
                .withMood(new Mood(MoodClass.HAPPY, 71, 3, 0, 1, 0))
                .withDev(new DeviceStatus(64, 3810, 312, -67, 0, EnumSet.of(DeviceStatus.Flag.CLOCK_GNSS)))
                .withFw(new Firmware(1042, 3));
    }

    private static String json(Kind kind, byte[] frame) {
        return switch (kind) {
            case telemetry -> ContractJson.toJson(TelemetryFrameCodec.decode(frame));
            case event -> ContractJson.toJson(EventFrameCodec.decode(frame));
            case voice -> ContractJson.toJson(VoiceClipPartCodec.decode(frame));
            case raw -> ContractJson.toJson(com.pettysync.contract.raw.RawChunkCodec.decode(frame));
        };
    }

    /** Runs {@code action}, turning a contract violation into bad input. */
    private static <T> T bad(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (ContractViolation v) {
            throw new BadInputException(v.getMessage(), v);
        }
    }

    /** The bytes of a hex argument (either case, whitespace ignored). */
    static byte[] hex(String text) {
        String digits = text.replaceAll("\\s+", "");
        if (digits.isEmpty() || digits.length() % 2 != 0 || !digits.matches("[0-9a-fA-F]+")) {
            throw new BadInputException("not hex: expected an even number of hex digits");
        }
        return HexFormat.of().parseHex(digits.toLowerCase(java.util.Locale.ROOT));
    }

    private static PrintWriter out(CommandSpec spec) {
        return spec.commandLine().getOut();
    }
}
