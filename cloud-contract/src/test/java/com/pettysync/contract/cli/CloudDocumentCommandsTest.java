package com.pettysync.contract.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.pettysync.cli.CommandContribution;
import com.pettysync.cli.Pettysync;
import com.pettysync.contract.policy.IotPolicy;
import com.pettysync.contract.topic.RuleName;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class CloudDocumentCommandsTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Pettysync.execute(args, List.of(new CloudDocumentCommands()), new PrintWriter(out, true),
                new PrintWriter(err, true));
    }

    @Test
    void isRegisteredForTheLauncher() {
        assertTrue(ServiceLoader.load(CommandContribution.class).stream()
                .anyMatch(p -> p.type() == CloudDocumentCommands.class));
    }

    @Test
    void policyPrintsTheRenderedPolicy() throws Exception {
        assertEquals(0, run("contract", "policy", "--region", "us-east-1", "--account", "123456789012"));
        ObjectMapper m = new ObjectMapper();
        assertEquals(m.readTree(IotPolicy.forCollars("us-east-1", "123456789012", RuleName.DEFAULT).json()),
                m.readTree(out.toString()));
        assertEquals("", err.toString());
    }

    @Test
    void policyTakesARuleName() {
        assertEquals(0, run("contract", "policy", "--region", "eu-west-1", "--account", "000000000001",
                "--rule", "Dumper_1"));
        assertTrue(out.toString().contains("topic/$aws/rules/Dumper_1/pettysync/v1/${iot:Connection.Thing.ThingName}/"
                + "telemetry"), out.toString());
    }

    @Test
    void policyBadInputIsOneLineAndExit2() {
        assertEquals(2, run("contract", "policy", "--region", "mars", "--account", "123456789012"));
        assertEquals("policy: region must look like us-east-1, got 'mars'", err.toString().strip());
        err.getBuffer().setLength(0);
        assertEquals(2, run("contract", "policy", "--region", "us-east-1", "--account", "1"));
        assertEquals(1, err.toString().strip().lines().count());
        err.getBuffer().setLength(0);
        assertEquals(2, run("contract", "policy", "--region", "us-east-1", "--account", "123456789012", "--rule",
                "bad-rule"));
        assertTrue(err.toString().contains("rule name 'bad-rule'"), err.toString());
        assertEquals(2, run("contract", "policy", "--region", "us-east-1"));
    }

    @Test
    void costPrintsTheSeedFleetEstimate() {
        assertEquals(0, run("contract", "cost", "--collars", "28000"));
        String text = out.toString();
        assertTrue(text.startsWith("AWS IoT Core, us-east-1 list prices of "), text);
        assertTrue(text.contains("28,000 collars, one frame every 300 s, direct"), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("total") && l.endsWith("$420.92")), text);
        assertTrue(text.contains("per collar: $0.0150 / month"), text);
    }

    @Test
    void costTakesIntervalAndTopicMode() {
        assertEquals(0, run("contract", "cost", "--collars", "28000", "--interval-s", "300", "--topic-mode",
                "basic-ingest"));
        assertTrue(out.toString().lines().anyMatch(l -> l.startsWith("total") && l.endsWith("$179.00")),
                out.toString());
    }

    @Test
    void costBadInputIsExit2() {
        assertEquals(2, run("contract", "cost", "--collars", "0"));
        assertEquals("cost: --collars must be 1 … 1000000000, got 0", err.toString().strip());
        assertEquals(2, run("contract", "cost", "--collars", "10", "--interval-s", "30"));
        assertEquals(2, run("contract", "cost", "--collars", "ten"));
        assertEquals(2, run("contract", "cost", "--collars", "10", "--topic-mode", "carrier-pigeon"));
        assertEquals(2, run("contract", "cost"));
    }

    @Test
    void everyCommandHasHelp() {
        assertEquals(0, run("contract", "cost", "--help"));
        assertEquals(0, run("contract", "policy", "--help"));
        assertTrue(out.toString().contains("--interval-s") && out.toString().contains("--region"), out.toString());
    }
}
