package com.pettysync.drivers.position;

import com.pettysync.drivers.FaultCode;
import com.pettysync.drivers.MonotonicClock;
import com.pettysync.drivers.SensorFault;
import com.pettysync.drivers.SensorStatus;
import com.pettysync.drivers.bus.SerialStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A u-blox receiver on a UART: NMEA in through {@link NmeaReader}, UBX power-mode commands out.
 *
 * <p>Each {@link #read()} drains what the port has (bounded per call), so it never waits for a whole epoch; when a
 * read finds the port quiet after data, the epoch in progress is completed (receivers in power-save modes send one
 * burst per fix and then nothing).
 *
 * <p>Faults: nothing received for longer than the mode allows ({@code LIVE} 5 s, {@code NORMAL} 30 s, {@code ECO}
 * 150 s; never in {@code OFF}) → {@link FaultCode#NO_DATA}; more than two thirds of a window of 30 lines corrupt (bad
 * checksum, partial, garbled; unknown types do not count) → {@link FaultCode#CORRUPT_DATA}; a port error → {@link FaultCode#BUS_ERROR}; a port that is not there ({@link java.io.FileNotFoundException})
 * → {@link FaultCode#UNAVAILABLE}. No fix is not a
 * fault (indoors is normal); it shows as an empty read.
 */
public final class SerialGnss implements PositionSensor {
    private static final int MAX_BYTES_PER_READ = 8192;

    private final SerialStream port;
    private final MonotonicClock clock;
    private final NmeaReader reader = new NmeaReader();
    private final byte[] buffer = new byte[1024];
    private volatile SensorStatus status = SensorStatus.fault(FaultCode.NO_DATA, "not opened");
    private volatile GnssPowerMode mode = GnssPowerMode.LIVE;
    private long lastByteNanos;
    private boolean opened;
    private boolean dataSinceFlush;
    private static final int CORRUPT_WINDOW = 30;
    private final byte[] window = new byte[10];
    private long acks;
    private long naks;
    private volatile boolean confirmed = true;
    private long windowBad;
    private long windowGood;
    private long lastBad;
    private long lastAll;

    public SerialGnss(SerialStream port, MonotonicClock clock) {
        this.port = port;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "gnss";
    }

    @Override
    public SensorStatus status() {
        return status;
    }

    @Override
    public void open() {
        if (!opened) {
            // silence is measured across re-opens: a receiver that stays quiet stays faulted instead of flapping
            lastByteNanos = clock.nanos();
            opened = true;
        }
        status = SensorStatus.OK;
    }

    @Override
    public List<Fix> read() throws SensorFault {
        List<Fix> fixes = new ArrayList<>();
        int total = 0;
        long now = clock.nanos();
        try {
            while (total < MAX_BYTES_PER_READ) {
                int n = port.read(buffer, 0, buffer.length);
                if (n <= 0) {
                    break;
                }
                total += n;
                scanForAcks(n);
                fixes.addAll(reader.accept(buffer, 0, n, now));
            }
        } catch (java.io.FileNotFoundException e) {
            throw fail(new SensorFault(FaultCode.UNAVAILABLE, "GNSS UART: " + e.getMessage(), e));
        } catch (IOException e) {
            throw fail(new SensorFault(FaultCode.BUS_ERROR, "GNSS UART: " + e.getMessage(), e));
        }
        if (total > 0) {
            lastByteNanos = now;
            dataSinceFlush = true;
        } else if (dataSinceFlush) {
            fixes.addAll(reader.flush(now));
            dataSinceFlush = false;
        }
        NmeaCounters c = reader.counters();
        long bad = c.badChecksum() + c.skipped() - c.unknown();
        long all = c.sentences();
        windowBad += bad - lastBad;
        windowGood += (all - lastAll) - (bad - lastBad);
        lastBad = bad;
        lastAll = all;
        if (windowGood + windowBad >= CORRUPT_WINDOW) {
            long wb = windowBad;
            long wg = windowGood;
            windowBad = 0;
            windowGood = 0;
            if (wb > 2 * wg) {
                throw fail(new SensorFault(FaultCode.CORRUPT_DATA, wb + " of the last " + (wb + wg)
                        + " NMEA lines corrupt"));
            }
        }
        long silentLimit = switch (mode) {
            case OFF -> Long.MAX_VALUE;
            case ECO -> 150_000_000_000L;
            case NORMAL -> 30_000_000_000L;
            case LIVE -> 5_000_000_000L;
        };
        if (now - lastByteNanos > silentLimit) {
            throw fail(new SensorFault(FaultCode.NO_DATA, "no NMEA for " + (now - lastByteNanos) / 1_000_000
                    + " ms in mode " + mode));
        }
        status = SensorStatus.OK;
        return fixes;
    }

    @Override
    public void setPowerMode(GnssPowerMode newMode) throws SensorFault {
        try {
            if (mode == GnssPowerMode.OFF && newMode != GnssPowerMode.OFF) {
                port.write(GnssPowerMode.WAKE);
            }
            for (byte[] frame : newMode.commands()) {
                port.write(frame);
            }
        } catch (IOException e) {
            throw fail(new SensorFault(FaultCode.BUS_ERROR, "GNSS UART: " + e.getMessage(), e));
        }
        mode = newMode;
        confirmed = newMode == GnssPowerMode.OFF;
        lastByteNanos = clock.nanos();
    }

    /**
     * Watches the received bytes for UBX-ACK-ACK / UBX-ACK-NAK (class 0x05, id 0x01 / 0x00, payload: class and id
     * of the acknowledged message) that answer UBX-CFG-VALSET. The NMEA reader sees these bytes as one skipped line.
     */
    private void scanForAcks(int n) {
        for (int i = 0; i < n; i++) {
            System.arraycopy(window, 1, window, 0, window.length - 1);
            window[window.length - 1] = buffer[i];
            if ((window[0] & 0xFF) == 0xB5 && window[1] == 0x62 && window[2] == 0x05 && (window[3] & 0xFE) == 0
                    && window[4] == 2 && window[5] == 0 && Ubx.valid(window)) {
                boolean ack = window[3] == 0x01;
                if ((window[6] & 0xFF) == Ubx.CLASS_CFG && (window[7] & 0xFF) == Ubx.ID_CFG_VALSET) {
                    if (ack) {
                        acks++;
                        confirmed = true;
                    } else {
                        naks++;
                    }
                }
            }
        }
    }

    /** UBX-ACK-ACK replies to CFG-VALSET seen so far. */
    public long acks() {
        return acks;
    }

    /** UBX-ACK-NAK replies to CFG-VALSET seen so far (the receiver rejected a configuration). */
    public long naks() {
        return naks;
    }

    /**
     * Whether the receiver acknowledged the last {@link #setPowerMode} (always true for OFF, which the receiver does not
     * answer). Not confirmed after a few reads means the command was lost or rejected: send it again.
     */
    @Override
    public boolean powerModeConfirmed() {
        return confirmed;
    }

    @Override
    public GnssPowerMode powerMode() {
        return mode;
    }

    @Override
    public NmeaCounters counters() {
        return reader.counters();
    }

    private SensorFault fail(SensorFault f) {
        status = SensorStatus.of(f);
        return f;
    }
}
