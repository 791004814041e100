package com.pettysync.drivers.diag;

import com.pettysync.cli.BadInputException;
import com.pettysync.drivers.MonotonicClock;
import com.pettysync.drivers.SensorFault;
import com.pettysync.drivers.battery.Max17048;
import com.pettysync.drivers.bus.JSerialCommStream;
import com.pettysync.drivers.bus.Pi4jI2cBus;
import com.pettysync.drivers.bus.SerialStream;
import com.pettysync.drivers.heartrate.Max30102;
import com.pettysync.drivers.motion.Lsm6dsox;
import com.pettysync.drivers.poll.SensorPoller;
import com.pettysync.drivers.position.GnssPowerMode;
import com.pettysync.drivers.position.SerialGnss;
import com.pettysync.drivers.twin.DogBehaviourModel;
import com.pettysync.drivers.twin.SimulatedClock;
import com.pettysync.drivers.twin.SimulatedCollar;
import com.pettysync.drivers.twin.TwinFault;
import com.pettysync.drivers.voice.I2sFormat;
import com.pettysync.drivers.voice.JavaSoundSource;
import com.pettysync.drivers.voice.Microphone;
import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code diag sensors}: the factory test of a collar's parts. */
@Command(name = "sensors", mixinStandardHelpOptions = true,
        description = {"Factory test: find each part, read it a few seconds, one line per sensor.",
            "Each line says found / values in range / fault code. Exit 1 when any part fails.",
            "--simulated runs the same drivers against the collar's twins on a simulated clock (fast)."})
final class SensorsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--simulated", description = "Use the simulated twins instead of the hardware.")
    boolean simulated;

    @Option(names = "--fault", paramLabel = "SENSOR:KIND",
            description = "With --simulated: inject a fault, e.g. hr:nack, motion:stuck, gnss:garbled, gnss:nofix, "
                    + "gnss:nack, mic:silence, battery:nack. Repeatable.")
    List<String> faults = new ArrayList<>();

    @Option(names = "--seconds", defaultValue = "5", description = "How long to read each part (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--seed", defaultValue = "42", description = "Simulated dog (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--bus", defaultValue = "1", description = "I2C bus number (default ${DEFAULT-VALUE}).")
    int bus;

    @Option(names = "--serial", defaultValue = "/dev/ttyAMA0",
            description = "GNSS UART device (default ${DEFAULT-VALUE}; on a Pi 5 /dev/serial0 is the debug UART).")
    String serial;

    @Option(names = "--baud", defaultValue = "9600", description = "GNSS UART baud rate (default ${DEFAULT-VALUE}).")
    int baud;

    @Option(names = "--audio", defaultValue = "", paramLabel = "MIXER",
            description = "Substring of the ALSA capture mixer's name (default: the default capture line).")
    String audio;

    @Option(names = "--mic", defaultValue = "sph0645", description = "sph0645 or ics43434 (default ${DEFAULT-VALUE}).")
    String micKind;

    @Override
    public Integer call() throws Exception {
        if (!(seconds > 0 && seconds <= 600)) {
            throw new BadInputException("--seconds must be in (0, 600]: " + seconds);
        }
        if (!faults.isEmpty() && !simulated) {
            throw new BadInputException("--fault needs --simulated");
        }
        I2sFormat format = switch (micKind.toLowerCase(Locale.ROOT)) {
            case "sph0645" -> I2sFormat.sph0645();
            case "ics43434" -> I2sFormat.ics43434();
            default -> throw new BadInputException("--mic must be sph0645 or ics43434: " + micKind);
        };
        List<SensorCheck.Result> results = simulated ? runSimulated() : runHardware(format);
        PrintWriter out = spec.commandLine().getOut();
        boolean pass = true;
        for (SensorCheck.Result r : results) {
            out.println(r.line());
            pass &= r.pass();
        }
        out.println(pass ? "PASS" : "FAIL");
        out.flush();
        return pass ? 0 : 1;
    }

    private List<SensorCheck.Result> runSimulated() {
        DogBehaviourModel model = new DogBehaviourModel(seed, 52.52, 13.405);
        Instant day = LocalDate.of(2026, 6, 1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant start = day.plusSeconds(model.morningWalkStart(day).toSecondOfDay() + 600L);
        SimulatedClock clock = new SimulatedClock(start);
        SimulatedCollar collar = new SimulatedCollar(model, clock, seed);
        for (String f : faults) {
            int colon = f.indexOf(':');
            if (colon < 0) {
                throw new BadInputException("--fault wants SENSOR:KIND, e.g. hr:nack: " + f);
            }
            String kind = f.substring(colon + 1).toLowerCase(Locale.ROOT).replace("-", "");
            TwinFault tf = switch (kind) {
                case "nack" -> TwinFault.NACK;
                case "stuck" -> TwinFault.STUCK;
                case "garbled" -> TwinFault.GARBLED;
                case "nofix" -> TwinFault.NO_FIX;
                case "silence" -> TwinFault.SILENCE;
                case "none" -> TwinFault.NONE;
                default -> throw new BadInputException("unknown fault kind '" + kind
                        + "' (nack, stuck, garbled, nofix, silence)");
            };
            try {
                collar.inject(f.substring(0, colon), tf);
            } catch (IllegalArgumentException e) {
                throw new BadInputException(e.getMessage());
            }
        }
        SensorCheck check = new SensorCheck(collar.heartRate(), collar.motion(), collar.battery(), collar.gnss(),
                collar.microphone(), true);
        SensorPoller poller = check.poller(clock);
        long end = Duration.ofMillis((long) (seconds * 1000)).toNanos();
        while (clock.nanos() < end) {
            long next = poller.runDue();
            clock.advanceTo(Math.min(next, end));
            if (next > end) {
                break;
            }
        }
        poller.runDue();
        return check.results(seconds);
    }

    private List<SensorCheck.Result> runHardware(I2sFormat format) throws Exception {
        MonotonicClock clock = MonotonicClock.system();
        Context context = Pi4J.newAutoContext();
        Pi4jI2cBus i2c = new Pi4jI2cBus(context, bus);
        SerialStream port = openSerial();
        Microphone mic = new Microphone(() -> JavaSoundSource.open(audio, format), format, clock, 1 << 16);
        SerialGnss gnss = new SerialGnss(port, clock);
        try {
            try {
                gnss.setPowerMode(GnssPowerMode.LIVE);
            } catch (SensorFault ignored) {
                // shows up as a GNSS fault in the report
            }
            SensorCheck check = new SensorCheck(new Max30102(i2c, clock), new Lsm6dsox(i2c, clock),
                    new Max17048(i2c, clock), gnss, mic, false);
            SensorPoller poller = check.poller(clock);
            try {
                mic.open();
                mic.start(Thread.ofPlatform().name("mic-capture").daemon().factory());
            } catch (SensorFault ignored) {
                // the poller retries and reports it
            }
            poller.start(Thread.ofPlatform().daemon().factory());
            Thread.sleep((long) (seconds * 1000)); // wall-clock duration of the factory test itself
            poller.stop(Duration.ofSeconds(2));
            return check.results(seconds);
        } finally {
            mic.close();
            port.close();
            i2c.close();
            context.shutdown();
        }
    }

    private SerialStream openSerial() {
        try {
            return JSerialCommStream.open(serial, baud, 50);
        } catch (IOException e) {
            spec.commandLine().getErr().println("sensors: " + e.getMessage());
            return new SerialStream() { // a port that is not there: the GNSS line reports UNAVAILABLE
                @Override
                public int read(byte[] destination, int offset, int length) throws IOException {
                    throw new java.io.FileNotFoundException(e.getMessage());
                }

                @Override
                public void write(byte[] bytes) throws IOException {
                    throw new IOException("serial port " + serial + " is not open");
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
