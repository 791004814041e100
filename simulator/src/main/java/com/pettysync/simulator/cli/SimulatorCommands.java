package com.pettysync.simulator.cli;

import com.pettysync.cli.CommandContribution;
import java.util.List;

/** Contributes the top-level {@code cloud} command and the fleet simulator {@code simulate} to {@code pettysync}. */
public final class SimulatorCommands implements CommandContribution {
    @Override
    public List<Object> commands() {
        return List.of(new CloudCommand(), new SimulateCommand());
    }
}
