package com.pettysync.agent.config;

import com.pettysync.contract.topic.RuleName;
import com.pettysync.contract.topic.ThingName;
import com.pettysync.contract.topic.TopicMode;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The agent's configuration, validated: every instance satisfies the rules in {@link AgentConfigParser} (which is
 * the only way to build one from a file). Field meanings and defaults are listed in the module README.
 *
 * @param endpoint       AWS IoT Core data endpoint host name (or {@code localhost} for the local stand-in)
 * @param port           8883, or 443 (TLS with ALPN {@code x-amzn-mqtt-ca})
 * @param thingName      the collar's thing name, also its MQTT client ID
 * @param certificate    PEM file with the collar certificate (chain)
 * @param privateKey     PEM file with its private key (EC or RSA; PKCS#8 or SEC1/PKCS#1)
 * @param caCertificate  PEM file with the CA certificate(s) the broker's certificate must chain to
 * @param dataDirectory  where the outbox database and the status file live
 * @param windowS        window length in seconds (the frame's {@code dur}), 1 … 3600
 * @param topicMode      telemetry straight to the topic, or through AWS IoT Basic Ingest
 * @param basicIngestRule the IoT rule name used in Basic Ingest mode; {@code null} in direct mode
 * @param outbox         outbox capacity and drain limits
 * @param keepAliveS     MQTT keep-alive, 30 … 1200 s
 * @param reconnect      reconnect back-off bounds
 * @param sensors        real hardware or the simulated twins
 * @param voice          voice clip storage (disk quota)
 * @param hardware       where the real parts are (I2C bus, GNSS UART, microphone); used with {@code sensors: real}
 * @param claim          the claim identity to provision with ({@code identity.claim}); {@code null} for a collar
 *                       with its permanent identity. With a claim, {@code thingName}, {@code certificate} and
 *                       {@code privateKey} are {@code null}: provisioning writes them (see {@link #isClaim()})
 * @param raw            raw-capture spool (disk quota)
 */
public record AgentConfig(String endpoint, int port, String thingName, Path certificate, Path privateKey,
        Path caCertificate, Path dataDirectory, int windowS, TopicMode topicMode, RuleName basicIngestRule,
        Outbox outbox, int keepAliveS, Reconnect reconnect, Sensors sensors, Voice voice, Hardware hardware,
        ClaimConfig claim, Raw raw) {

    public static final int DEFAULT_PORT = 8883;
    public static final int ALPN_PORT = 443;
    public static final int DEFAULT_WINDOW_S = 300;
    public static final int DEFAULT_KEEP_ALIVE_S = 1200;

    /** Where the sensor readings come from. */
    public enum Sensors {
        REAL, SIMULATED;

        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Outbox limits.
     *
     * @param capacityFrames frames kept before the drop policy starts (default 10,000: 34.7 days at 300 s)
     * @param maxInFlight    unacknowledged publishes at once, 1 … 100
     * @param drainPerSecond publishes per second at most, 1 … 100 (AWS IoT Core allows 100 per connection)
     */
    public record Outbox(int capacityFrames, int maxInFlight, int drainPerSecond) {
        public static final int DEFAULT_CAPACITY = 10_000;
        public static final int DEFAULT_MAX_IN_FLIGHT = 10;
        public static final int DEFAULT_DRAIN_PER_SECOND = 10;

        public static Outbox defaults() {
            return new Outbox(DEFAULT_CAPACITY, DEFAULT_MAX_IN_FLIGHT, DEFAULT_DRAIN_PER_SECOND);
        }
    }

    /**
     * Voice clip storage.
     *
     * @param quotaBytes most audio bytes of clips kept on disk waiting for upload (oldest dropped first);
     *                   {@value #MIN_QUOTA_BYTES} … {@value #MAX_QUOTA_BYTES}, default 64 MiB
     */
    public record Voice(long quotaBytes) {
        public static final long DEFAULT_QUOTA_BYTES = 64L * 1024 * 1024;
        /** One 10 s clip of 16 kHz PCM (320,000 bytes) must fit. */
        public static final long MIN_QUOTA_BYTES = 320_000;
        public static final long MAX_QUOTA_BYTES = 16L * 1024 * 1024 * 1024;

        public static Voice defaults() {
            return new Voice(DEFAULT_QUOTA_BYTES);
        }
    }

    /**
     * Raw-capture spool (contract §9).
     *
     * @param quotaBytes most bytes of raw chunks kept on disk waiting for upload (a capture stops when full);
     *                   {@value #MIN_QUOTA_BYTES} … {@value #MAX_QUOTA_BYTES}, default 128 MiB (a whole 24 h capture)
     */
    public record Raw(long quotaBytes) {
        public static final long DEFAULT_QUOTA_BYTES = com.pettysync.agent.raw.RawSpool.DEFAULT_QUOTA_BYTES;
        /** Four full chunks. */
        public static final long MIN_QUOTA_BYTES = 65_536;
        public static final long MAX_QUOTA_BYTES = 16L * 1024 * 1024 * 1024;

        public static Raw defaults() {
            return new Raw(DEFAULT_QUOTA_BYTES);
        }
    }

    /**
     * Where the reference collar's parts are ({@code shared/hardware.md}).
     *
     * @param i2cBus     the I2C bus of the PPG, IMU and fuel gauge (Linux {@code /dev/i2c-N}), default 1
     * @param gnssSerial the GNSS receiver's UART, default {@code /dev/ttyAMA0} (on a Pi 5 {@code /dev/serial0} is
     *                   the debug UART)
     * @param gnssBaud   its baud rate, default 9600 (the u-blox M10's default)
     * @param audioMixer a substring of the ALSA capture mixer's name; empty = the default capture line
     * @param microphone {@code sph0645} or {@code ics43434} (their I2S sample formats differ)
     */
    public record Hardware(int i2cBus, String gnssSerial, int gnssBaud, String audioMixer, String microphone) {
        public static final java.util.Set<Integer> BAUDS = java.util.Set.of(4800, 9600, 19200, 38400, 57600,
                115200, 230400, 460800);
        public static final java.util.Set<String> MICROPHONES = java.util.Set.of("sph0645", "ics43434");

        public static Hardware defaults() {
            return new Hardware(1, "/dev/ttyAMA0", 9600, "", "sph0645");
        }
    }

    /** Reconnect back-off: exponential from {@code minS} to {@code maxS} with full jitter. */
    public record Reconnect(int minS, int maxS) {
        public static Reconnect defaults() {
            return new Reconnect(1, 120);
        }

        public Duration min() {
            return Duration.ofSeconds(minS);
        }

        public Duration max() {
            return Duration.ofSeconds(maxS);
        }
    }

    /**
     * Whether this collar still has to provision itself by claim: the file holds {@code identity.claim} instead of
     * {@code thingName} + {@code certificate} + {@code privateKey}. The agent proper starts only on a permanent
     * identity.
     */
    public boolean isClaim() {
        return claim != null;
    }

    /** The thing name as the contract's type; only for a permanent identity. */
    public ThingName thing() {
        if (isClaim()) {
            throw new IllegalStateException("a claim configuration has no thing name until it is provisioned");
        }
        return ThingName.of(thingName);
    }

    /** This configuration with another sensor source (the {@code --simulated} switch). */
    public AgentConfig withSensors(Sensors s) {
        return new AgentConfig(endpoint, port, thingName, certificate, privateKey, caCertificate, dataDirectory,
                windowS, topicMode, basicIngestRule, outbox, keepAliveS, reconnect, s, voice, hardware, claim, raw);
    }
}
