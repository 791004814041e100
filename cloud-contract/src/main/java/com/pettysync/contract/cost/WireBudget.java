package com.pettysync.contract.cost;

import java.util.List;
import java.util.Locale;

/**
 * The bytes one collar puts on the wire in a day, both directions, at two layers: the TCP payload (the TLS records,
 * what a TLS library or {@code ss} counts) and IP (the TCP payload plus an IPv4 and TCP header per segment, pure ACKs
 * included: what a cellular data plan meters). An analytic model, beside the measurement of
 * {@code device-agent/src/bench/wire-day.sh} (both in cloud-contract's README).
 *
 * <p>Per exchange, MQTT 5 packets are sized from the protocol: a QoS 1 PUBLISH is 1 type byte, the remaining length
 * (1–2 bytes here), the topic (2 + its bytes, or 2 + 0 once a topic alias stands for it: Paho assigns one on the
 * first publish to a topic when the broker allows aliases, as HiveMQ and Mosquitto do), the packet id (2), the
 * properties (1 length byte, + 3 for the alias), the payload; a PUBACK is 4 bytes with reason 0x00 and 5 with a
 * reason such as 0x10 "no matching subscribers"; PINGREQ and PINGRESP 2. Each packet goes in its own TLS 1.3
 * record: {@value #TLS13_RECORD_OVERHEAD} bytes (5 header, 1 inner content type, a 16-byte AEAD tag) plus, for
 * records the JDK writes (the collar always; the local cloud's broker too), {@value #JDK_TLS13_PADDING} bytes of
 * padding the JDK adds to every TLS 1.3 record ({@code sun.security.ssl.OutputRecord}); each record in its own TCP
 * segment with {@value #TCP_IP_HEADERS} bytes of headers (IPv4 20, TCP 20, the timestamp option 12 Linux sends),
 * and a pure ACK for every record (the broker ACKs a PUBLISH at once and answers when the frame is stored, so its
 * PUBACK does not carry the ACK: four segments per frame, as captured against the local cloud).
 *
 * <p>A day at these settings: {@code 86400 / intervalS} telemetry frames with their PUBACKs; keep-alives only when
 * the link is idle for {@code keepAliveS} (Paho pings when nothing went out or came in for the keep-alive, so with a
 * frame and its PUBACK every {@code intervalS < keepAliveS} seconds there are none); {@code shadowReportsPerDay}
 * reported-state updates (the collar's publish and the broker's PUBACK, the broker's {@code update/accepted} and the
 * collar's PUBACK); {@code connectsPerDay} MQTT sessions, each costing {@code connectTlsBytes} in
 * {@code connectSegments} segments — TCP, the TLS handshake, the session set-up (CONNECT, CONNACK, the
 * subscriptions, the shadow get and the jobs query, their replies) and the close. Those depend on certificate sizes
 * and reply texts, so they are measured constants, not derived; events and voice are not in the budget (rare, and
 * sized by what the dog does).
 *
 * @param intervalS           telemetry window, s (one frame each)
 * @param frameBytes          telemetry payload (at most 182 by the contract)
 * @param telemetryTopicBytes bytes of the telemetry topic
 * @param topicAlias          whether frames after the first of a session go with a topic alias instead of the topic
 * @param keepAliveS          MQTT keep-alive, s
 * @param shadowReportsPerDay reported-state updates a day
 * @param shadowReportBytes   a reported-state update's payload
 * @param shadowTopicBytes    the update topic's bytes ({@code update/accepted} is 9 more)
 * @param shadowAcceptedBytes the broker's {@code update/accepted} payload
 * @param brokerPadsRecords   whether the broker's TLS records carry the JDK's 16-byte padding
 * @param pubackBytes         the broker's PUBACK for a frame (4 or 5)
 * @param connectsPerDay      MQTT sessions a day
 * @param connectTlsBytes     TCP payload of one session's set-up and close, both directions
 * @param connectSegments     TCP segments of one session's set-up and close, both directions
 */
public record WireBudget(int intervalS, int frameBytes, int telemetryTopicBytes, boolean topicAlias, int keepAliveS,
        double shadowReportsPerDay, int shadowReportBytes, int shadowTopicBytes, int shadowAcceptedBytes,
        boolean brokerPadsRecords, int pubackBytes, double connectsPerDay, int connectTlsBytes, int connectSegments) {

    /** TLS 1.3 record overhead: 5-byte header, 1 inner content-type byte, 16-byte AEAD tag. */
    public static final int TLS13_RECORD_OVERHEAD = 22;
    /** The zero padding the JDK adds to every TLS 1.3 record it writes. */
    public static final int JDK_TLS13_PADDING = 16;
    /** IPv4 (20) + TCP (20) + TCP timestamp option (12) per segment. */
    public static final int TCP_IP_HEADERS = 52;
    /** MQTT PINGREQ or PINGRESP. */
    public static final int MQTT_PING_BYTES = 2;
    /** MQTT 5 PUBACK with a reason code and no properties (the collar's own PUBACKs are 4: reason 0x00 omitted). */
    public static final int MQTT_PUBACK_WITH_REASON_BYTES = 5;
    /** The budget the collar is held to, bytes per collar-day (decimal kilobytes). */
    public static final long TARGET_BYTES_PER_DAY = 80_000;

    public WireBudget {
        if (intervalS < 1 || keepAliveS < 1 || frameBytes < 0 || telemetryTopicBytes < 1 || shadowReportBytes < 0
                || shadowTopicBytes < 1 || shadowAcceptedBytes < 0 || connectTlsBytes < 0 || connectSegments < 0
                || pubackBytes < 4 || pubackBytes > 5) {
            throw new IllegalArgumentException("intervals ≥ 1 s, topics ≥ 1 byte, sizes ≥ 0, a PUBACK of 4 or 5 "
                    + "bytes required");
        }
        if (!(shadowReportsPerDay >= 0) || !(connectsPerDay >= 0)) {
            throw new IllegalArgumentException("rates must be ≥ 0");
        }
    }

    /**
     * The product against AWS IoT Core at its defaults: a 182-byte frame (the contract's maximum) every 300 s on
     * {@code pettysync/v1/{thing}/telemetry} with a 19-byte thing name ({@code collar-} + 12 digits), topic aliases
     * on, keep-alive 1200 s, the device report every hour (24 a day, a 260-byte report as captured; AWS's
     * {@code update/accepted} echo with its metadata assumed 600 bytes, not measured), a broker that does not pad its
     * records and answers a frame with a 4-byte PUBACK (assumed, not measured), one session a day whose set-up and
     * close cost what the capture against the local cloud measured (8,217 bytes in 62 segments, a full handshake;
     * AWS's certificate chain is larger: not measured).
     */
    public static WireBudget defaults() {
        return new WireBudget(300, 182, 42, true, 1200, 24, 260, 57, 600, false, 4, 1, 8_217, 62);
    }

    /** {@link #defaults()} against the local cloud: its broker pads its records (JDK) and PUBACKs with 0x10. */
    public static WireBudget localCloud() {
        return defaults().withBroker(true, MQTT_PUBACK_WITH_REASON_BYTES);
    }

    public WireBudget withKeepAliveS(int v) {
        return new WireBudget(intervalS, frameBytes, telemetryTopicBytes, topicAlias, v, shadowReportsPerDay,
                shadowReportBytes, shadowTopicBytes, shadowAcceptedBytes, brokerPadsRecords, pubackBytes,
                connectsPerDay, connectTlsBytes, connectSegments);
    }

    public WireBudget withIntervalS(int v) {
        return new WireBudget(v, frameBytes, telemetryTopicBytes, topicAlias, keepAliveS, shadowReportsPerDay,
                shadowReportBytes, shadowTopicBytes, shadowAcceptedBytes, brokerPadsRecords, pubackBytes,
                connectsPerDay, connectTlsBytes, connectSegments);
    }

    public WireBudget withFrameBytes(int v) {
        return new WireBudget(intervalS, v, telemetryTopicBytes, topicAlias, keepAliveS, shadowReportsPerDay,
                shadowReportBytes, shadowTopicBytes, shadowAcceptedBytes, brokerPadsRecords, pubackBytes,
                connectsPerDay, connectTlsBytes, connectSegments);
    }

    public WireBudget withShadowReportsPerDay(double v) {
        return new WireBudget(intervalS, frameBytes, telemetryTopicBytes, topicAlias, keepAliveS, v,
                shadowReportBytes, shadowTopicBytes, shadowAcceptedBytes, brokerPadsRecords, pubackBytes,
                connectsPerDay, connectTlsBytes, connectSegments);
    }

    public WireBudget withBroker(boolean padsRecords, int puback) {
        return new WireBudget(intervalS, frameBytes, telemetryTopicBytes, topicAlias, keepAliveS, shadowReportsPerDay,
                shadowReportBytes, shadowTopicBytes, shadowAcceptedBytes, padsRecords, puback, connectsPerDay,
                connectTlsBytes, connectSegments);
    }

    public WireBudget withConnects(double perDay, int tlsBytes, int segments) {
        return new WireBudget(intervalS, frameBytes, telemetryTopicBytes, topicAlias, keepAliveS, shadowReportsPerDay,
                shadowReportBytes, shadowTopicBytes, shadowAcceptedBytes, brokerPadsRecords, pubackBytes, perDay,
                tlsBytes, segments);
    }

    /**
     * One kind of exchange in a day.
     *
     * @param name     what it is
     * @param perDay   how many a day
     * @param tlsBytes TCP payload of one, both directions
     * @param segments TCP segments of one, both directions, pure ACKs included
     */
    public record Item(String name, double perDay, long tlsBytes, int segments) {
        public long ipBytes() {
            return tlsBytes + (long) segments * TCP_IP_HEADERS;
        }

        public double tlsBytesPerDay() {
            return perDay * tlsBytes;
        }

        public double ipBytesPerDay() {
            return perDay * ipBytes();
        }
    }

    /** A day's exchanges and their totals. */
    public record Estimate(List<Item> items) {
        public Estimate {
            items = List.copyOf(items);
        }

        public long tlsBytesPerDay() {
            return Math.round(items.stream().mapToDouble(Item::tlsBytesPerDay).sum());
        }

        public long ipBytesPerDay() {
            return Math.round(items.stream().mapToDouble(Item::ipBytesPerDay).sum());
        }

        /** A table: one line per item, then the totals against {@link #TARGET_BYTES_PER_DAY}. */
        public String format() {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-14s %8s %10s %9s %12s %12s%n",
                    "per collar-day", "count", "TLS bytes", "segments", "TLS total", "IP total"));
            for (Item i : items) {
                b.append(String.format(Locale.ROOT, "%-14s %8.1f %10d %9d %12.0f %12.0f%n", i.name(), i.perDay(),
                        i.tlsBytes(), i.segments(), i.tlsBytesPerDay(), i.ipBytesPerDay()));
            }
            b.append(String.format(Locale.ROOT, "%-14s %8s %10s %9s %12d %12d   (target %,d)%n", "total", "", "", "",
                    tlsBytesPerDay(), ipBytesPerDay(), TARGET_BYTES_PER_DAY));
            return b.toString();
        }
    }

    /** A day's wire bytes at these settings. */
    public Estimate perDay() {
        double frames = 86_400.0 / intervalS;
        double pings = intervalS < keepAliveS ? 0 : frames * Math.floorDiv(intervalS, keepAliveS);
        int frameTopic = topicAlias ? 0 : telemetryTopicBytes;
        long frameExchange = collarRecord(publishBytes(frameTopic, topicAlias, frameBytes)) + brokerRecord(pubackBytes);
        long pingExchange = collarRecord(MQTT_PING_BYTES) + brokerRecord(MQTT_PING_BYTES);
        long shadowExchange = collarRecord(publishBytes(shadowTopicBytes, false, shadowReportBytes))
                + brokerRecord(pubackBytes)
                + brokerRecord(publishBytes(shadowTopicBytes + "/accepted".length(), false, shadowAcceptedBytes))
                + collarRecord(4);
        return new Estimate(List.of(
                new Item("frames", frames, frameExchange, 4),
                new Item("keep-alives", pings, pingExchange, 4),
                new Item("shadow reports", shadowReportsPerDay, shadowExchange, 8),
                new Item("connects", connectsPerDay, connectTlsBytes, connectSegments)));
    }

    /** An MQTT 5 QoS 1 PUBLISH: no properties but a topic alias when {@code alias}. */
    static int publishBytes(int topicBytes, boolean alias, int payloadBytes) {
        int remaining = 2 + topicBytes + 2 + 1 + (alias ? 3 : 0) + payloadBytes;
        return 1 + varIntBytes(remaining) + remaining;
    }

    private static int varIntBytes(int v) {
        return v < 128 ? 1 : v < 16_384 ? 2 : v < 2_097_152 ? 3 : 4;
    }

    private static long collarRecord(int mqttBytes) {
        return mqttBytes + TLS13_RECORD_OVERHEAD + JDK_TLS13_PADDING;
    }

    private long brokerRecord(int mqttBytes) {
        return mqttBytes + TLS13_RECORD_OVERHEAD + (brokerPadsRecords ? JDK_TLS13_PADDING : 0);
    }
}
