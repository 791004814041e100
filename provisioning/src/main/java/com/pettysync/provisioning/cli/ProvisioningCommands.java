package com.pettysync.provisioning.cli;

import com.pettysync.cli.CommandContribution;
import java.util.List;

/** Contributes the factory's {@code provision} and operations' {@code ota} commands to {@code pettysync}. */
public final class ProvisioningCommands implements CommandContribution {
    @Override
    public List<Object> commands() {
        return List.of(new ProvisionCommand(), new OtaCommand());
    }
}
