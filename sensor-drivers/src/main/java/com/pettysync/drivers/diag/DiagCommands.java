package com.pettysync.drivers.diag;

import com.pettysync.cli.CommandContribution;
import java.util.List;

/** The driver commands under {@code pettysync diag}: {@code sensors}, {@code nmea}, {@code i2c-scan}. */
public final class DiagCommands implements CommandContribution {

    @Override
    public List<String> parent() {
        return List.of("diag");
    }

    @Override
    public String parentDescription() {
        return "Factory and field diagnostics of a collar.";
    }

    @Override
    public List<Object> commands() {
        return List.of(new SensorsCommand(), new NmeaCommand(), new I2cScanCommand());
    }
}
