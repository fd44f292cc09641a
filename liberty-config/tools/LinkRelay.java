import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Slow links for the local cluster where the kernel cannot make them (no {@code sch_netem}): one relay per server
 * address sits in the path of every channel connection to that server and holds each chunk of bytes, in either
 * direction, for the configured delay plus a uniform jitter before passing it on. Run by {@code ./cluster start
 * --relayed-links} with the source launcher ({@code java LinkRelay.java}, no build):
 * <pre>  java LinkRelay.java CONTROL_DIR LISTEN_ADDR:PORT=TARGET_ADDR:PORT...</pre>
 * The servers advertise the relays' addresses as their own ({@code jgroups.external_addr}) and find each other
 * through them ({@code jgroups.tcpping.initial_hosts}), so every byte between two servers crosses exactly one relay.
 * The relay connects to its server from its own listening address: a packet filter that names the relay addresses
 * (./cluster link cut, loss) sees each hop. In CONTROL_DIR, read every 10 ms, a missing or empty file meaning none:
 * {@code delay} holds "DELAY_MS JITTER_MS" (./cluster link delay); {@code hold} a line "FROM_ADDR TO_ADDR" per
 * direction whose bytes wait until the line goes (./cluster link cut --one-way: a one-way cut that the packet filter
 * cannot make, because TCP carries its acknowledgements on the data it would drop — the other direction stalls after
 * one retransmission timeout). Once a change of {@code hold} is in force the relay copies the file to
 * {@code hold.applied}; {@code held} counts the chunks read in a held direction since the holds were last empty.
 * <p>Invariant: bytes leave in the order they arrived (a stream cannot reorder, unlike packets: a chunk whose drawn
 * delay would overtake the previous one waits for it), and no chunk leaves before its arrival time plus the delay
 * minus the jitter, nor while its direction is held. A direction queues at most {@value #QUEUED_CHUNKS} chunks of at
 * most {@value #CHUNK} bytes; a full queue stops reading from the sender, as a full link does. Threading: an acceptor
 * per listening address, a reader and a writer per connection direction, a control-directory reader; the delay and
 * the holds are published through volatile fields.
 */
public final class LinkRelay {

    private static final int CHUNK = 64 * 1024;
    private static final int QUEUED_CHUNKS = 256;
    private static final byte[] END = new byte[0];

    private static volatile long delayNanos;
    private static volatile long jitterNanos;
    /** Directions "FROM_ADDR TO_ADDR" whose bytes wait. */
    private static volatile Set<String> holds = Set.of();
    private static final AtomicLong heldChunks = new AtomicLong();

    private record Chunk(byte[] bytes, int length, long dueNanos) { }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: java LinkRelay.java CONTROL_DIR LISTEN_ADDR:PORT=TARGET_ADDR:PORT...");
            System.exit(2);
        }
        Path control = Path.of(args[0]);
        Files.createDirectories(control);
        List<ServerSocket> listeners = new ArrayList<>();
        for (String mapping : Arrays.copyOfRange(args, 1, args.length)) {
            String[] ends = mapping.split("=", -1);
            if (ends.length != 2) {
                throw new IllegalArgumentException("not LISTEN_ADDR:PORT=TARGET_ADDR:PORT: '" + mapping + "'");
            }
            InetSocketAddress listen = address(ends[0]);
            InetSocketAddress target = address(ends[1]);
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(listen, 128);
            listeners.add(server);
            daemon("accept " + ends[0], () -> accept(server, target));
        }
        readControl(control);
        System.out.println("LinkRelay: relaying " + String.join(" ", Arrays.copyOfRange(args, 1, args.length)));
        long heldWritten = -1;
        String refused = null;
        while (true) {
            Thread.sleep(10);
            try {
                readControl(control);
                refused = null;
            } catch (IllegalArgumentException e) {
                // a malformed control file changes nothing (./cluster waits for hold.applied in vain and says so)
                if (!e.getMessage().equals(refused)) {
                    System.out.println("LinkRelay: ignored: " + e.getMessage());
                    refused = e.getMessage();
                }
            }
            long held = heldChunks.get();
            if (held != heldWritten) {
                writeAtomically(control.resolve("held"), Long.toString(held));
                heldWritten = held;
            }
        }
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("not ADDR:PORT: '" + hostPort + "'");
        }
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    private static String readOrEmpty(Path file) throws IOException {
        try {
            return Files.readString(file).trim();
        } catch (NoSuchFileException e) {
            return "";
        }
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.writeString(next, text);
        Files.move(next, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static void readControl(Path control) throws IOException {
        String holdText = readOrEmpty(control.resolve("hold"));
        if (!holdText.equals(readOrEmpty(control.resolve("hold.applied")))) {
            Set<String> next = new java.util.HashSet<>();
            for (String line : holdText.split("\n")) {
                String[] ends = line.trim().split("\\s+");
                if (ends.length == 2) {
                    next.add(InetAddress.getByName(ends[0]).getHostAddress() + " "
                            + InetAddress.getByName(ends[1]).getHostAddress());
                } else if (!line.isBlank()) {
                    throw new IllegalArgumentException("hold file: not FROM_ADDR TO_ADDR: '" + line + "'");
                }
            }
            if (holds.isEmpty()) {
                heldChunks.set(0);
            }
            holds = Set.copyOf(next);
            writeAtomically(control.resolve("hold.applied"), holdText);
            System.out.println("LinkRelay: holding " + (next.isEmpty() ? "nothing" : String.join(", ", next)));
        }
        String text = readOrEmpty(control.resolve("delay"));
        long delay = 0;
        long jitter = 0;
        if (!text.isEmpty()) {
            String[] parts = text.split("\\s+");
            delay = Long.parseLong(parts[0]);
            jitter = parts.length > 1 ? Long.parseLong(parts[1]) : 0;
            if (delay < 0 || jitter < 0 || jitter > delay) {
                throw new IllegalArgumentException("delay file in " + control + ": need 0 <= JITTER <= DELAY: " + text);
            }
        }
        delayNanos = delay * 1_000_000;
        jitterNanos = jitter * 1_000_000;
    }

    private static void accept(ServerSocket server, InetSocketAddress target) {
        InetAddress own = server.getInetAddress();
        while (true) {
            Socket from;
            try {
                from = server.accept();
            } catch (IOException e) {
                System.err.println("LinkRelay: accept on " + server.getLocalSocketAddress() + " failed: " + e);
                return;
            }
            Socket to = new Socket();
            try {
                to.bind(new InetSocketAddress(own, 0));   // the hop from the relay to its server has its own source
                to.connect(target, 2_000);
                from.setTcpNoDelay(true);
                to.setTcpNoDelay(true);
            } catch (IOException e) {
                // the server is down: the caller sees a closed connection, as it would without the relay
                closeQuietly(from);
                closeQuietly(to);
                continue;
            }
            pipe(from, to);
            pipe(to, from);
        }
    }

    /** Copies one direction: a reader stamps each chunk with its due time, a writer sends it then. */
    private static void pipe(Socket in, Socket out) {
        BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
        String name = in.getRemoteSocketAddress() + "->" + out.getRemoteSocketAddress();
        // each end's remote address is a server's own: the connecting one binds its address, the other is the target
        String direction = in.getInetAddress().getHostAddress() + " " + out.getInetAddress().getHostAddress();
        daemon("read " + name, () -> {
            long lastDue = 0;
            try (InputStream input = in.getInputStream()) {
                while (true) {
                    byte[] buffer = new byte[CHUNK];
                    int n = input.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    long jitter = jitterNanos;
                    long drawn = delayNanos
                            + (jitter == 0 ? 0 : ThreadLocalRandom.current().nextLong(-jitter, jitter + 1));
                    lastDue = Math.max(lastDue, System.nanoTime() + drawn);
                    if (holds.contains(direction)) {
                        heldChunks.incrementAndGet();
                    }
                    queue.put(new Chunk(buffer, n, lastDue));
                }
            } catch (IOException | InterruptedException e) {
                // the connection is gone: close both ends below
            }
            putQuietly(queue, new Chunk(END, 0, lastDue));
        });
        daemon("write " + name, () -> {
            try (OutputStream output = out.getOutputStream()) {
                while (true) {
                    Chunk chunk = queue.take();
                    if (chunk.bytes() == END) {
                        break;
                    }
                    long wait = chunk.dueNanos() - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    while (holds.contains(direction)) {
                        Thread.sleep(2);
                    }
                    output.write(chunk.bytes(), 0, chunk.length());
                }
            } catch (IOException | InterruptedException e) {
                // the peer is gone
            }
            closeQuietly(in);
            closeQuietly(out);
            queue.clear();   // a reader blocked on a full queue gets on, and then finds its socket closed
        });
    }

    private static void putQuietly(BlockingQueue<Chunk> queue, Chunk chunk) {
        try {
            queue.put(chunk);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }
}
