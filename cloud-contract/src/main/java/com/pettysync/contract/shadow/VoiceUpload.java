package com.pettysync.contract.shadow;

/** Whether the collar uploads voice clips (shadow setting {@code voiceUpload}, wire contract §5, §6). */
public enum VoiceUpload {
    /** No clips leave the collar. */
    OFF("off"),
    /** Clips cut around vocal episodes are uploaded. */
    EPISODES("episodes");

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
