package net.totalorder.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The running local cluster, driven through the {@code ./cluster} script (real processes, real kill -9 and
 * SIGSTOP) and observed through each server's {@code /derms/api/replica}. Thread-safe.
 */
final class LocalCluster {

    static final List<URI> SERVERS = List.of(URI.create("http://localhost:9081"),
            URI.create("http://localhost:9082"), URI.create("http://localhost:9083"));

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** What one server reports about itself, or null fields when it does not answer. */
    record Replica(int node, String role, long appliedSeq, String digest, long logBase, long snapshotsInstalled,
                   long definitiveUpTo) {
        boolean answered() {
            return role != null;
        }
    }

    private LocalCluster() {
    }

    /** What one run of the cluster script came to: its exit code and what it printed (also echoed to stdout). */
    record Ran(int exitCode, String output) {
    }

    /** Runs {@code ./cluster args}; fails unless it exits with 0. */
    static Ran run(String... args) {
        Ran ran = attempt(args);
        if (ran.exitCode() != 0) {
            throw new AssertionError("cluster " + String.join(" ", args) + " failed: " + ran.output());
        }
        return ran;
    }

    /** Runs {@code ./cluster args} and returns how it ended, whatever its exit code. */
    static Ran attempt(String... args) {
        return execute(true, args);
    }

    /** As {@link #attempt}, without echoing what the script printed (e.g. a thread dump). */
    static Ran attemptQuietly(String... args) {
        return execute(false, args);
    }

    private static Ran execute(boolean echo, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", System.getProperty("cluster.script", "../cluster")));
        command.addAll(List.of(args));
        try {
            // to a file, not a pipe: a server the script starts must not hold the test's pipe open
            Path log = Files.createTempFile("cluster-", ".log");
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
                if (!p.waitFor(300, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("cluster " + String.join(" ", args) + " did not end within 300 s");
                }
                String output = Files.readString(log);
                if (echo) {
                    System.out.print(output);
                }
                return new Ran(p.exitValue(), output.strip());
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run the cluster script", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * What {@code node} reports; its digest is the one of its state at {@code appliedSeq} (null when that seq kept
     * moving for a second: the server computes a digest at most every 100 ms, so under load it may lag).
     */
    static Replica replica(int node) {
        try {
            for (int attempt = 0; ; attempt++) {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(SERVERS.get(node - 1)
                                .resolve("/derms/api/replica")).timeout(Duration.ofSeconds(3)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    return new Replica(node, null, -1, null, -1, -1, -1);
                }
                long applied = Long.parseLong(field(r.body(), "appliedSeq"));
                boolean current = Long.parseLong(field(r.body(), "digestSeq")) == applied;
                if (current || attempt == 20) {
                    return new Replica(node, field(r.body(), "role"), applied,
                            current ? field(r.body(), "digest") : null, Long.parseLong(field(r.body(), "logBase")),
                            Long.parseLong(field(r.body(), "snapshotsInstalled")),
                            Long.parseLong(field(r.body(), "definitiveUpTo")));
                }
                Thread.sleep(50);
            }
        } catch (IOException e) {
            return new Replica(node, null, -1, null, -1, -1, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Waits until all three servers report ready (recovered, caught up, a leader known). */
    static void awaitReady() {
        eventually(Duration.ofSeconds(120), "all three servers ready",
                () -> ready(1) && ready(2) && ready(3));
    }

    /** Whether {@code node}'s {@code /health/ready} answers UP now. */
    static boolean ready(int node) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(SERVERS.get(node - 1).resolve("/health/ready"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The node whose sequencer replica is primary, waiting up to 30 s for there to be one. */
    static int primary() {
        int[] found = new int[1];
        eventually(Duration.ofSeconds(30), "a primary", () -> {
            for (int n = 1; n <= 3; n++) {
                if ("PRIMARY".equals(replica(n).role())) {
                    found[0] = n;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    /**
     * Waits until {@code node} has applied {@code seq} (a call another server acknowledged is applied everywhere,
     * but not at the same instant) and returns its digest; the caller must order nothing meanwhile.
     */
    static String digestOnceApplied(int node, long seq) {
        String[] digest = new String[1];
        eventually(Duration.ofSeconds(30), "node" + node + " applied seq " + seq, () -> {
            Replica r = replica(node);
            digest[0] = r.digest();
            return r.answered() && r.appliedSeq() >= seq && r.digest() != null;
        });
        return digest[0];
    }

    /** Waits until every listed node answers with the same applied seq and digest; returns that seq. */
    static long awaitAgreement(Duration timeout, int... nodes) {
        long[] seq = new long[1];
        eventually(timeout, "nodes agree on applied seq and digest", () -> {
            Replica first = replica(nodes[0]);
            for (int n : nodes) {
                Replica r = replica(n);
                if (!r.answered() || r.digest() == null || r.appliedSeq() != first.appliedSeq()
                        || !r.digest().equals(first.digest())) {
                    return false;
                }
            }
            seq[0] = first.appliedSeq();
            return true;
        });
        return seq[0];
    }

    static void eventually(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                StringBuilder states = new StringBuilder();
                for (int n = 1; n <= 3; n++) {
                    states.append("\n  ").append(replica(n));
                }
                throw new AssertionError("not within " + timeout + ": " + what + states);
            }
            LockSupport.parkNanos(200_000_000L);     // poll every 200 ms until the deadline
        }
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"?([^,\"}]*)").matcher(json);
        return m.find() ? m.group(1) : null;
    }
}
