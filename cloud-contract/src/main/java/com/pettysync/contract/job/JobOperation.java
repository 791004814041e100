package com.pettysync.contract.job;

/** What a job document asks for (wire contract §7, {@code operation}). */
public enum JobOperation {
    /** Replace the agent/firmware build; {@code version} is the new build number. */
    FIRMWARE_UPDATE("firmware-update"),
    /** Replace the on-device mood model; {@code version} is the new model version. */
    MODEL_UPDATE("model-update");

    private final String jsonName;

    JobOperation(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name in the job document. */
    public String jsonName() {
        return jsonName;
    }

    static JobOperation fromJson(String name) {
        for (JobOperation o : values()) {
            if (o.jsonName.equals(name)) {
                return o;
            }
        }
        return null;
    }
}
