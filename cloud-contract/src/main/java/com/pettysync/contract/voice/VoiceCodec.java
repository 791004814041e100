package com.pettysync.contract.voice;

import com.pettysync.contract.frame.ContractViolation;

/** The audio codec of a voice clip part: 0 PCM s16le, 1 IMA ADPCM. */
public enum VoiceCodec {
    PCM_S16LE, IMA_ADPCM;

    public int code() {
        return ordinal();
    }

    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static VoiceCodec ofCode(long code, String path) {
        if (code < 0 || code >= values().length) {
            throw new ContractViolation(path, "codec must be 0 … 1");
        }
        return values()[(int) code];
    }

    public static VoiceCodec ofJsonName(String name, String path) {
        for (VoiceCodec c : values()) {
            if (c.jsonName().equals(name)) {
                return c;
            }
        }
        throw new ContractViolation(path, "codec must be pcm_s16le or ima_adpcm");
    }
}
