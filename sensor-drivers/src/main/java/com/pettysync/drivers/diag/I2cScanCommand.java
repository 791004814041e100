package com.pettysync.drivers.diag;

import com.pettysync.drivers.bus.I2cBus;
import com.pettysync.drivers.bus.Pi4jI2cBus;
import com.pettysync.drivers.twin.DogBehaviourModel;
import com.pettysync.drivers.twin.SimulatedClock;
import com.pettysync.drivers.twin.SimulatedCollar;
import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code diag i2c-scan}: which addresses answer on an I2C bus. */
@Command(name = "i2c-scan", mixinStandardHelpOptions = true,
        description = {"List the devices that answer on an I2C bus.",
            "Probes 0x08..0x77 with a one-byte register read and names the collar's parts.",
            "Exit 1 when the bus cannot be opened."})
final class I2cScanCommand implements Callable<Integer> {
    static final Map<Integer, String> KNOWN = Map.of(0x36, "MAX17048 fuel gauge", 0x57, "MAX30102 PPG",
            0x6A, "LSM6DSOX IMU", 0x6B, "LSM6DSOX IMU (SDO high)");

    @Spec
    CommandSpec spec;

    @Option(names = "--bus", defaultValue = "1", paramLabel = "N", description = "I2C bus number (/dev/i2c-N), default ${DEFAULT-VALUE}.")
    int bus;

    @Option(names = "--simulated", description = "Scan the simulated collar's bus instead of the hardware.")
    boolean simulated;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (simulated) {
            SimulatedClock clock = new SimulatedClock(Instant.parse("2026-06-01T07:30:00Z"));
            scan(new SimulatedCollar(new DogBehaviourModel(42, 52.52, 13.405), clock, 42).bus(), out);
            return 0;
        }
        java.nio.file.Path node = java.nio.file.Path.of("/dev/i2c-" + bus);
        if (!java.nio.file.Files.isReadable(node)) {
            spec.commandLine().getErr().println("i2c-scan: " + node + " is missing or not readable"
                    + " (enable I2C in raspi-config; is the user in group i2c?)");
            return 1;
        }
        Context context;
        try {
            context = Pi4J.newAutoContext();
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("i2c-scan: cannot start Pi4J: " + e.getMessage());
            return 1;
        }
        try (Pi4jI2cBus i2c = new Pi4jI2cBus(context, bus)) {
            return scan(i2c, out) < 0 ? 1 : 0;
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("i2c-scan: /dev/i2c-" + bus + ": " + e.getMessage());
            return 1;
        } finally {
            context.shutdown();
        }
    }

    static int scan(I2cBus i2c, PrintWriter out) {
        int found = 0;
        for (int a = 0x08; a <= 0x77; a++) {
            if (i2c.probe(a)) {
                out.println(String.format("0x%02x %s", a, KNOWN.getOrDefault(a, "")).strip());
                found++;
            }
        }
        out.println(found + " device(s)");
        out.flush();
        return found;
    }
}
