package net.totalorder.bench.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The soak: millions of DERMS calls against the running local cluster (./cluster start: three servers with their
 * configured heaps), printing at every interval the calls done, the throughput of the interval and each server's
 * heap after a full GC; then it kills one server, starts it again while the load goes on, and measures how long
 * the server takes to catch up and be ready. Not a test: it never runs in mvn verify.
 *
 * <pre>
 * ./cluster start
 * java -cp bench/e2e/target/bench-e2e.jar net.totalorder.bench.e2e.Soak --calls 5000000 --clients 32 --every 250000
 * </pre>
 * The mix is the end-to-end benchmark's ({@link HttpLoad}: 20 % reads), whose resource ids are bounded, so the
 * application's own state stays flat: what could grow is the replication's. Heaps are read with {@code jcmd}
 * ({@code ./cluster heap N}).
 */
public final class Soak {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private static final List<URI> CLUSTER = List.of(URI.create("http://localhost:9081"),
            URI.create("http://localhost:9082"), URI.create("http://localhost:9083"));

    private Soak() {
    }

    public static void main(String[] args) throws Exception {
        long calls = 5_000_000;
        int clients = 32;
        long every = 250_000;
        int restart = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--calls" -> calls = Long.parseLong(args[++i]);
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--every" -> every = Long.parseLong(args[++i]);
                case "--restart" -> restart = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: Soak [--calls N] [--clients C] [--every K] [--restart 1|2|3]");
                    System.exit(64);
                }
            }
        }
        System.out.printf("soak: %,d calls from %d clients on %s; heap after GC every %,d calls%n", calls, clients,
                CLUSTER, every);
        System.out.printf("%12s %10s %12s  %s%n", "calls", "elapsed s", "calls/s", "heap after GC, MB (node1 node2 "
                + "node3)");
        HttpLoad load = new HttpLoad(CLUSTER, clients, "soak" + System.currentTimeMillis(), false);
        long start = System.nanoTime();
        load.start();
        long lastCount = 0;
        long lastAt = start;
        long next = every;
        while (load.completed() < calls) {
            TimeUnit.MILLISECONDS.sleep(200);
            long done = load.completed();
            if (done >= next) {
                long now = System.nanoTime();
                List<String> heaps = new ArrayList<>();
                for (int n = 1; n <= 3; n++) {
                    heaps.add(heapAfterGc(n));
                }
                System.out.printf("%,12d %10.0f %,12.0f  %s%n", done, (now - start) / 1e9,
                        (done - lastCount) / ((now - lastAt) / 1e9), String.join(" ", heaps));
                lastCount = done;
                lastAt = now;
                next += every;
            }
        }
        System.out.printf("soak: %,d calls in %.0f s (%,.0f calls/s), %d failed%n", load.completed(),
                (System.nanoTime() - start) / 1e9, load.completed() / ((System.nanoTime() - start) / 1e9),
                load.failed());
        // A restart after the long run: the server comes back with nothing and must catch up from the others.
        long beforeKill = load.completed();
        cluster("kill", Integer.toString(restart));
        long killedAt = System.nanoTime();
        TimeUnit.SECONDS.sleep(5);
        long restartedAt = System.nanoTime();
        int node = restart;
        Thread restarting = new Thread(() -> {
            try {
                cluster("restart", Integer.toString(node));   // returns once the server reports ready
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        restarting.start();
        long answeredAt = 0;
        long readyAt = 0;
        while (readyAt == 0) {                              // its health: first any answer (deployed), then UP
            TimeUnit.MILLISECONDS.sleep(100);
            int status = readiness(restart);
            if (status > 0 && answeredAt == 0) {
                answeredAt = System.nanoTime();
            }
            if (status == 200) {
                readyAt = System.nanoTime();
            }
        }
        restarting.join();
        long during = load.completed() - beforeKill;
        load.stop();
        System.out.printf("restart of node%d after %,d calls: down %.1f s; its application answered %.1f s after the "
                + "start (JVM, Liberty, deployment), and was caught up and ready %.1f s after that (recovery, snapshot "
                + "install, log tail; its log says how long the snapshot took); %,d calls answered meanwhile%n", restart, beforeKill,
                (restartedAt - killedAt) / 1e9, (answeredAt - restartedAt) / 1e9, (readyAt - answeredAt) / 1e9, during);
        System.out.println(replica(restart));
    }

    /** Heap used after a full GC, in MB, through {@code ./cluster heap N}. */
    private static String heapAfterGc(int node) throws IOException, InterruptedException {
        return cluster("heap", Integer.toString(node)).strip();
    }

    private static String cluster(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", Path.of("cluster").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("./cluster " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    /** The HTTP status of the node's /health/ready (200 ready, 503 not yet), or 0 while it does not answer. */
    private static int readiness(int node) throws InterruptedException {
        try {
            return HTTP.send(HttpRequest.newBuilder(CLUSTER.get(node - 1).resolve("/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        }
    }

    /** The node's /derms/api/replica, or null while it does not answer it. */
    private static String replica(int node) throws InterruptedException {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(CLUSTER.get(node - 1)
                    .resolve("/derms/api/replica")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
