package com.pettysync.ml.vocal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import org.junit.jupiter.api.Test;

class ModelCheckTest {
    private static byte[] bundled() throws Exception {
        try (InputStream in = VocalizationModel.class.getResourceAsStream(VocalizationModel.BUNDLED)) {
            return in.readAllBytes();
        }
    }

    @Test
    void acceptsAModelOfTheDeclaredVersionAndRefusesAnotherVersion() throws Exception {
        byte[] model = bundled();
        ModelMetadata m = ModelCheck.check(model, -1);
        assertEquals(m, ModelCheck.check(model, m.version()));
        ModelRejectedException e = assertThrows(ModelRejectedException.class,
                () -> ModelCheck.check(model, m.version() + 1));
        assertTrue(e.getMessage().contains("declares version " + m.version()), e.getMessage());
    }

    @Test
    void refusesGarbageAndOversizedFiles() {
        assertThrows(ModelRejectedException.class, () -> ModelCheck.check(new byte[] {1, 2, 3}, -1));
        ModelRejectedException e = assertThrows(ModelRejectedException.class,
                () -> ModelCheck.check(new byte[(int) ModelCheck.MAX_BYTES + 1], -1));
        assertTrue(e.getMessage().contains("at most"));
    }
}
