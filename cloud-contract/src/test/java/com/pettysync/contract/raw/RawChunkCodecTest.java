package com.pettysync.contract.raw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.pettysync.contract.frame.ContractJson;
import com.pettysync.contract.frame.ContractViolation;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class RawChunkCodecTest {

    static byte[] pack(RawSampleFormat f, int[]... samples) {
        byte[] out = new byte[samples.length * f.sampleBytes()];
        for (int i = 0; i < samples.length; i++) {
            f.pack(samples[i], out, i * f.sampleBytes());
        }
        return out;
    }

    @Test
    void theClassCommentsExampleIsTheEncodingByteForByte() {
        RawChunk c = new RawChunk(1234, 7, RawSensor.PPG, 1_767_225_600_000L, 100, RawSampleFormat.PPG_RED_IR_U18,
                pack(RawSampleFormat.PPG_RED_IR_U18, new int[] {50_000, 80_000}, new int[] {49_999, 79_998}));
        assertEquals("a80001011904d202070300041b0000019b76daa800051864060007"
                + "4c00c350013880" + "00c34f01387e", HexFormat.of().formatHex(RawChunkCodec.encode(c)));
        assertEquals(c, RawChunkCodec.decode(RawChunkCodec.encode(c)));
        assertEquals(c, ContractJson.parseRawChunk(ContractJson.toJson(c)));
        assertEquals(1_767_225_600_020L, c.endMs());
    }

    @Test
    void imuSamplesAreSixLittleEndianInt16sSaturatedAtTheirRange() {
        byte[] b = pack(RawSampleFormat.IMU_MG_DDPS_S16, new int[] {1000, -1, -8000, 20_000, -40_000, 40_000});
        assertEquals("e803" + "ffff" + "c0e0" + "204e" + "0080" + "ff7f", HexFormat.of().formatHex(b));
        RawChunk c = new RawChunk(1, 0, RawSensor.IMU, 5, 52, RawSampleFormat.IMU_MG_DDPS_S16, b);
        assertArrayEquals(new int[] {1000, -1, -8000, 20_000, -32_768, 32_767},
                RawChunkCodec.decode(RawChunkCodec.encode(c)).values()[0]);
    }

    @Test
    void aFullChunkOfEitherSensorFits16KiB() {
        for (RawSensor s : RawSensor.values()) {
            int n = RawChunkCodec.maxSamples(s.format());
            RawChunk c = new RawChunk(Long.MAX_VALUE, Long.MAX_VALUE, s, Long.MAX_VALUE, 10_000, s.format(),
                    new byte[n * s.format().sampleBytes()]);
            byte[] frame = RawChunkCodec.encode(c);
            assertEquals(true, frame.length <= RawChunkCodec.MAX_CHUNK_BYTES, s + ": " + frame.length);
            assertEquals(n, RawChunkCodec.decode(frame).sampleCount());
        }
    }

    @Test
    void rulesAreReportedAtTheirPath() {
        byte[] ppg = new byte[6];
        assertEquals("format", violation(new RawChunk(1, 0, RawSensor.PPG, 1, 100, RawSampleFormat.IMU_MG_DDPS_S16,
                new byte[12])).path());
        assertEquals("samples", violation(new RawChunk(1, 0, RawSensor.PPG, 1, 100, RawSampleFormat.PPG_RED_IR_U18,
                new byte[7])).path());
        assertEquals("samples", violation(new RawChunk(1, 0, RawSensor.PPG, 1, 100, RawSampleFormat.PPG_RED_IR_U18,
                new byte[0])).path());
        byte[] wide = ppg.clone();
        wide[3] = 0x04; // ir = 2^18
        assertEquals("samples[0]", violation(new RawChunk(1, 0, RawSensor.PPG, 1, 100,
                RawSampleFormat.PPG_RED_IR_U18, wide)).path());
        assertEquals("capture_id", violation(new RawChunk(0, 0, RawSensor.PPG, 1, 100,
                RawSampleFormat.PPG_RED_IR_U18, ppg)).path());
        assertEquals("rate_hz", violation(new RawChunk(1, 0, RawSensor.PPG, 1, 0,
                RawSampleFormat.PPG_RED_IR_U18, ppg)).path());
        assertEquals("samples", violation(new RawChunk(1, 0, RawSensor.IMU, 1, 52,
                RawSampleFormat.IMU_MG_DDPS_S16, new byte[12 * 1400])).path());
        assertEquals("frame", assertThrows(ContractViolation.class,
                () -> RawChunkCodec.decode(new byte[RawChunkCodec.MAX_CHUNK_BYTES + 1])).path());
        assertEquals("sensor", assertThrows(ContractViolation.class, () -> ContractJson.parseRawChunk(
                "{\"v\":1,\"capture_id\":1,\"chunk\":0,\"sensor\":\"gps\",\"t0\":1,\"rate_hz\":1,"
                        + "\"format\":\"ppg_red_ir_u18\",\"samples\":\"AAAAAAAA\"}")).path());
    }

    private static ContractViolation violation(RawChunk c) {
        return assertThrows(ContractViolation.class, () -> RawChunkCodec.encode(c));
    }
}
