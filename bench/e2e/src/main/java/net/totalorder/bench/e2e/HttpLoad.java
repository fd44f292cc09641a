package net.totalorder.bench.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N clients issuing a DERMS mix over keep-alive HTTP: 20 % reads (list, find), the rest request/return of a
 * resource of the client's own and, now and then, adds. Each client talks to its own server (client i to
 * server i mod n) and, on no answer or HTTP 503, retries the same call with the same Idempotency-Key on the next.
 * Records the latency of each completed call and the completion times, for throughput, percentiles and pauses —
 * or, for a soak of millions of calls, only counts them ({@code recordTimes} false: its memory stays flat).
 *
 * <p>Thread-safe: one thread per client; read the results after {@link #stop()}.
 */
final class HttpLoad {

    private final List<URI> servers;
    private final int clients;
    private final String runId;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean measuring = new AtomicBoolean(false);
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final boolean recordTimes;
    private final List<long[]> latencies = new ArrayList<>();   // per client: [count, micros...]
    private final List<List<Long>> completions = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    HttpLoad(List<URI> servers, int clients, String runId) {
        this(servers, clients, runId, true);
    }

    HttpLoad(List<URI> servers, int clients, String runId, boolean recordTimes) {
        this.servers = servers;
        this.clients = clients;
        this.runId = runId;
        this.recordTimes = recordTimes;
    }

    void start() {
        for (int c = 0; c < clients; c++) {
            long[] lat = recordTimes ? new long[1 << 20] : null;
            List<Long> done = recordTimes ? new ArrayList<>(1 << 16) : null;
            latencies.add(lat);
            completions.add(done);
            int client = c;
            Thread t = new Thread(() -> run(client, lat, done), "http-load-" + c);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    void measure(boolean on) {
        measuring.set(on);
    }

    void stop() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(30_000);
        }
    }

    /** Completed calls in the measured window, and their latency percentiles in microseconds. */
    long[] countP50P99() {
        int total = 0;
        for (long[] l : latencies) {
            total += (int) l[0];
        }
        long[] all = new long[total];
        int i = 0;
        for (long[] l : latencies) {
            System.arraycopy(l, 1, all, i, (int) l[0]);
            i += (int) l[0];
        }
        Arrays.sort(all);
        return new long[] {total, total == 0 ? 0 : all[total / 2], total == 0 ? 0 : all[(int) (total * 0.99)]};
    }

    long failed() {
        return failed.get();
    }

    /** Calls answered with HTTP 200 so far. */
    long completed() {
        return completed.get();
    }

    /** The longest time after {@code fromNanos} in which no call completed. */
    long longestPauseMillis(long fromNanos, long toNanos) {
        List<Long> all = new ArrayList<>();
        for (List<Long> c : completions) {
            synchronized (c) {
                for (long t : c) {
                    if (t >= fromNanos && t <= toNanos) {
                        all.add(t);
                    }
                }
            }
        }
        all.sort(null);
        long previous = fromNanos;
        long longest = 0;
        for (long t : all) {
            longest = Math.max(longest, t - previous);
            previous = t;
        }
        return Math.max(longest, toNanos - previous) / 1_000_000;
    }

    private void run(int client, long[] lat, List<Long> done) {
        SplittableRandom random = new SplittableRandom(client * 31L + runId.hashCode());
        String city = new String[] {"MTL", "QUE", "SHE"}[client % 3];
        String responder = String.format("%sR%04d", city, client);
        String coordinator = String.format("%sC%04d", city, client);
        String resource = String.format("%s%04d", city, 1000 + client);
        call(client, new Call("POST", "/derms/api/resources", "{\"userId\":\"" + responder
                + "\",\"resourceId\":\"" + resource + "\",\"type\":\"AMBULANCE\",\"duration\":1000000}"), null, null);
        boolean holding = false;
        while (running.get()) {
            int dice = random.nextInt(100);
            Call request;
            if (dice < 10) {
                request = new Call("GET", "/derms/api/resources?userId=" + responder + "&type=AMBULANCE", null);
            } else if (dice < 20) {
                request = new Call("GET", "/derms/api/holdings?userId=" + coordinator + "&type=AMBULANCE", null);
            } else if (dice < 30) {
                // a fresh or existing ID: either way a business outcome the servers must order and answer
                String id = String.format("%s%04d", city, 2000 + random.nextInt(8000));
                request = new Call("POST", "/derms/api/resources", "{\"userId\":\"" + responder
                        + "\",\"resourceId\":\"" + id + "\",\"type\":\"FIRETRUCK\",\"duration\":"
                        + (1 + random.nextInt(50)) + "}");
            } else if (!holding) {
                request = new Call("POST", "/derms/api/resources/" + resource + "/request", "{\"userId\":\""
                        + coordinator + "\",\"duration\":1}");
                holding = true;
            } else {
                request = new Call("POST", "/derms/api/resources/" + resource + "/return", "{\"userId\":\""
                        + coordinator + "\"}");
                holding = false;
            }
            call(client, request, lat, done);
        }
    }

    /** One DERMS call: method, path with query, JSON body or null. */
    private record Call(String method, String path, String body) {
        HttpRequest to(URI server, String key) {
            HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofSeconds(5));
            return (body == null ? b.GET() : b.header("Content-Type", "application/json")
                    .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body))).build();
        }
    }

    private void call(int client, Call request, long[] lat, List<Long> done) {
        String key = UUID.randomUUID().toString();
        long start = System.nanoTime();
        for (int attempt = 0; running.get() || attempt == 0; attempt++) {
            URI server = servers.get((client + attempt) % servers.size());
            try {
                HttpResponse<String> response = http.send(request.to(server, key),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    completed.incrementAndGet();
                    long end = System.nanoTime();
                    if (lat != null && measuring.get() && lat[0] < lat.length - 1) {
                        lat[(int) ++lat[0]] = (end - start) / 1000;
                    }
                    if (done != null) {
                        synchronized (done) {
                            done.add(end);
                        }
                    }
                    return;
                }
                if (response.statusCode() != 503) {
                    failed.incrementAndGet();
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // no answer from this server: the same call, same key, on the next one
            }
        }
    }

}
