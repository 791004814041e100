package com.pettysync.contract.shadow;

/** Whether the collar uploads voice clips (shadow setting {@code voiceUpload}, wire contract §5, §6). */
public enum VoiceUpload {
    /** No clips leave the collar. */
    OFF("off"),
    /** Clips cut around vocal episodes are uploaded. */
    EPISODES("episodes"),
    /**
     * Only the clips of episodes the on-device classifier is unsure of (confidence below the shadow's
     * {@code voiceConfidenceBelow}) are uploaded: the radio goes to the examples that teach the cloud's model most.
     */
    UNCERTAIN("uncertain");

    private final String jsonName;

    VoiceUpload(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name in the shadow document. */
    public String jsonName() {
        return jsonName;
    }

    static VoiceUpload fromJson(String name) {
        for (VoiceUpload v : values()) {
            if (v.jsonName.equals(name)) {
                return v;
            }
        }
        return null;
    }
}
