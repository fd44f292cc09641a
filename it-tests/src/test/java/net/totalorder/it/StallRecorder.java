package net.totalorder.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A flight recorder for the fault tests: while a {@link DermsLoad} runs, when no call has been answered for
 * {@code threshold}, it takes the thread dumps of every running server ({@code ./cluster threads N}) — once per
 * stall — and keeps them in {@code target/stalls/}. {@link #report()} names what the servers' threads were doing
 * then (the replication threads and JGroups' senders, and any thread blocked in flow control, a TLS handshake or a
 * socket write) and the servers' garbage-collection pauses of 200 ms or more, so that a pause that breaks a test's
 * bound explains itself in the failure message, also where only that message is seen (CI).
 *
 * <p>Thread-safe: one watching thread; {@link #report()} and {@link #close()} from the test's thread.
 */
final class StallRecorder implements AutoCloseable {

    private static final Path DIR = Path.of("target", "stalls");
    /** A stanza of {@code jcmd Thread.print}: the quoted thread name, then its frames up to a blank line. */
    private static final Pattern THREAD = Pattern.compile("(?m)^\"([^\"]+)\"[^\n]*\n((?:[^\n]+\n)*)");
    private static final Pattern INTERESTING_FRAME = Pattern.compile(
            "UFC|Credit\\.decrement|startHandshake|SocketOutputStream|implWrite|NioSocketImpl\\.connect"
                    + "|net\\.totalorder");
    private static final Pattern GC_PAUSE = Pattern.compile("(?m)^\\[([^\\]]+)\\].*Pause.* (\\d+)\\.\\d+ms$");

    private static final ExecutorService DUMPERS = Executors.newFixedThreadPool(3, r -> {
        Thread t = new Thread(r, "stall-dump");
        t.setDaemon(true);
        return t;
    });

    private final DermsLoad load;
    private final long thresholdNanos;
    private final long startedAt = System.nanoTime();
    private final List<String> findings = new ArrayList<>();
    private final Thread watcher;
    private volatile boolean running = true;

    private StallRecorder(DermsLoad load, long thresholdMillis) {
        this.load = load;
        this.thresholdNanos = TimeUnit.MILLISECONDS.toNanos(thresholdMillis);
        this.watcher = new Thread(this::watch, "stall-recorder");
        this.watcher.setDaemon(true);
    }

    /** Starts watching {@code load}: a dump after {@code thresholdMillis} without an answered call. */
    static StallRecorder watch(DermsLoad load, long thresholdMillis) {
        StallRecorder recorder = new StallRecorder(load, thresholdMillis);
        recorder.watcher.start();
        return recorder;
    }

    private void watch() {
        boolean dumpedThisStall = false;
        while (running) {
            long idle = System.nanoTime() - load.lastAnsweredNanos();
            if (idle < thresholdNanos) {
                dumpedThisStall = false;
            } else if (!dumpedThisStall) {
                dumpedThisStall = true;
                dumpAll(TimeUnit.NANOSECONDS.toMillis(idle));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
    }

    private void dumpAll(long idleMillis) {
        long at = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
        StringBuilder finding = new StringBuilder(String.format("no call answered for %d ms at %d ms:", idleMillis, at));
        // all at once: a stopped server's dump waits out its 5 s bound, and the others must be seen meanwhile
        List<CompletableFuture<LocalCluster.Ran>> dumps = new ArrayList<>();
        for (int node = 1; node <= 3; node++) {
            String name = Integer.toString(node);
            dumps.add(CompletableFuture.supplyAsync(() -> LocalCluster.attemptQuietly("threads", name), DUMPERS));
        }
        for (int node = 1; node <= 3; node++) {
            LocalCluster.Ran dump = dumps.get(node - 1).join();
            if (dump.exitCode() != 0) {
                finding.append(String.format("%n  node%d: no dump (not running, or not answering)", node));
                continue;
            }
            try {
                Files.createDirectories(DIR);
                Files.writeString(DIR.resolve(String.format("at-%dms-node%d.txt", at, node)), dump.output());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            finding.append(String.format("%n  node%d:", node)).append(busyThreads(dump.output()));
        }
        synchronized (findings) {
            findings.add(finding.toString());
        }
    }

    /** The replication and JGroups sender threads, and any thread in a frame that can block sending, 4 frames each. */
    static String busyThreads(String threadDump) {
        StringBuilder busy = new StringBuilder();
        Matcher thread = THREAD.matcher(threadDump);
        while (thread.find()) {
            String name = thread.group(1);
            String frames = thread.group(2);
            boolean ours = name.startsWith("replication-") || name.contains("Bundler");
            if (!ours && !INTERESTING_FRAME.matcher(frames).find()) {
                continue;
            }
            busy.append(String.format("%n    \"%s\"", name));
            frames.lines().map(String::strip).filter(l -> l.startsWith("java.lang.Thread.State") || l.startsWith("at "))
                    .limit(5).forEach(l -> busy.append("\n      ").append(l));
        }
        return busy.toString();
    }

    /** The stalls seen (with what the threads did) and each server's GC pauses of 200 ms or more; empty if none. */
    String report() {
        List<String> lines;
        synchronized (findings) {
            lines = new ArrayList<>(findings);
        }
        for (int node = 1; node <= 3; node++) {
            Path gc = Path.of(System.getProperty("cluster.servers", "../liberty-config/target/liberty/wlp/usr/servers"),
                    "node" + node, "logs", "gc.log");
            if (!Files.exists(gc)) {
                continue;
            }
            try {
                Matcher pause = GC_PAUSE.matcher(Files.readString(gc));
                while (pause.find()) {
                    if (Long.parseLong(pause.group(2)) >= 200) {
                        lines.add("node" + node + " GC pause " + pause.group(2) + " ms at " + pause.group(1));
                    }
                }
            } catch (IOException e) {
                lines.add("node" + node + " gc.log unreadable: " + e.getMessage());
            }
        }
        return String.join("\n", lines);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        watcher.join(30_000);
    }
}
