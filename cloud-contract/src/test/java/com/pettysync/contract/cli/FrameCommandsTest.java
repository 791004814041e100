package com.pettysync.contract.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.cli.CommandContribution;
import com.pettysync.cli.Pettysync;
import com.pettysync.contract.frame.ContractJson;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@code contract} frame commands, run in-process through the launcher with the module's contributions. */
class FrameCommandsTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final InputStream stdin = System.in;

    @AfterEach
    void restoreStdin() {
        System.setIn(stdin);
    }

    int run(String... args) {
        List<CommandContribution> all = ServiceLoader.load(CommandContribution.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        assertTrue(all.stream().anyMatch(c -> c instanceof FrameCommands), "registered as a service");
        return Pettysync.execute(args, all, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    int runWithStdin(String stdinText, String... args) {
        System.setIn(new ByteArrayInputStream(stdinText.getBytes(StandardCharsets.UTF_8)));
        return run(args);
    }

    static String vector(String name) throws Exception {
        return Files.readString(Path.of(FrameCommandsTest.class.getResource("/vectors/" + name).toURI())).strip();
    }

    @Test
    void exampleFrameIsHexThenItsDecodedJson() {
        assertEquals(0, run("contract", "example"));
        String[] lines = out.toString().strip().split("\\R");
        assertEquals(2, lines.length);
        assertEquals(lines[1], ContractJson.toJson(TelemetryFrameCodec.decode(HexFormat.of().parseHex(lines[0]))));
        assertEquals(FrameCommands.example(), ContractJson.parseTelemetry(lines[1]));
    }

    @Test
    void encodeReadsJsonOnStdinAndPrintsLowercaseHex() throws Exception {
        assertEquals(0, runWithStdin(vector("telemetry-thinned-walk.input.json"), "contract", "encode"));
        assertEquals(vector("telemetry-thinned-walk.hex") + System.lineSeparator(), out.toString());
    }

    @Test
    void encodeAndDecodeHandleEventsAndVoiceParts() throws Exception {
        assertEquals(0, runWithStdin(vector("event-geofence-exit.json"), "contract", "encode", "--kind", "event"));
        assertEquals(vector("event-geofence-exit.hex"), out.toString().strip());
        out.getBuffer().setLength(0);
        assertEquals(0, run("contract", "decode", "--kind", "voice", vector("voice-part.hex")));
        assertEquals(ContractJson.parseVoicePart(vector("voice-part.json")),
                ContractJson.parseVoicePart(out.toString().strip()));
    }

    @Test
    void decodePrintsOneLineOfJson() throws Exception {
        assertEquals(0, run("contract", "decode", vector("telemetry-south-east-floor.hex").toUpperCase()));
        String json = out.toString();
        assertEquals(1, json.strip().lines().count());
        assertEquals(ContractJson.parseTelemetry(vector("telemetry-south-east-floor.json")),
                ContractJson.parseTelemetry(json));
    }

    @Test
    void validatePrintsOkOrPathAndRuleWithExitCodes() throws Exception {
        assertEquals(0, run("contract", "validate", vector("telemetry-all-max.hex")));
        assertEquals("ok", out.toString().strip());
        out.getBuffer().setLength(0);
        assertEquals(Pettysync.EXIT_FAILED, run("contract", "validate", vector("reject-trail-dt-zero.hex")));
        assertEquals("loc.trail[5]: dt must be ≥ 1", out.toString().strip());
    }

    @Test
    void badInputIsOneLineAndExitCode2() throws Exception {
        assertEquals(Pettysync.EXIT_BAD_INPUT, run("contract", "decode", "abc"));
        assertEquals(Pettysync.EXIT_BAD_INPUT, run("contract", "validate", "zz"));
        assertEquals(Pettysync.EXIT_BAD_INPUT, run("contract", "decode", vector("reject-hr-min-over-mean.hex")));
        assertEquals(Pettysync.EXIT_BAD_INPUT, runWithStdin("{not json", "contract", "encode"));
        assertEquals(Pettysync.EXIT_BAD_INPUT, runWithStdin("{\"v\":1,\"seq\":1,\"t0\":2}", "contract", "encode"));
        assertEquals(Pettysync.EXIT_BAD_INPUT, run("contract", "decode", "--kind", "bogus", "00"));
        List<String> lines = err.toString().strip().lines().filter(l -> !l.startsWith("Try ")).toList();
        assertEquals(6, lines.size(), err.toString());
        assertEquals("decode: not hex: expected an even number of hex digits", lines.get(0));
        assertEquals("decode: hr[1]: min_bpm 93 > mean_bpm 92", lines.get(2));
        assertEquals("encode: dur: missing", lines.get(4));
        assertEquals("", out.toString());
    }

    @Test
    void everyCommandHasHelp() {
        for (String cmd : List.of("encode", "decode", "validate", "example")) {
            assertEquals(0, run("contract", cmd, "--help"));
        }
        assertTrue(out.toString().contains("--kind"));
    }
}
