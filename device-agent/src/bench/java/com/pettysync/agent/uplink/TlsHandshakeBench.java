package com.pettysync.agent.uplink;

import java.io.DataInputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * What TLS session resumption saves the collar per connect: MQTT 5 connects over the agent's own mutual-TLS socket
 * factory ({@link PemTls}) to a real broker, {@code N} times with a fresh factory (a new SSLContext: a full
 * handshake each time, what an agent that rebuilt its context per connection would do) and {@code N} times
 * through one kept factory (after one full handshake, each reconnect resumes: TLS 1.3 PSK from the broker's ticket).
 *
 * <p>Per connect it counts, on a socket under the TLS layer, the TCP payload bytes each way (the TLS records; IP and
 * TCP headers not included) at two points: when the handshake has completed on the client (ClientHello …
 * client Finished) and when the CONNACK has been read (session tickets, CONNECT and CONNACK added); then DISCONNECT
 * and close_notify. CPU: the calling thread's CPU time for the connect (the JDK runs the whole handshake on it),
 * the factory build separately, the broker process's CPU per connect from /proc when its pid is given, and the
 * wall time to the end of the handshake and to the CONNACK (the socket keeps Nagle on, as Paho's does).
 * A connect counts as resumed when its session was created before the connect began.
 *
 * <pre>
 * java -cp 'LIB/*' TlsHandshakeBench.java HOST PORT CLIENT_ID CERT KEY CA [N=100] [BROKER_PID]
 * </pre>
 * Run by {@code device-agent/src/bench/tls-resumption.sh}.
 */
public final class TlsHandshakeBench {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private record Connect(long handshakeUp, long handshakeDown, long connackUp, long connackDown, long closeUp,
            long cpuNanos, long handshakeNanos, long wallNanos, boolean resumed) {
    }

    public static void main(String[] a) throws Exception {
        String host = a[0];
        int port = Integer.parseInt(a[1]);
        String clientId = a[2];
        Path cert = Path.of(a[3]);
        Path key = Path.of(a[4]);
        Path ca = Path.of(a[5]);
        int n = a.length > 6 ? Integer.parseInt(a[6]) : 100;
        long brokerPid = a.length > 7 ? Long.parseLong(a[7]) : -1;

        for (int i = 0; i < 30; i++) { // warm-up: JIT of both paths
            connect(factory(cert, key, ca), host, port, clientId);
        }
        SSLSocketFactory kept = factory(cert, key, ca);
        for (int i = 0; i < 10; i++) {
            connect(kept, host, port, clientId);
        }

        long buildCpu = 0;
        Connect[] fresh = new Connect[n];
        long brokerBefore = brokerTicks(brokerPid);
        for (int i = 0; i < n; i++) {
            long c0 = THREADS.getCurrentThreadCpuTime();
            SSLSocketFactory f = factory(cert, key, ca);
            buildCpu += THREADS.getCurrentThreadCpuTime() - c0;
            fresh[i] = connect(f, host, port, clientId);
        }
        long brokerFresh = brokerTicks(brokerPid) - brokerBefore;

        kept = factory(cert, key, ca);
        Connect full = connect(kept, host, port, clientId);
        Connect[] resumed = new Connect[n];
        brokerBefore = brokerTicks(brokerPid);
        for (int i = 0; i < n; i++) {
            resumed[i] = connect(kept, host, port, clientId);
        }
        long brokerResumed = brokerTicks(brokerPid) - brokerBefore;

        System.out.printf("broker %s:%d, %d connects each, client %s, factory build (PEM + key stores + SSLContext) "
                + "%.2f ms CPU%n", host, port, n, clientId, buildCpu / 1e6 / n);
        System.out.println("mode                    resumed  handshake up/down   +tickets,CONNECT/CONNACK up/down"
                + "   DISCONNECT+close up  client CPU ms (median, p90)  wall ms to handshake, to CONNACK (medians)"
                + "  broker CPU ms/connect");
        report("fresh SSLContext each", fresh, brokerPid < 0 ? -1 : brokerFresh);
        report("kept SSLContext, first", new Connect[] {full}, -1);
        report("kept SSLContext, rest", resumed, brokerPid < 0 ? -1 : brokerResumed);
    }

    private static SSLSocketFactory factory(Path cert, Path key, Path ca) throws IOException {
        return PemTls.socketFactory(cert, key, ca, false);
    }

    private static void report(String mode, Connect[] cs, long brokerTicks) {
        long resumed = Arrays.stream(cs).filter(Connect::resumed).count();
        double ticksPerMs = 1000.0 / 100; // USER_HZ 100 on Linux
        System.out.printf("%-22s %4d/%-4d  %6.0f / %-6.0f      %6.0f / %-6.0f                    %5.0f      %6.2f, %6.2f"
                + "               %6.2f, %6.2f                          %s%n",
                mode, resumed, cs.length, mean(cs, Connect::handshakeUp), mean(cs, Connect::handshakeDown),
                mean(cs, Connect::connackUp), mean(cs, Connect::connackDown), mean(cs, Connect::closeUp),
                quantile(cs, Connect::cpuNanos, 0.5) / 1e6, quantile(cs, Connect::cpuNanos, 0.9) / 1e6,
                quantile(cs, Connect::handshakeNanos, 0.5) / 1e6, quantile(cs, Connect::wallNanos, 0.5) / 1e6,
                brokerTicks < 0 ? "not measured" : String.format("%.2f", brokerTicks * ticksPerMs / cs.length));
    }

    private static double mean(Connect[] cs, java.util.function.ToLongFunction<Connect> f) {
        return Arrays.stream(cs).mapToLong(f).average().orElse(0);
    }

    private static double quantile(Connect[] cs, java.util.function.ToLongFunction<Connect> f, double q) {
        long[] v = Arrays.stream(cs).mapToLong(f).sorted().toArray();
        return v[(int) Math.min(v.length - 1, Math.floor(q * v.length))];
    }

    /** utime + stime of a process, in clock ticks; 0 when not given. */
    private static long brokerTicks(long pid) throws IOException {
        if (pid < 0) {
            return 0;
        }
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** One MQTT 5 session: TCP connect, TLS handshake, CONNECT (clean start), CONNACK, DISCONNECT, close. */
    private static Connect connect(SSLSocketFactory factory, String host, int port, String clientId)
            throws IOException {
        long started = System.currentTimeMillis();
        long w0 = System.nanoTime();
        long c0 = THREADS.getCurrentThreadCpuTime();
        try (CountingSocket tcp = new CountingSocket()) {
            tcp.connect(new InetSocketAddress(host, port), 10_000);
            tcp.setSoTimeout(10_000);
            SSLSocket tls = (SSLSocket) factory.createSocket(tcp, host, port, true);
            tls.startHandshake();
            long handshake = System.nanoTime() - w0;
            long hUp = tcp.up;
            long hDown = tcp.down;
            OutputStream out = tls.getOutputStream();
            out.write(connectPacket(clientId, 1200));
            out.flush();
            readConnack(new DataInputStream(tls.getInputStream()));
            long cUp = tcp.up - hUp;
            long cDown = tcp.down - hDown;
            long cpu = THREADS.getCurrentThreadCpuTime() - c0;
            long wall = System.nanoTime() - w0;
            boolean resumed = tls.getSession().getCreationTime() < started;
            long beforeClose = tcp.up;
            out.write(new byte[] {(byte) 0xE0, 0x00}); // DISCONNECT, normal (MQTT 5 §3.14.2.1: length 0)
            out.flush();
            tls.close();
            return new Connect(hUp, hDown, cUp, cDown, tcp.up - beforeClose, cpu, handshake, wall, resumed);
        }
    }

    /** MQTT 5 CONNECT: clean start, keep-alive, no properties, no will, no user name. */
    static byte[] connectPacket(String clientId, int keepAliveS) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        byte[] variable = {0, 4, 'M', 'Q', 'T', 'T', 5, 0x02, (byte) (keepAliveS >> 8), (byte) keepAliveS, 0};
        int remaining = variable.length + 2 + id.length;
        if (remaining > 127) {
            throw new IllegalArgumentException("client id too long for this bench");
        }
        byte[] p = new byte[2 + remaining];
        p[0] = 0x10;
        p[1] = (byte) remaining;
        System.arraycopy(variable, 0, p, 2, variable.length);
        p[2 + variable.length] = (byte) (id.length >> 8);
        p[3 + variable.length] = (byte) id.length;
        System.arraycopy(id, 0, p, 4 + variable.length, id.length);
        return p;
    }

    private static void readConnack(DataInputStream in) throws IOException {
        int type = in.readUnsignedByte();
        int remaining = 0;
        for (int shift = 0; ; shift += 7) {
            int b = in.readUnsignedByte();
            remaining |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        byte[] body = new byte[remaining];
        in.readFully(body);
        if (type != 0x20 || remaining < 2 || body[1] != 0) {
            throw new IOException("not a successful CONNACK: type 0x" + Integer.toHexString(type) + ", reason 0x"
                    + (remaining < 2 ? "?" : Integer.toHexString(body[1] & 0xff)));
        }
    }

    /** A TCP socket counting the bytes its streams carry (under TLS: the TLS records). */
    private static final class CountingSocket extends Socket {
        volatile long up;
        volatile long down;

        @Override
        public InputStream getInputStream() throws IOException {
            return new FilterInputStream(super.getInputStream()) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        down++;
                    }
                    return b;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    int r = in.read(buf, off, len);
                    if (r > 0) {
                        down += r;
                    }
                    return r;
                }
            };
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            return new FilterOutputStream(super.getOutputStream()) {
                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                    up++;
                }

                @Override
                public void write(byte[] buf, int off, int len) throws IOException {
                    out.write(buf, off, len);
                    up += len;
                }
            };
        }
    }
}
