package com.pettysync.agent.uplink;

/**
 * The MQTT 5 PUBACK reason codes a collar meets (MQTT 5.0 §3.4.2.1, as AWS IoT Core uses them), each with what the
 * collar does about it: the one rule table for every lane (telemetry and events, voice parts) and for the local
 * AWS IoT Core stand-in, which refuses a publish with these same codes.
 *
 * <pre>
 * code  name                            rule           what the uplink does
 * 0x00  SUCCESS                         DELETE         frame deleted, part marked acknowledged
 * 0x10  NO_MATCHING_SUBSCRIBERS         DELETE         (accepted: nobody listens, which is no error)
 * 0x80  UNSPECIFIED_ERROR               BACK_OFF       kept; its lane pauses for a growing full-jitter back-off
 * 0x83  IMPLEMENTATION_SPECIFIC_ERROR   BACK_OFF       kept; as above
 * 0x87  NOT_AUTHORIZED                  PAUSE          kept; its lane pauses notAuthorizedPause (a policy mistake
 *                                                      must not erase the backlog)
 * 0x90  TOPIC_NAME_INVALID              DROP           dropped + counted: those bytes will never be accepted
 * 0x91  PACKET_IDENTIFIER_IN_USE        BACK_OFF       kept; back-off
 * 0x95  PACKET_TOO_LARGE                DROP           (a DISCONNECT code in MQTT 5; brokers that report it for a
 *                                                      publish mean the same: never acceptable)
 * 0x97  QUOTA_EXCEEDED                  BACK_OFF       kept; back-off (AWS: over 100 publishes/s per connection)
 * 0x99  PAYLOAD_FORMAT_INVALID          DROP           dropped + counted
 * other ≥ 0x80                          BACK_OFF       kept; back-off
 * other < 0x80                          DELETE
 * </pre>
 */
public enum PubackReason {
    SUCCESS(0x00, Rule.DELETE),
    NO_MATCHING_SUBSCRIBERS(0x10, Rule.DELETE),
    UNSPECIFIED_ERROR(0x80, Rule.BACK_OFF),
    IMPLEMENTATION_SPECIFIC_ERROR(0x83, Rule.BACK_OFF),
    NOT_AUTHORIZED(0x87, Rule.PAUSE),
    TOPIC_NAME_INVALID(0x90, Rule.DROP),
    PACKET_IDENTIFIER_IN_USE(0x91, Rule.BACK_OFF),
    PACKET_TOO_LARGE(0x95, Rule.DROP),
    QUOTA_EXCEEDED(0x97, Rule.BACK_OFF),
    PAYLOAD_FORMAT_INVALID(0x99, Rule.DROP);

    /** What the collar does with the frame or part that got the code. */
    public enum Rule {
        /** Accepted: delete it (a part: mark it acknowledged). */
        DELETE,
        /** Never acceptable: drop it and count it. */
        DROP,
        /** Keep it; pause its lane for the not-authorized pause. */
        PAUSE,
        /** Keep it; pause its lane for a growing back-off, then offer it again. */
        BACK_OFF
    }

    private final int code;
    private final Rule rule;

    PubackReason(int code, Rule rule) {
        this.code = code;
        this.rule = rule;
    }

    public int code() {
        return code;
    }

    public Rule rule() {
        return rule;
    }

    /** The rule for any reason code, named or not. */
    public static Rule ruleOf(int code) {
        for (PubackReason r : values()) {
            if (r.code == code) {
                return r.rule;
            }
        }
        return code < 0x80 ? Rule.DELETE : Rule.BACK_OFF;
    }

    /** A code as logged: {@code 0x97 QUOTA_EXCEEDED}. */
    public static String describe(int code) {
        for (PubackReason r : values()) {
            if (r.code == code) {
                return String.format("0x%02x %s", code, r.name());
            }
        }
        return String.format("0x%02x", code);
    }

    /**
     * A rejected publish as every lane logs it: {@code PUBACK 0x97 QUOTA_EXCEEDED (reason) for <subject>}; the
     * broker's reason string is left out when it sent none.
     */
    static String rejection(int code, String reason, String subject) {
        return "PUBACK " + describe(code) + (reason == null ? "" : " (" + reason + ")") + " for " + subject;
    }
}
