package com.pettysync.simulator.cloud.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

final class DayArchiverTestGzip {
    private DayArchiverTestGzip() {}

    static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return b.toByteArray();
    }
}
