package com.pettysync.provisioning.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.cli.BadInputException;
import com.pettysync.cli.Pettysync;
import com.pettysync.contract.topic.ThingName;
import com.pettysync.provisioning.factory.StepLog;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * What every {@code provision} command shares: the control-plane options, a human line per step on stdout (or one
 * JSON document with {@code --json}), and the exit codes — 0 done, 1 the control plane refused or failed
 * (AWS's error code and message printed), 2 bad input.
 */
abstract class ControlPlaneCommand implements Callable<Integer> {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Mixin
    ControlPlaneOptions controlPlane;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        try {
            return execute();
        } catch (SdkException e) {
            err().println(spec.qualifiedName() + ": " + describe(e));
            return Pettysync.EXIT_FAILED;
        }
    }

    /** Runs the command; returns its exit code. */
    abstract int execute() throws Exception;

    /** AWS's error code, status and message, or the client-side failure. */
    static String describe(SdkException e) {
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
            return s.awsErrorDetails().errorCode() + " (HTTP " + s.statusCode() + "): "
                    + s.awsErrorDetails().errorMessage();
        }
        return "cannot reach the control plane: " + e.getMessage();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** The step lines: on stdout for people, none with --json. */
    StepLog steps() {
        if (controlPlane.json) {
            return StepLog.SILENT;
        }
        return (subject, what) -> {
            out().println(subject + ": " + what);
            out().flush();
        };
    }

    void printJson(ObjectNode document) {
        try {
            out().println(JSON.writeValueAsString(document));
            out().flush();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ThingName thing(String name) {
        try {
            return ThingName.of(name);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--thing: " + e.getMessage(), e);
        }
    }
}
