package com.pettysync.drivers.diag;

import com.pettysync.cli.BadInputException;
import com.pettysync.drivers.position.Fix;
import com.pettysync.drivers.position.NmeaReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code diag nmea}: NMEA text in, one JSON line per epoch with a valid fix, then the counters. */
@Command(name = "nmea", mixinStandardHelpOptions = true,
        description = {"Parse NMEA 0183 from stdin: one JSON line per valid fix, then counters.",
            "Reads stdin (or --file) and prints one JSON line per epoch with a valid fix:",
            "{\"t\":unix_ms,\"lat_e7\":…,\"lon_e7\":…,\"hacc_dm\":…,\"quality\":…,\"sats\":…} (absent fields left out),",
            "then {\"sentences\":N,\"bad_checksum\":N,\"skipped\":N}. Epochs before the first RMC date are skipped."})
final class NmeaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--file", paramLabel = "PATH", description = "Read this file instead of stdin.")
    Path file;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        NmeaReader reader = new NmeaReader();
        byte[] buffer = new byte[8192];
        try (InputStream in = file == null ? nonClosing(System.in) : Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                for (Fix f : reader.accept(buffer, 0, n, 0)) {
                    out.println(f.toJson());
                }
            }
            // a last line without a line end still counts
            for (Fix f : reader.accept(new byte[] {'\n'}, 0, 1, 0)) {
                out.println(f.toJson());
            }
        } catch (NoSuchFileException e) {
            throw new BadInputException("no such file: " + file);
        } catch (IOException e) {
            throw new BadInputException("cannot read NMEA input: " + e.getMessage(), e);
        }
        for (Fix f : reader.flush(0)) {
            out.println(f.toJson());
        }
        out.println(reader.counters().toJson());
        out.flush();
        return 0;
    }

    private static InputStream nonClosing(InputStream in) {
        return new java.io.FilterInputStream(in) {
            @Override
            public void close() {
                // stdin stays open
            }
        };
    }
}
