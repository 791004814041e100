package com.pettysync.simulator.fleet;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.tinylog.Logger;

/**
 * A bad network on loopback: a TCP relay between the fleet and the broker that delays every chunk of bytes by a
 * one-way latency and, with a loss probability, stalls a chunk for a retransmission timeout — what a lost segment
 * costs a TCP stream (the stream stays in order, so everything behind the lost segment waits too: head-of-line
 * blocking). TLS passes through untouched (the relay never sees a key).
 *
 * <p>One selector thread for every connection (no thread per connection). Impairment changes apply to bytes read
 * after the change; {@link #clear()} lets later bytes through at once but keeps the order of those still queued.
 * Real time, not simulated time: a 100 ms delay is 100 ms of wall clock whatever the fleet's speed-up.
 */
public final class ImpairedLink implements AutoCloseable {
    /** Linux's minimum TCP retransmission timeout: the least a lost segment costs. */
    public static final long RTO_NANOS = 200_000_000L;
    private static final int CHUNK = 16 * 1024;

    /** Counters: chunks relayed, chunks held back for a simulated loss, bytes relayed, connections accepted. */
    public record Stats(long chunks, long stalled, long bytes, long connections) {
    }

    private final InetSocketAddress upstream;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final Thread thread;
    private final SplittableRandom random = new SplittableRandom(20261124);
    private final AtomicLong chunks = new AtomicLong();
    private final AtomicLong stalled = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final List<Pipe> pipes = new ArrayList<>();
    private volatile long delayNanos;
    private volatile double loss;
    private volatile boolean running = true;

    /** Listens on {@code listenHost}, an ephemeral port, and relays every connection to {@code upstream}. */
    public ImpairedLink(String listenHost, InetSocketAddress upstream) throws IOException {
        this.upstream = upstream;
        this.selector = Selector.open();
        this.server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(listenHost, 0), 1024);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        thread = Thread.ofPlatform().name("impaired-link").daemon().start(this::loop);
    }

    /** The port the fleet connects to instead of the broker's. */
    public int port() {
        return server.socket().getLocalPort();
    }

    /** From now on: {@code delayMillis} one way, and a stall of {@link #RTO_NANOS} for a share {@code loss} of chunks. */
    public void impair(long delayMillis, double lossShare) {
        if (delayMillis < 0 || !(lossShare >= 0 && lossShare < 1)) {
            throw new IllegalArgumentException("delay ≥ 0 ms and loss in [0, 1) required");
        }
        delayNanos = delayMillis * 1_000_000L;
        loss = lossShare;
        selector.wakeup();
    }

    /** A clean network again (bytes already queued keep their order). */
    public void clear() {
        impair(0, 0);
    }

    public Stats stats() {
        return new Stats(chunks.get(), stalled.get(), bytes.get(), connections.get());
    }

    /** One direction of one connection: bytes read from {@code from}, queued with their release times. */
    private final class Pipe {
        final SocketChannel from;
        final SocketChannel to;
        final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
        final ArrayDeque<Long> releaseAt = new ArrayDeque<>();
        long lastRelease;
        Pipe peer;
        boolean closed;
        boolean eof; // the sender closed: deliver what is queued, then close both sides

        Pipe(SocketChannel from, SocketChannel to) {
            this.from = from;
            this.to = to;
        }

        void read(long now) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(CHUNK);
            int n = from.read(b);
            if (n < 0) {
                eof = true;
                SelectionKey k = from.keyFor(selector);
                if (k != null && k.isValid()) {
                    k.interestOps(k.interestOps() & ~SelectionKey.OP_READ);
                }
                return;
            }
            if (n == 0) {
                return;
            }
            b.flip();
            long at = now + delayNanos;
            double l = loss;
            if (l > 0 && random.nextDouble() < l) {
                at += RTO_NANOS;
                stalled.incrementAndGet();
            }
            at = Math.max(at, lastRelease); // a TCP stream stays in order
            lastRelease = at;
            queue.add(b);
            releaseAt.add(at);
            chunks.incrementAndGet();
            bytes.addAndGet(n);
        }

        /** Writes what is due; returns the next release time still queued (Long.MAX_VALUE if none). */
        long flush(long now) throws IOException {
            while (!queue.isEmpty() && releaseAt.peek() - now <= 0) {
                ByteBuffer b = queue.peek();
                to.write(b);
                if (b.hasRemaining()) {
                    to.keyFor(selector).interestOps(to.keyFor(selector).interestOps() | SelectionKey.OP_WRITE);
                    return now; // the socket is full: wait for OP_WRITE
                }
                queue.poll();
                releaseAt.poll();
            }
            SelectionKey k = to.keyFor(selector);
            if (k != null && k.isValid()) {
                k.interestOps(k.interestOps() & ~SelectionKey.OP_WRITE);
            }
            if (queue.isEmpty() && eof) {
                close(this);
                return Long.MAX_VALUE;
            }
            return queue.isEmpty() ? Long.MAX_VALUE : releaseAt.peek();
        }
    }

    private void loop() {
        long next = Long.MAX_VALUE;
        while (running) {
            try {
                long now = System.nanoTime();
                long waitMs = next == Long.MAX_VALUE ? 0 : Math.max(1, (next - now + 999_999) / 1_000_000);
                if (next != Long.MAX_VALUE && next - now <= 0) {
                    selector.selectNow();
                } else {
                    selector.select(waitMs);
                }
                now = System.nanoTime();
                var it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    if (!k.isValid()) {
                        continue;
                    }
                    if (k.isAcceptable()) {
                        accept();
                    } else if (k.attachment() instanceof Pipe[] both) {
                        Pipe readSide = both[0];
                        try {
                            if (k.isReadable()) {
                                readSide.read(now);
                            }
                        } catch (IOException e) {
                            close(readSide);
                        }
                    }
                }
                next = Long.MAX_VALUE;
                for (Pipe p : List.copyOf(pipes)) {
                    if (p.closed) {
                        continue;
                    }
                    try {
                        next = Math.min(next, p.flush(now));
                    } catch (IOException | RuntimeException e) {
                        close(p);
                    }
                }
                pipes.removeIf(p -> p.closed);
            } catch (IOException | RuntimeException e) {
                if (running) {
                    Logger.warn("impaired link: {}", e.toString());
                }
            }
        }
    }

    private void accept() throws IOException {
        SocketChannel client = server.accept();
        if (client == null) {
            return;
        }
        SocketChannel up;
        try {
            up = SocketChannel.open(upstream); // loopback: a blocking connect takes microseconds
        } catch (IOException e) {
            client.close(); // the broker is down: the client sees its connection refused-like close
            return;
        }
        connections.incrementAndGet();
        for (SocketChannel c : List.of(client, up)) {
            c.configureBlocking(false);
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        Pipe toBroker = new Pipe(client, up);
        Pipe toClient = new Pipe(up, client);
        toBroker.peer = toClient;
        toClient.peer = toBroker;
        // each channel's key: reads feed its own pipe (attachment [0]); OP_WRITE wakes the loop to flush
        client.register(selector, SelectionKey.OP_READ, new Pipe[] {toBroker});
        up.register(selector, SelectionKey.OP_READ, new Pipe[] {toClient});
        pipes.add(toBroker);
        pipes.add(toClient);
    }

    private void close(Pipe p) {
        for (Pipe q : List.of(p, p.peer)) {
            q.closed = true;
            try {
                q.from.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Pipe p : pipes) {
            close(p);
        }
        try {
            server.close();
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
