package com.pettysync.agent.window;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * The real {@link ClockSource.Probe}: NTP when systemd-timesyncd reports the clock synchronised (it creates
 * {@code /run/systemd/timesync/synchronized} on the first successful sync, see systemd-timesyncd.service(8)),
 * else GNSS when {@code gnssTimeValid} says the receiver supplies valid UTC (the GNSS driver disciplines the clock
 * then), else unsynchronised.
 */
public final class SystemClockProbe implements ClockSource.Probe {
    public static final Path TIMESYNC_FLAG = Path.of("/run/systemd/timesync/synchronized");
    private final Path flag;
    private final BooleanSupplier gnssTimeValid;

    public SystemClockProbe(BooleanSupplier gnssTimeValid) {
        this(TIMESYNC_FLAG, gnssTimeValid);
    }

    SystemClockProbe(Path flag, BooleanSupplier gnssTimeValid) {
        this.flag = flag;
        this.gnssTimeValid = gnssTimeValid;
    }

    @Override
    public ClockSource current() {
        if (Files.exists(flag)) {
            return ClockSource.NTP;
        }
        return gnssTimeValid.getAsBoolean() ? ClockSource.GNSS : ClockSource.UNSYNCED;
    }
}
