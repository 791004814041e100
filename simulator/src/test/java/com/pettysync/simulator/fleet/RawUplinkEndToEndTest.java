package com.pettysync.simulator.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pettysync.agent.outbox.OutboxStore;
import com.pettysync.agent.raw.RawSpool;
import com.pettysync.agent.uplink.Uplink;
import com.pettysync.agent.uplink.UplinkLoop;
import com.pettysync.contract.raw.RawChunk;
import com.pettysync.contract.raw.RawChunkCodec;
import com.pettysync.contract.raw.RawSensor;
import com.pettysync.contract.topic.ThingName;
import com.pettysync.contract.topic.TopicScheme;
import com.pettysync.simulator.cloud.LocalIotCore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Raw-capture chunks from the agent's spool and uplink lane, over mutual TLS to the local IoT Core: the collar
 * policy lets a collar publish on its own raw topic, the ingest sink validates and stores each chunk once.
 */
class RawUplinkEndToEndTest {
    static final String THING = "collar-raw-e2e";

    @TempDir
    Path dir;

    @Test
    void spooledChunksReachTheSinkOnceEach() throws Exception {
        Clock clock = Clock.systemUTC();
        try (LocalIotCore cloud = LocalIotCore.builder().directory(dir.resolve("cloud")).build().start();
                OutboxStore outbox = OutboxStore.open(dir.resolve(THING), OutboxStore.Options.withCapacity(10),
                        clock)) {
            var credential = cloud.issueCollar(THING);
            var options = new HiveMqBrokerSession.Options(cloud.endpoint(), cloud.port(), THING,
                    credential.keyManagerFactory(), cloud.certificateAuthority().trustManagerFactory(),
                    Duration.ofSeconds(60), Duration.ofSeconds(20), null);
            RawSpool spool = RawSpool.open(dir.resolve(THING), RawSpool.DEFAULT_QUOTA_BYTES);
            long capture = spool.newCaptureId(1_767_225_600L);
            RawChunk[] chunks = new RawChunk[4];
            for (int c = 0; c < chunks.length; c++) {
                RawSensor s = c % 2 == 0 ? RawSensor.PPG : RawSensor.IMU;
                chunks[c] = new RawChunk(capture, c, s, 1_767_225_600_000L + c * 5_000L, s == RawSensor.PPG ? 100 : 52,
                        s.format(), new byte[s == RawSensor.PPG ? 6000 : 6240]);
                spool.store(chunks[c]);
            }
            ThingName thing = ThingName.of(THING);
            Uplink uplink = new Uplink(outbox, () -> new HiveMqBrokerSession(options),
                    e -> TopicScheme.events(thing).name(),
                    Uplink.Settings.of(5, 10, Duration.ofMillis(200), Duration.ofSeconds(2)), clock, new Random(3),
                    null);
            uplink.setRaw(spool, TopicScheme.raw(thing).name(), fresh -> null, "unused");
            UplinkLoop loop = new UplinkLoop(uplink, clock).start();
            try {
                await(() -> spool.status().chunks() == 0, "every chunk acknowledged");
            } finally {
                loop.close(Duration.ofSeconds(2));
            }
            assertEquals(4, cloud.sink().rawChunksStored(THING));
            for (RawChunk c : chunks) {
                assertArrayEquals(RawChunkCodec.encode(c), cloud.sink().rawChunk(THING, capture, c.chunk())
                        .orElseThrow());
            }
            assertEquals(0, cloud.sink().counts(THING).invalid());
            assertEquals(4, spool.status().uploaded());
            assertEquals(0, outbox.size());
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Object monitor = new Object();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            synchronized (monitor) {
                monitor.wait(5);
            }
        }
    }
}
