package net.totalorder.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import net.totalorder.derms.client.DermsClient;
import net.totalorder.derms.client.Result;
import org.junit.jupiter.api.Test;

/**
 * Each server serves its replication's metrics at {@code /metrics} (MicroProfile Metrics 5.1, Prometheus text
 * format), and they move with calls: calls made and applied, retries answered from the reply cache, WriteMaj rounds
 * and their batch size on the primary, log syncs (durable mode), the applied seq and the apply lag.
 */
class ClusterMetricsIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final int CALLS = 20;

    @Test
    void countersMoveWithCalls_onTheServerCalled_onEveryReplica_andOnThePrimary() throws Exception {
        LocalCluster.awaitReady();
        int primary = LocalCluster.primary();
        int called = primary == 3 ? 2 : 3;
        String[] before = {scrape(1), scrape(2), scrape(3)};
        DermsClient client = new DermsClient(List.of(LocalCluster.SERVERS.get(called - 1)), Duration.ofSeconds(10),
                Duration.ofSeconds(30), DermsClient.randomKeys());
        String run = String.format("%04d", Math.floorMod(UUID.randomUUID().hashCode(), 10_000));
        for (int i = 0; i < CALLS; i++) {
            Result r = client.addResource("QUER" + run, "QUE" + run, "FIRETRUCK", 1_000 + i);
            assertTrue(r.seq().isPresent(), "ordered and answered: " + r);
        }
        String key = UUID.randomUUID().toString();
        DermsClient retrying = new DermsClient(List.of(LocalCluster.SERVERS.get(called - 1)), Duration.ofSeconds(10),
                Duration.ofSeconds(30), () -> key);
        Result first = retrying.addResource("QUER" + run, "QUE" + run, "FIRETRUCK", 5_000);
        Result again = retrying.addResource("QUER" + run, "QUE" + run, "FIRETRUCK", 5_000);   // same key: a retry
        assertEquals(first.seq(), again.seq(), "the retry's reply is the first one's");
        long seq = LocalCluster.awaitAgreement(Duration.ofSeconds(30), 1, 2, 3);
        String[] after = {scrape(1), scrape(2), scrape(3)};

        String c = after[called - 1];
        String p = after[primary - 1];
        System.out.println("METRICS node" + called + " (called), after " + (CALLS + 2) + " calls:\n"
                + replicationLines(c) + "\nMETRICS node" + primary + " (primary):\n" + replicationLines(p));
        assertTrue(delta(before[called - 1], c, "replication_calls_total") >= CALLS + 2, "calls made on node" + called);
        assertTrue(delta(before[called - 1], c, "replication_reply_cache_hits_total") >= 1, "the retry");
        for (int n = 1; n <= 3; n++) {
            assertTrue(delta(before[n - 1], after[n - 1], "replication_calls_applied_total") >= CALLS + 1,
                    "calls executed by node" + n + " (the retry is not)");
            assertTrue(value(after[n - 1], "replication_applied_seq") >= seq, "node" + n + "'s applied seq");
            assertEquals(0, value(after[n - 1], "replication_apply_lag"), "node" + n + " caught up");
        }
        assertTrue(delta(before[primary - 1], p, "replication_writemaj_round_seconds_count") >= 1, "rounds");
        assertTrue(delta(before[primary - 1], p, "replication_writemaj_batch_count") >= 1, "batch sizes");
        assertEquals(1, value(p, "replication_primary"), "node" + primary + " says it is primary");
        assertTrue(value(p, "replication_leader_changes_total") >= 1, "the primary became primary in this process");
        assertEquals(0, value(c, "replication_primary"), "node" + called + " says it is not");
        assertTrue(delta(before[called - 1], c, "replication_log_sync_seconds_count") >= 1, "log syncs (durable)");
    }

    private static String scrape(int node) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(LocalCluster.SERVERS.get(node - 1)
                .resolve("/metrics?scope=application")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), "GET /metrics on node" + node + ": " + r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
                "Prometheus text format: " + r.headers());
        return r.body();
    }

    /** The value of the sample {@code name} (whatever its labels), e.g. {@code replication_calls_total{...} 3.0}. */
    private static double value(String exposition, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(exposition);
        assertTrue(m.find(), name + " is not exposed:\n" + replicationLines(exposition));
        return Double.parseDouble(m.group(2));
    }

    private static double delta(String before, String after, String name) {
        return value(after, name) - value(before, name);
    }

    private static String replicationLines(String exposition) {
        return exposition.lines().filter(l -> l.startsWith("replication_")).collect(Collectors.joining("\n"));
    }
}
