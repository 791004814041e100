package com.pettysync.agent.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.contract.json.JsonTrees;
import com.pettysync.contract.topic.RuleName;
import com.pettysync.contract.topic.ThingName;
import com.pettysync.contract.topic.TopicException;
import com.pettysync.contract.topic.TopicMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates the agent's JSON configuration.
 *
 * <p>Guarantee: {@link #parse} either returns a fully valid {@link AgentConfig} or throws
 * {@link InvalidConfigException} listing <em>every</em> problem found (not just the first), each with the JSON
 * path of the field, so an operator fixes the file in one go. Unknown fields are problems too (a misspelt
 * {@code keepAliveS} would otherwise silently run with the default). Relative paths are resolved against the
 * directory of the configuration file. Certificate, key and CA files must exist and be readable; the data
 * directory must exist or be creatable (it is not created here).
 *
 * <p>Identity: either permanent ({@code thingName}, {@code certificate}, {@code privateKey}) or a claim
 * ({@code identity.claim}, provisioned on the first start: see {@link ClaimConfig}); never both, and one of the two
 * is required.
 */
public final class AgentConfigParser {
    private static final Pattern HOST = Pattern.compile(
            "(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*");
    /** A local stand-in of IoT Core (pettysync cloud) may listen on any port; AWS listens on 8883 and 443 only. */
    static boolean isLoopback(String endpoint) {
        return endpoint.equals("localhost") || endpoint.startsWith("127.") || endpoint.equals("::1");
    }

    private static final Set<String> TOP_FIELDS = Set.of("endpoint", "port", "thingName", "certificate",
            "privateKey", "caCertificate", "dataDirectory", "windowS", "topicMode", "basicIngestRule", "outbox",
            "keepAliveS", "reconnect", "sensors", "voice", "hardware", "identity", "raw");
    private static final Set<String> IDENTITY_FIELDS = Set.of("claim");
    private static final Set<String> CLAIM_FIELDS = Set.of("certificate", "privateKey", "templateName", "parameters",
            "clientId", "identityDirectory", "replyTimeoutS");
    /** AWS's rule for provisioning template names (CreateProvisioningTemplate). */
    private static final Pattern TEMPLATE_NAME = Pattern.compile("[0-9A-Za-z_-]{1,36}");
    /** AWS's limits on RegisterThing parameters: keys ≤ 2048, values ≤ 4096 characters. */
    static final int MAX_PARAMETER_KEY = 2048;
    static final int MAX_PARAMETER_VALUE = 4096;
    /** The template parameter that names the collar, and so its client ID by default. */
    public static final String SERIAL_NUMBER = "SerialNumber";
    private static final Set<String> OUTBOX_FIELDS = Set.of("capacityFrames", "maxInFlight", "drainPerSecond");
    private static final Set<String> RECONNECT_FIELDS = Set.of("minS", "maxS");
    private static final Set<String> VOICE_FIELDS = Set.of("quotaBytes");
    private static final Set<String> HARDWARE_FIELDS = Set.of("i2cBus", "gnssSerial", "gnssBaud", "audioMixer",
            "microphone");

    /** Largest outbox: 10 years of 5-minute windows; a bigger number is certainly a typo. */
    public static final int MAX_CAPACITY = 1_051_200;

    private final boolean checkFiles;

    /** A parser that checks that the certificate, key and CA files exist (what the agent uses). */
    public AgentConfigParser() {
        this(true);
    }

    /** {@code checkFiles = false} skips the file-existence checks (for tools that only inspect a config). */
    public AgentConfigParser(boolean checkFiles) {
        this.checkFiles = checkFiles;
    }

    /** The data directory of {@code file}, for tools that only need that; bad input becomes one message. */
    public Path parseOrExplain(Path file) {
        try {
            return parse(file).dataDirectory();
        } catch (InvalidConfigException e) {
            throw new com.pettysync.cli.BadInputException(e.getMessage());
        }
    }

    /** Reads and validates {@code file}. */
    public AgentConfig parse(Path file) throws InvalidConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new InvalidConfigException(List.of(new ConfigProblem("$", "cannot read " + file + ": " + e)));
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(text, base);
    }

    /** Validates configuration {@code text}; relative paths resolve against {@code baseDir}. */
    public AgentConfig parse(String text, Path baseDir) throws InvalidConfigException {
        JsonNode root;
        try {
            root = JsonTrees.read(text); // strict: a duplicate field is an error, not "last one wins"
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new InvalidConfigException(List.of(new ConfigProblem("$", "not valid JSON"
                    + (loc == null ? "" : " at line " + loc.getLineNr() + " column " + loc.getColumnNr()) + ": "
                    + e.getOriginalMessage())));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidConfigException(List.of(new ConfigProblem("$", "must be a JSON object")));
        }
        Reader r = new Reader(baseDir);
        ObjectNode o = (ObjectNode) root;
        r.unknown(o, "", TOP_FIELDS);

        String endpoint = r.string(o, "endpoint", null);
        if (endpoint != null && !HOST.matcher(endpoint).matches()) {
            r.problem("endpoint", "must be a host name (like abc123-ats.iot.eu-west-1.amazonaws.com), got \""
                    + endpoint + "\"");
        }
        int port = r.integer(o, "port", AgentConfig.DEFAULT_PORT);
        boolean loopback = endpoint != null && isLoopback(endpoint);
        if (loopback ? port < 1 || port > 65535 : port != AgentConfig.DEFAULT_PORT && port != AgentConfig.ALPN_PORT) {
            r.problem("port", loopback ? "must be 1-65535, got " + port
                    : "must be 8883, or 443 (TLS with ALPN x-amzn-mqtt-ca), got " + port
                            + " (other ports only for a loopback endpoint: the local IoT Core stand-in)");
        }
        JsonNode claimNode = claimSection(r, o);
        String thing = null;
        Path cert = null;
        Path key = null;
        if (claimNode != null) {
            // the permanent identity is what provisioning writes: it must not be given beside a claim
            for (String f : List.of("thingName", "certificate", "privateKey")) {
                if (o.hasNonNull(f)) {
                    r.problem(f, "must not be set together with identity.claim (provisioning by claim writes it)");
                }
            }
        } else {
            thing = r.string(o, "thingName", null);
            if (thing != null && !ThingName.isValid(thing)) {
                r.problem("thingName", "must be 1-128 characters of [a-zA-Z0-9:_-], got \"" + thing + "\"");
            }
            cert = r.readableFile(o, "", "certificate");
            key = r.readableFile(o, "", "privateKey");
        }
        Path ca = r.readableFile(o, "", "caCertificate");
        Path data = r.path(o, "", "dataDirectory", true);
        if (data != null && Files.exists(data) && !Files.isDirectory(data)) {
            r.problem("dataDirectory", "exists but is not a directory: " + data);
        }
        ClaimConfig claim = claimNode == null ? null : claim(r, claimNode, data);
        int window = r.integer(o, "windowS", AgentConfig.DEFAULT_WINDOW_S);
        r.range("windowS", window, 1, 3600);
        String mode = r.string(o, "topicMode", TopicMode.DIRECT.configName());
        TopicMode topicMode = TopicMode.DIRECT;
        if (mode != null) {
            try {
                topicMode = TopicMode.fromConfigName(mode);
            } catch (TopicException e) {
                r.problem("topicMode", e.getMessage());
            }
        }
        String rule = r.string(o, "basicIngestRule", "");
        if (topicMode == TopicMode.BASIC_INGEST) {
            if (rule == null || rule.isEmpty()) {
                r.problem("basicIngestRule", "is required when topicMode is \"basic-ingest\"");
            } else {
                try {
                    RuleName.of(rule);
                } catch (TopicException e) {
                    r.problem("basicIngestRule", e.getMessage());
                }
            }
        } else if (rule != null && !rule.isEmpty()) {
            r.problem("basicIngestRule", "is only allowed when topicMode is \"basic-ingest\"");
        }

        AgentConfig.Outbox outbox = AgentConfig.Outbox.defaults();
        JsonNode ob = r.object(o, "outbox");
        if (ob != null) {
            r.unknown((ObjectNode) ob, "outbox.", OUTBOX_FIELDS);
            int cap = r.integer(ob, "outbox.", "capacityFrames", AgentConfig.Outbox.DEFAULT_CAPACITY);
            r.range("outbox.capacityFrames", cap, 1, MAX_CAPACITY);
            int inflight = r.integer(ob, "outbox.", "maxInFlight", AgentConfig.Outbox.DEFAULT_MAX_IN_FLIGHT);
            r.range("outbox.maxInFlight", inflight, 1, 100);
            int drain = r.integer(ob, "outbox.", "drainPerSecond", AgentConfig.Outbox.DEFAULT_DRAIN_PER_SECOND);
            r.range("outbox.drainPerSecond", drain, 1, 100);
            outbox = new AgentConfig.Outbox(cap, inflight, drain);
        }
        int keepAlive = r.integer(o, "keepAliveS", AgentConfig.DEFAULT_KEEP_ALIVE_S);
        r.range("keepAliveS", keepAlive, 30, 1200);

        AgentConfig.Reconnect reconnect = AgentConfig.Reconnect.defaults();
        JsonNode rc = r.object(o, "reconnect");
        if (rc != null) {
            r.unknown((ObjectNode) rc, "reconnect.", RECONNECT_FIELDS);
            int min = r.integer(rc, "reconnect.", "minS", 1);
            int max = r.integer(rc, "reconnect.", "maxS", 120);
            r.range("reconnect.minS", min, 1, 3600);
            r.range("reconnect.maxS", max, 1, 3600);
            if (min > max) {
                r.problem("reconnect.maxS", "must be at least reconnect.minS (" + min + "), got " + max);
            }
            reconnect = new AgentConfig.Reconnect(min, max);
        }
        String sensors = r.string(o, "sensors", "real");
        AgentConfig.Sensors sensorSource = AgentConfig.Sensors.REAL;
        if ("simulated".equals(sensors)) {
            sensorSource = AgentConfig.Sensors.SIMULATED;
        } else if (sensors != null && !"real".equals(sensors)) {
            r.problem("sensors", "must be \"real\" or \"simulated\", got \"" + sensors + "\"");
        }
        AgentConfig.Voice voice = AgentConfig.Voice.defaults();
        JsonNode vo = r.object(o, "voice");
        if (vo != null) {
            r.unknown((ObjectNode) vo, "voice.", VOICE_FIELDS);
            JsonNode q = vo.get("quotaBytes");
            if (q != null && !q.isNull()) {
                if (!q.isIntegralNumber() || !q.canConvertToLong()) {
                    r.problem("voice.quotaBytes", "must be a whole number, got " + q);
                } else if (q.longValue() < AgentConfig.Voice.MIN_QUOTA_BYTES
                        || q.longValue() > AgentConfig.Voice.MAX_QUOTA_BYTES) {
                    r.problem("voice.quotaBytes", "must be between " + AgentConfig.Voice.MIN_QUOTA_BYTES + " (one 10 s"
                            + " clip) and " + AgentConfig.Voice.MAX_QUOTA_BYTES + ", got " + q.longValue());
                } else {
                    voice = new AgentConfig.Voice(q.longValue());
                }
            }
        }
        AgentConfig.Raw raw = AgentConfig.Raw.defaults();
        JsonNode ro = r.object(o, "raw");
        if (ro != null) {
            r.unknown((ObjectNode) ro, "raw.", Set.of("quotaBytes"));
            JsonNode q = ro.get("quotaBytes");
            if (q != null && !q.isNull()) {
                if (!q.isIntegralNumber() || !q.canConvertToLong()) {
                    r.problem("raw.quotaBytes", "must be a whole number, got " + q);
                } else if (q.longValue() < AgentConfig.Raw.MIN_QUOTA_BYTES
                        || q.longValue() > AgentConfig.Raw.MAX_QUOTA_BYTES) {
                    r.problem("raw.quotaBytes", "must be between " + AgentConfig.Raw.MIN_QUOTA_BYTES + " (four chunks)"
                            + " and " + AgentConfig.Raw.MAX_QUOTA_BYTES + ", got " + q.longValue());
                } else {
                    raw = new AgentConfig.Raw(q.longValue());
                }
            }
        }
        AgentConfig.Hardware hardware = AgentConfig.Hardware.defaults();
        JsonNode hw = r.object(o, "hardware");
        if (hw != null) {
            AgentConfig.Hardware d = hardware;
            r.unknown((ObjectNode) hw, "hardware.", HARDWARE_FIELDS);
            int bus = r.integer(hw, "hardware.", "i2cBus", d.i2cBus());
            r.range("hardware.i2cBus", bus, 0, 31);
            String serial = r.string(hw, "hardware.", "gnssSerial", d.gnssSerial());
            if (serial != null && !serial.matches("/dev/[A-Za-z0-9._/-]+")) {
                r.problem("hardware.gnssSerial", "must be a device path under /dev/, got \"" + serial + "\"");
            }
            int baud = r.integer(hw, "hardware.", "gnssBaud", d.gnssBaud());
            if (!AgentConfig.Hardware.BAUDS.contains(baud)) {
                r.problem("hardware.gnssBaud", "must be one of " + AgentConfig.Hardware.BAUDS.stream().sorted().toList()
                        + ", got " + baud);
            }
            String mixer = r.string(hw, "hardware.", "audioMixer", d.audioMixer());
            String mic = r.string(hw, "hardware.", "microphone", d.microphone());
            if (mic != null && !AgentConfig.Hardware.MICROPHONES.contains(mic)) {
                r.problem("hardware.microphone", "must be \"sph0645\" or \"ics43434\", got \"" + mic + "\"");
            }
            hardware = new AgentConfig.Hardware(bus, serial, baud, mixer, mic);
        }
        if (!r.problems.isEmpty()) {
            throw new InvalidConfigException(r.problems);
        }
        return new AgentConfig(endpoint, port, thing, cert, key, ca, data, window, topicMode,
                topicMode == TopicMode.BASIC_INGEST ? RuleName.of(rule) : null, outbox, keepAlive, reconnect,
                sensorSource, voice, hardware, claim, raw);
    }

    /** The {@code identity.claim} object, or null when the file holds a permanent identity. */
    private static JsonNode claimSection(Reader r, ObjectNode o) {
        JsonNode id = r.object(o, "identity");
        if (id == null) {
            return null;
        }
        r.unknown((ObjectNode) id, "identity.", IDENTITY_FIELDS);
        JsonNode claim = id.get("claim");
        if (claim == null || claim.isNull()) {
            r.problem("identity.claim", "is required in identity (a permanent identity is thingName, certificate and"
                    + " privateKey at the top level)");
            return null;
        }
        if (!claim.isObject()) {
            r.problem("identity.claim", "must be an object");
            return null;
        }
        return claim;
    }

    private ClaimConfig claim(Reader r, JsonNode c, Path dataDirectory) {
        String p = "identity.claim.";
        r.unknown((ObjectNode) c, p, CLAIM_FIELDS);
        Path cert = r.readableFile(c, p, "certificate");
        Path key = r.readableFile(c, p, "privateKey");
        String template = r.string(c, p, "templateName", null);
        if (template != null && !TEMPLATE_NAME.matcher(template).matches()) {
            r.problem(p + "templateName", "must be 1-36 characters of [0-9A-Za-z_-] (AWS's rule for provisioning"
                    + " template names), got \"" + template + "\"");
        }
        java.util.LinkedHashMap<String, String> parameters = new java.util.LinkedHashMap<>();
        JsonNode params = c.get("parameters");
        if (params != null && !params.isNull()) {
            if (!params.isObject()) {
                r.problem(p + "parameters", "must be an object of string values");
            } else {
                params.fields().forEachRemaining(e -> {
                    String at = p + "parameters." + e.getKey();
                    if (e.getKey().isEmpty() || e.getKey().length() > MAX_PARAMETER_KEY) {
                        r.problem(at, "name must be 1-" + MAX_PARAMETER_KEY + " characters");
                    } else if (!e.getValue().isTextual()) {
                        r.problem(at, "must be a string, got " + e.getValue().getNodeType().name()
                                .toLowerCase(java.util.Locale.ROOT) + " (AWS template parameters are strings)");
                    } else if (e.getValue().textValue().length() > MAX_PARAMETER_VALUE) {
                        r.problem(at, "must be at most " + MAX_PARAMETER_VALUE + " characters");
                    } else {
                        parameters.put(e.getKey(), e.getValue().textValue());
                    }
                });
            }
        }
        String clientId = r.string(c, p, "clientId", "");
        if (clientId != null && clientId.isEmpty() && c.hasNonNull("clientId")) {
            r.problem(p + "clientId", "must not be empty (leave it out to use parameters." + SERIAL_NUMBER + ")");
            clientId = null;
        } else if (clientId != null && clientId.isEmpty()) {
            clientId = parameters.get(SERIAL_NUMBER);
            if (clientId == null) {
                if (params == null || params.isObject() && !params.has(SERIAL_NUMBER)) {
                    r.problem(p + "clientId", "is required when parameters has no " + SERIAL_NUMBER);
                }
            } else if (!ThingName.isValid(clientId)) {
                r.problem(p + "parameters." + SERIAL_NUMBER, "is the client ID when clientId is not set, so it must"
                        + " be 1-128 characters of [a-zA-Z0-9:_-], got \"" + clientId + "\"");
            }
        } else if (clientId != null && !ThingName.isValid(clientId)) {
            r.problem(p + "clientId", "must be 1-128 characters of [a-zA-Z0-9:_-], got \"" + clientId + "\"");
        }
        Path dir = r.path(c, p, "identityDirectory", false);
        if (dir == null && dataDirectory != null && !c.hasNonNull("identityDirectory")) {
            dir = dataDirectory.resolve(ClaimConfig.DEFAULT_IDENTITY_DIRECTORY);
        }
        if (dir != null) {
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                r.problem(p + "identityDirectory", "exists but is not a directory: " + dir);
            }
            for (String f : List.of(ClaimConfig.CERTIFICATE_FILE, ClaimConfig.PRIVATE_KEY_FILE)) {
                Path out = dir.resolve(f);
                if (out.equals(cert) || out.equals(key)) {
                    r.problem(p + "identityDirectory", "would overwrite the claim's own " + out + " with the"
                            + " permanent identity; keep the claim files elsewhere");
                }
            }
        }
        int timeout = r.integer(c, p, "replyTimeoutS", ClaimConfig.DEFAULT_REPLY_TIMEOUT_S);
        r.range(p + "replyTimeoutS", timeout, 5, 600);
        return new ClaimConfig(cert, key, template, parameters, clientId, dir, java.time.Duration.ofSeconds(timeout));
    }

    /** Collects problems while reading fields. */
    private final class Reader {
        final List<ConfigProblem> problems = new ArrayList<>();
        final Path baseDir;

        Reader(Path baseDir) {
            this.baseDir = baseDir;
        }

        void problem(String path, String message) {
            problems.add(new ConfigProblem(path, message));
        }

        void unknown(ObjectNode node, String prefix, Set<String> known) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
                String name = it.next();
                if (!known.contains(name)) {
                    problem(prefix + name, "unknown field (known: " + String.join(", ", known.stream().sorted()
                            .toList()) + ")");
                }
            }
        }

        /** A required string when {@code dflt} is null. */
        String string(JsonNode node, String name, String dflt) {
            return string(node, "", name, dflt);
        }

        String string(JsonNode node, String prefix, String name, String dflt) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                if (dflt == null) {
                    problem(prefix + name, "is required");
                }
                return dflt;
            }
            if (!v.isTextual()) {
                problem(prefix + name, "must be a string, got " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
                return null;
            }
            return v.textValue();
        }

        int integer(JsonNode node, String name, int dflt) {
            return integer(node, "", name, dflt);
        }

        int integer(JsonNode node, String prefix, String name, int dflt) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return dflt;
            }
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                problem(prefix + name, "must be a whole number, got " + v);
                return dflt;
            }
            return v.intValue();
        }

        void range(String path, int value, int min, int max) {
            if (value < min || value > max) {
                problem(path, "must be between " + min + " and " + max + ", got " + value);
            }
        }

        JsonNode object(JsonNode node, String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isObject()) {
                problem(name, "must be an object");
                return null;
            }
            return v;
        }

        Path path(JsonNode node, String prefix, String name, boolean required) {
            String s = string(node, prefix, name, required ? null : "");
            if (s == null || s.isEmpty()) {
                if (s != null && (required || node.hasNonNull(name))) {
                    problem(prefix + name, "must not be empty");
                }
                return null;
            }
            try {
                Path p = Path.of(s);
                return p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p).normalize();
            } catch (InvalidPathException e) {
                problem(prefix + name, "not a valid path: " + e.getMessage());
                return null;
            }
        }

        Path readableFile(JsonNode node, String prefix, String name) {
            Path p = path(node, prefix, name, true);
            if (p != null && checkFiles) {
                if (!Files.isRegularFile(p)) {
                    problem(prefix + name, "no such file: " + p);
                } else if (!Files.isReadable(p)) {
                    problem(prefix + name, "not readable: " + p);
                }
            }
            return p;
        }
    }
}
