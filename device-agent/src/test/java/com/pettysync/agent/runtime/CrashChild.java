package com.pettysync.agent.runtime;

import com.pettysync.agent.outbox.FrameKind;
import com.pettysync.agent.outbox.OutboxStore;
import com.pettysync.agent.uplink.PahoBrokerSession;
import com.pettysync.agent.uplink.PemTls;
import com.pettysync.agent.uplink.Uplink;
import com.pettysync.agent.uplink.UplinkLoop;
import com.pettysync.contract.telemetry.DeviceStatus;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.contract.telemetry.TelemetrySummary;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * The agent's delivery path in a process of its own, for {@link CrashTest}: outbox + uplink over mutual TLS, and a
 * producer committing a telemetry frame every 10 ms ({@code produce}) or nothing ({@code drain}, which exits 0
 * once the outbox is empty).
 *
 * <p>Arguments: data directory, broker URI, thing, certificate, key, CA, mode.
 */
public final class CrashChild {
    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        String thing = args[2];
        boolean produce = "produce".equals(args[6]);
        Clock clock = Clock.systemUTC();
        OutboxStore outbox = OutboxStore.open(data, OutboxStore.Options.withCapacity(100_000), clock);
        var tls = PemTls.socketFactory(Path.of(args[3]), Path.of(args[4]), Path.of(args[5]), false);
        Uplink uplink = new Uplink(outbox, () -> new PahoBrokerSession(new PahoBrokerSession.Options(args[1], thing,
                tls, 30, Duration.ofSeconds(5))), e -> "pettysync/v1/" + thing + "/telemetry",
                Uplink.Settings.of(20, 100, Duration.ofMillis(50), Duration.ofMillis(500)), clock,
                new SplittableRandom(), null);
        UplinkLoop loop = new UplinkLoop(uplink, clock).start();
        System.out.println("running");
        System.out.flush();
        if (produce) {
            while (true) {
                outbox.append(FrameKind.TELEMETRY, (seq, ctx) -> TelemetryFrameCodec.encode(TelemetrySummary.of(seq,
                        1_767_225_600L + seq, 1).withDev(new DeviceStatus(50, 3700, 200, -70, ctx.backlog(),
                                Set.of()))));
                loop.wake();
                LockSupport.parkNanos(10_000_000);
            }
        }
        while (outbox.size() > 0) {
            LockSupport.parkNanos(20_000_000);
        }
        loop.close();
        outbox.close();
        System.exit(0);
    }
}
