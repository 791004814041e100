package com.pettysync.contract.voice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.pettysync.contract.frame.ContractJson;
import com.pettysync.contract.frame.ContractViolation;
import org.junit.jupiter.api.Test;

class VoiceClipPartCodecTest {

    static VoiceClipPart part(long part, long parts, int audioBytes) {
        return new VoiceClipPart(77, 1_767_225_901_234L, 16000, VoiceCodec.PCM_S16LE, 10_000, 2, 64, part, parts,
                new byte[audioBytes]);
    }

    @Test
    void aFullTenSecondAdpcmClipRoundTrips() {
        // 10 s of 16 kHz IMA ADPCM = 80,000 bytes: fits one part
        VoiceClipPart p = part(0, 1, 80_000);
        byte[] frame = VoiceClipPartCodec.encode(p);
        assertEquals(p, VoiceClipPartCodec.decode(frame));
        assertEquals(p, ContractJson.parseVoicePart(ContractJson.toJson(p)));
    }

    @Test
    void partsAreNumberedFromZeroAndAPartStaysWithin128KiB() {
        assertEquals("part", assertThrows(ContractViolation.class, () -> VoiceClipPartCodec.encode(part(2, 2, 1)))
                .path());
        assertEquals("parts", assertThrows(ContractViolation.class, () -> VoiceClipPartCodec.encode(part(0, 0, 1)))
                .path());
        assertEquals("frame", assertThrows(ContractViolation.class, () -> VoiceClipPartCodec.encode(
                part(0, 1, VoiceClipPartCodec.MAX_PART_BYTES - 20))).path());
        assertEquals("duration_ms", assertThrows(ContractViolation.class, () -> VoiceClipPartCodec.encode(
                new VoiceClipPart(1, 1, 16000, VoiceCodec.IMA_ADPCM, 10_001, 0, 0, 0, 1, new byte[1]))).path());
        assertEquals("episode[0]", assertThrows(ContractViolation.class, () -> VoiceClipPartCodec.encode(
                new VoiceClipPart(1, 1, 16000, VoiceCodec.IMA_ADPCM, 1, 4, 0, 0, 1, new byte[1]))).path());
    }

    @Test
    void bytesAreCopiedAndComparedByContent() {
        byte[] audio = {1, 2, 3};
        VoiceClipPart p = new VoiceClipPart(1, 1, 16000, VoiceCodec.IMA_ADPCM, 1, 0, 0, 0, 1, audio);
        audio[0] = 9;
        assertEquals(1, p.bytes()[0]);
        assertEquals(p, new VoiceClipPart(1, 1, 16000, VoiceCodec.IMA_ADPCM, 1, 0, 0, 0, 1, new byte[] {1, 2, 3}));
    }
}
