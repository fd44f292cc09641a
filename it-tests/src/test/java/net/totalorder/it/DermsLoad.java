package net.totalorder.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import net.totalorder.derms.client.DermsClient;
import net.totalorder.derms.client.Resource;
import net.totalorder.derms.client.Result;
import net.totalorder.derms.domain.ResourceEntry;
import net.totalorder.derms.domain.ResourceType;
import net.totalorder.it.history.CheckResult;
import net.totalorder.it.history.DermsCall;
import net.totalorder.it.history.LinearizabilityChecker;
import net.totalorder.it.history.Operation;

/**
 * A concurrent DERMS load that can tell a lost or doubly applied operation: each thread is a coordinator that
 * repeatedly borrows 1 unit of one shared resource (not idempotent: each application changes the state), now and
 * then reads its holdings, and its responder now and then adds a resource with a fresh ID. Every operation goes
 * through a failing-over {@link DermsClient} with its own Idempotency-Key and is recorded with its start and end
 * time, so the whole run is a history a linearizability checker can judge. Client t starts at server t mod 3:
 * the clients are spread over the servers.
 *
 * <p>Thread-safe: the workers record into concurrent structures; read the results after {@link #stop()}.
 */
final class DermsLoad {

    static final int SHARED_DURATION = 1_000_000;

    /** One finished operation; {@code client} is the worker that issued it. */
    record Op(int client, String kind, String user, String resourceId, int duration, long startNanos, long endNanos,
              Result result) {
    }

    private final List<Op> ops = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> workers = new ArrayList<>();
    private final Map<String, Integer> grants = new ConcurrentHashMap<>();
    private final String shared;
    private final String sharedResponder;

    private DermsLoad(String shared, String sharedResponder) {
        this.shared = shared;
        this.sharedResponder = sharedResponder;
    }

    /**
     * Adds the shared resource, then starts {@code threads} workers against {@code servers}, each with its own
     * rotation of the list as failover order and {@code attemptTimeout} per attempt (a short one makes clients
     * give up on a server and retry the same call, with the same key, on the next).
     * {@code idBase} (a multiple of 1000) keeps the users and resources of different loads apart.
     */
    static DermsLoad start(List<URI> servers, int threads, int idBase, Duration attemptTimeout)
            throws InterruptedException {
        return start(servers, threads, idBase, attemptTimeout, Duration.ofSeconds(60));
    }

    /** As above; each call gives up (unanswered) after {@code callTimeout} of attempts on every server. */
    static DermsLoad start(List<URI> servers, int threads, int idBase, Duration attemptTimeout, Duration callTimeout)
            throws InterruptedException {
        DermsLoad load = new DermsLoad(String.format("SHE%04d", idBase), String.format("SHER%04d", idBase));
        DermsClient setup = new DermsClient(servers, Duration.ofSeconds(3), Duration.ofSeconds(60),
                DermsClient.randomKeys());
        Result shared = setup.addResource(load.sharedResponder, load.shared, "FIRETRUCK", SHARED_DURATION);
        if (!"SUCCESS".equals(shared.status())) {
            throw new AssertionError("cannot add the shared resource: " + shared);
        }
        for (int t = 0; t < threads; t++) {
            String coordinator = String.format("QUEC%04d", idBase + t);
            String responder = String.format("MTLR%04d", idBase + t);
            int firstId = idBase + t * 100;
            List<URI> rotation = new ArrayList<>(servers);
            Collections.rotate(rotation, -(t % servers.size()));
            int client = t;
            Thread worker = new Thread(() -> load.work(client, rotation, attemptTimeout, callTimeout, coordinator,
                    responder, firstId), "load-" + t);
            load.workers.add(worker);
            worker.start();
        }
        return load;
    }

    private void work(int worker, List<URI> servers, Duration attemptTimeout, Duration callTimeout,
                      String coordinator, String responder, int firstId) {
        DermsClient client = new DermsClient(servers, attemptTimeout, callTimeout,
                DermsClient.randomKeys());
        int i = 0;
        try {
            while (running.get()) {
                long start = System.nanoTime();
                Result r = client.requestResource(coordinator, shared, 1);
                ops.add(new Op(worker, "request", coordinator, shared, 1, start, System.nanoTime(), r));
                if ("SUCCESS".equals(r.status())) {
                    grants.merge(coordinator, 1, Integer::sum);
                }
                if (i % 4 == 0 && i / 4 < 100) {
                    String id = String.format("MTL%04d", firstId + i / 4);
                    start = System.nanoTime();
                    r = client.addResource(responder, id, "AMBULANCE", 5);
                    ops.add(new Op(worker, "add", responder, id, 5, start, System.nanoTime(), r));
                }
                if (i % 4 == 2) {
                    start = System.nanoTime();
                    r = client.findResource(coordinator, "FIRETRUCK");
                    ops.add(new Op(worker, "find", coordinator, null, 0, start, System.nanoTime(), r));
                }
                i++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void stop() throws InterruptedException {
        running.set(false);
        for (Thread w : workers) {
            w.join(120_000);
        }
    }

    List<Op> ops() {
        synchronized (ops) {
            return List.copyOf(ops);
        }
    }

    /** The resource every coordinator borrows from. */
    String shared() {
        return shared;
    }

    /** The responder who added the shared resource before the load. */
    String sharedResponder() {
        return sharedResponder;
    }

    Map<String, Integer> grants() {
        return Map.copyOf(grants);
    }

    /** The longest time, after {@code fromNanos}, in which no operation completed: what clients saw as a pause. */
    long longestPauseMillis(long fromNanos) {
        return longestPauseMillis(fromNanos, Long.MAX_VALUE);
    }

    /**
     * The longest time within [from, to] during which no call completed (from {@code from} to the first completion,
     * between two, and from the last to {@code to} when {@code to} is a time, not {@code Long.MAX_VALUE}).
     */
    long longestPauseMillis(long fromNanos, long toNanos) {
        List<Long> ends = new ArrayList<>();
        for (Op op : ops()) {
            if (op.endNanos() >= fromNanos && op.endNanos() <= toNanos) {
                ends.add(op.endNanos());
            }
        }
        Collections.sort(ends);
        long previous = fromNanos;
        long longest = 0;
        for (long end : ends) {
            longest = Math.max(longest, end - previous);
            previous = end;
        }
        if (toNanos != Long.MAX_VALUE) {
            longest = Math.max(longest, toNanos - previous);
        }
        return longest / 1_000_000;
    }

    /**
     * The recorded history — every call with its first invocation and final response, retries included — must be
     * linearizable against the sequential DERMS model, starting from the shared resource the load added first.
     */
    void assertLinearizable() {
        List<Operation> history = new ArrayList<>();
        for (DermsLoad.Op op : ops()) {
            String client = "c" + op.client();
            String operation;
            List<String> args;
            switch (op.kind()) {
                case "request" -> {
                    operation = "requestResource";
                    args = List.of(op.user(), op.resourceId(), Integer.toString(op.duration()));
                }
                case "add" -> {
                    operation = "addResource";
                    args = List.of(op.user(), op.resourceId(), "AMBULANCE", Integer.toString(op.duration()));
                }
                default -> {
                    operation = "findResource";
                    args = List.of(op.user(), "FIRETRUCK");
                }
            }
            Result r = op.result();
            if (r.outcome() != Result.Outcome.ANSWERED) {
                history.add(Operation.unknown(client, op.startNanos(), op.endNanos(), operation, args));
            } else {
                List<ResourceEntry> listed = op.kind().equals("find") ? r.resources().stream()
                        .map(e -> new ResourceEntry(e.resourceId(), ResourceType.valueOf(e.type()), (int) e.duration()))
                        .toList() : null;
                history.add(Operation.of(client, op.startNanos(), op.endNanos(), operation, args, r.status(), listed));
            }
        }
        List<DermsCall> setup = List.of(DermsCall.of("addResource", sharedResponder, shared,
                "FIRETRUCK", Integer.toString(SHARED_DURATION)));
        long start = System.nanoTime();
        CheckResult.Linearizable ok = new LinearizabilityChecker().assertLinearizable(setup, history);
        System.out.printf("history of %d operations is linearizable (%d independent parts, %d search steps, %d ms)%n",
                ok.operations(), ok.parts(), ok.searchSteps(), (System.nanoTime() - start) / 1_000_000);
    }

    /** Every acknowledged grant is held exactly once, and every acknowledged add exists. */
    void assertNothingLostOrDuplicated(List<URI> servers) throws Exception {
        Map<String, Integer> outcomes = new HashMap<>();
        Set<String> added = new HashSet<>();
        for (DermsLoad.Op op : ops()) {
            Result r = op.result();
            assertEquals(Result.Outcome.ANSWERED, r.outcome(), "an operation got no answer: " + op);
            // every write succeeds (a grant or add applied twice would fail); reads always succeed
            assertEquals("SUCCESS", r.status(), "an operation did not succeed (applied twice?): " + op);
            outcomes.merge(op.kind(), 1, Integer::sum);
            if (op.kind().equals("add")) {
                added.add(op.resourceId());
            }
        }
        DermsClient reader = new DermsClient(servers, Duration.ofSeconds(3), Duration.ofSeconds(60),
                DermsClient.randomKeys());
        int granted = 0;
        for (Map.Entry<String, Integer> g : grants().entrySet()) {
            Result held = reader.findResource(g.getKey(), "FIRETRUCK");
            long holding = held.resources().stream().filter(r -> r.resourceId().equals(shared))
                    .mapToLong(Resource::duration).sum();
            assertEquals(g.getValue().longValue(), holding, g.getKey() + " holds other than its acknowledged grants");
            granted += g.getValue();
        }
        Result trucks = reader.listResourceAvailability("SHER1000", "FIRETRUCK");
        assertEquals("SUCCESS", trucks.status(), trucks.toString());
        long remaining = trucks.resources().stream().filter(r -> r.resourceId().equals(shared))
                .mapToLong(Resource::duration).sum();
        assertEquals(SHARED_DURATION - granted, remaining, "grants lost or applied twice");
        Result ambulances = reader.listResourceAvailability("MTLR1000", "AMBULANCE");
        Set<String> listed = new HashSet<>();
        ambulances.resources().forEach(r -> listed.add(r.resourceId()));
        assertTrue(listed.containsAll(added), "acknowledged adds are missing");
        System.out.printf("checked: %d acknowledged grants held exactly once, %d acknowledged adds present (%s)%n",
                granted, added.size(), outcomes);
    }
}
