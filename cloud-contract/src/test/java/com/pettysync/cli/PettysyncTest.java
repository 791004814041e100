package com.pettysync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

class PettysyncTest {

    @Command(name = "echo", description = "Echoes or fails.")
    static final class Echo implements Callable<Integer> {
        @Parameters(index = "0")
        String word;

        @Override
        public Integer call() {
            if (word.equals("bad")) {
                throw new BadInputException("not a word:\nbad");
            }
            if (word.equals("boom")) {
                throw new IllegalStateException("boom");
            }
            System.out.flush();
            return word.equals("fail") ? Pettysync.EXIT_FAILED : 0;
        }
    }

    record Contribution(List<String> parent, String parentDescription) implements CommandContribution {
        @Override
        public List<Object> commands() {
            return List.of(new Echo());
        }
    }

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(List<CommandContribution> contributions, String... args) {
        return Pettysync.execute(args, contributions, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void nestsContributionsUnderACreatedGroupAndListsThemInHelp() {
        List<CommandContribution> cs = List.of(new Contribution(List.of("diag"), "Factory diagnostics."));
        assertEquals(0, run(cs, "diag", "echo", "hello"));
        assertEquals(0, run(cs, "--help"));
        assertTrue(out.toString().contains("diag"), out.toString());
        assertTrue(out.toString().contains("Factory diagnostics."), out.toString());
    }

    @Test
    void badInputIsOneLineAndExitCode2() {
        List<CommandContribution> cs = List.of(new Contribution(List.of(), ""));
        assertEquals(Pettysync.EXIT_BAD_INPUT, run(cs, "echo", "bad"));
        assertEquals("echo: not a word: bad", err.toString().strip());
    }

    @Test
    void unknownCommandAndMissingArgumentAreUsageErrors() {
        List<CommandContribution> cs = List.of(new Contribution(List.of(), ""));
        assertEquals(Pettysync.EXIT_BAD_INPUT, run(cs, "nope"));
        assertEquals(Pettysync.EXIT_BAD_INPUT, run(cs, "echo"));
        assertEquals(Pettysync.EXIT_BAD_INPUT, run(cs));
    }

    @Test
    void commandFailureAndInternalErrorHaveTheirOwnCodes() {
        List<CommandContribution> cs = List.of(new Contribution(List.of(), ""));
        assertEquals(Pettysync.EXIT_FAILED, run(cs, "echo", "fail"));
        assertEquals(Pettysync.EXIT_INTERNAL, run(cs, "echo", "boom"));
        assertTrue(err.toString().contains("internal error"), err.toString());
    }
}
