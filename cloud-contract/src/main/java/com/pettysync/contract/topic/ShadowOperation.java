package com.pettysync.contract.topic;

/**
 * The MQTT topics of a named device shadow, by what follows {@code $aws/things/{thing}/shadow/name/{shadow}/}
 * (https://docs.aws.amazon.com/iot/latest/developerguide/reserved-topics.html#reserved-topics-shadow and
 * https://docs.aws.amazon.com/iot/latest/developerguide/device-shadow-mqtt.html).
 */
public enum ShadowOperation {
    GET("get", true),
    GET_ACCEPTED("get/accepted", false),
    GET_REJECTED("get/rejected", false),
    UPDATE("update", true),
    UPDATE_ACCEPTED("update/accepted", false),
    UPDATE_REJECTED("update/rejected", false),
    UPDATE_DELTA("update/delta", false),
    UPDATE_DOCUMENTS("update/documents", false),
    DELETE("delete", true),
    DELETE_ACCEPTED("delete/accepted", false),
    DELETE_REJECTED("delete/rejected", false);

    private final String suffix;
    private final boolean request;

    ShadowOperation(String suffix, boolean request) {
        this.suffix = suffix;
        this.request = request;
    }

    /** The topic levels after the shadow name, e.g. {@code update/delta}. */
    public String suffix() {
        return suffix;
    }

    /** True for the topics a client publishes to (get, update, delete); false for the service's replies. */
    public boolean isRequest() {
        return request;
    }

    static ShadowOperation fromSuffix(String suffix) {
        for (ShadowOperation op : values()) {
            if (op.suffix.equals(suffix)) {
                return op;
            }
        }
        return null;
    }
}
