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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

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

    /** Where a worker sends its calls, in failover order, and how long it waits for one attempt and for a call. */
    record Route(List<URI> servers, Duration attemptTimeout, Duration callTimeout) {
    }

    /** One finished operation; {@code client} is the worker that issued it. */
    record Op(int client, String kind, String user, String resourceId, int duration, long startNanos, long endNanos,
              Result result) {
    }

    private final List<Op> ops = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong lastAnsweredNanos =
            new AtomicLong(System.nanoTime());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> workers = new ArrayList<>();
    private final Map<String, Integer> grants = new ConcurrentHashMap<>();
    private final String shared;
    private final String sharedResponder;

    private static final Set<DermsLoad> RUNNING = ConcurrentHashMap.newKeySet();

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
        return start(servers, threads, idBase, t -> {
            List<URI> rotation = new ArrayList<>(servers);
            Collections.rotate(rotation, -(t % servers.size()));
            return new Route(rotation, attemptTimeout, callTimeout);
        });
    }

    /**
     * As above, worker t following {@code routeOf.apply(t)} (e.g. some workers bound to one server that a fault
     * isolates, the others spread over the rest); the shared resource is added through {@code servers}.
     */
    static DermsLoad start(List<URI> servers, int threads, int idBase, IntFunction<Route> routeOf)
            throws InterruptedException {
        // IDs are a city and 4 digits: worker t's users are idBase + t and its resources idBase + 100 t + (0..99)
        if (idBase % 1000 != 0 || idBase < 1000 || idBase > 9000 || threads < 1 || threads > 8) {
            throw new IllegalArgumentException("idBase must be one of 1000, 2000, ... 9000 and threads 1..8: "
                    + idBase + ", " + threads);
        }
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
            Route route = routeOf.apply(t);
            int client = t;
            Thread worker = new Thread(() -> load.work(client, route.servers(), route.attemptTimeout(),
                    route.callTimeout(), coordinator, responder, firstId), "load-" + t);
            load.workers.add(worker);
            worker.start();
        }
        RUNNING.add(load);
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
                record(new Op(worker, "request", coordinator, shared, 1, start, System.nanoTime(), r));
                if ("SUCCESS".equals(r.status())) {
                    grants.merge(coordinator, 1, Integer::sum);
                }
                if (i % 4 == 0 && i / 4 < 100) {
                    String id = String.format("MTL%04d", firstId + i / 4);
                    start = System.nanoTime();
                    r = client.addResource(responder, id, "AMBULANCE", 5);
                    record(new Op(worker, "add", responder, id, 5, start, System.nanoTime(), r));
                }
                if (i % 4 == 2) {
                    start = System.nanoTime();
                    r = client.findResource(coordinator, "FIRETRUCK");
                    record(new Op(worker, "find", coordinator, null, 0, start, System.nanoTime(), r));
                }
                i++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void record(Op op) {
        ops.add(op);
        if (op.result().outcome() == Result.Outcome.ANSWERED) {
            lastAnsweredNanos.accumulateAndGet(op.endNanos(), Math::max);
        }
    }

    /** When a call was last answered ({@link System#nanoTime()}; the load's start before any was). */
    long lastAnsweredNanos() {
        return lastAnsweredNanos.get();
    }

    void stop() throws InterruptedException {
        running.set(false);
        for (Thread w : workers) {
            w.join(120_000);
        }
        RUNNING.remove(this);
    }

    /**
     * Stops every load still running: a scenario that failed before stopping its own must not go on calling
     * through the next ones (whose replicas would then never agree).
     */
    static void stopAll() throws InterruptedException {
        for (DermsLoad load : List.copyOf(RUNNING)) {
            load.stop();
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
        return longestPauseMillis(fromNanos, toNanos, client -> true);
    }

    /** As above, counting only the calls of the workers {@code clients} accepts that were answered. */
    long longestPauseMillis(long fromNanos, long toNanos, IntPredicate clients) {
        return longestPause(fromNanos, toNanos, clients).millis();
    }

    /** A pause: how long after the window's start it began, and how long no call was answered. */
    record Pause(long startedAfterMillis, long millis) {
    }

    /** The longest pause within [from, to], as {@link #longestPauseMillis(long, long, IntPredicate)}, and when. */
    Pause longestPause(long fromNanos, long toNanos, IntPredicate clients) {
        List<Long> ends = new ArrayList<>();
        for (Op op : ops()) {
            if (clients.test(op.client()) && op.result().outcome() == Result.Outcome.ANSWERED
                    && op.endNanos() >= fromNanos && op.endNanos() <= toNanos) {
                ends.add(op.endNanos());
            }
        }
        Collections.sort(ends);
        if (toNanos != Long.MAX_VALUE) {
            ends.add(toNanos);
        }
        long previous = fromNanos;
        long longest = 0;
        long startedAt = fromNanos;
        for (long end : ends) {
            if (end - previous > longest) {
                longest = end - previous;
                startedAt = previous;
            }
            previous = end;
        }
        return new Pause((startedAt - fromNanos) / 1_000_000, longest / 1_000_000);
    }

    /**
     * The recorded history — every call with its first invocation and final response, retries included — must be
     * linearizable against the sequential DERMS model, starting from the shared resource the load added first.
     */
    CheckResult.Linearizable assertLinearizable() {
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
        System.out.printf("history of %d operations (%d of them unknown) is linearizable (%d independent parts, "
                + "%d search steps, %d ms)%n", ok.operations(), unknown(), ok.parts(), ok.searchSteps(),
                (System.nanoTime() - start) / 1_000_000);
        return ok;
    }

    /** What {@link #assertCorrect} checked: operations in the history, those of unknown outcome, the agreed seq. */
    record Checked(long operations, long unknown, long agreedSeq) {
    }

    /**
     * After {@link #stop()}: nothing acknowledged lost or applied twice (read through {@code servers}), the history
     * linearizable, and all three replicas at the same seq with the same digest within {@code agree}.
     */
    Checked assertCorrect(List<URI> servers, Duration agree) throws Exception {
        assertNothingLostOrDuplicated(servers);
        CheckResult.Linearizable checked = assertLinearizable();
        long agreed = LocalCluster.awaitAgreement(agree, 1, 2, 3);
        return new Checked(checked.operations(), unknown(), agreed);
    }

    /** How many calls the clients gave up on (no answer before their deadline): their effect is unknown. */
    long unknown() {
        return ops().stream().filter(op -> op.result().outcome() == Result.Outcome.NO_ANSWER).count();
    }

    /**
     * Every acknowledged grant is held exactly once, and every acknowledged add exists. A call the client gave up on
     * ({@link Result.Outcome#NO_ANSWER}) may have taken effect once or not at all: a coordinator holds between its
     * acknowledged grants and those plus its unanswered requests. Any other outcome fails.
     */
    void assertNothingLostOrDuplicated(List<URI> servers) throws Exception {
        Map<String, Integer> outcomes = new HashMap<>();
        Map<String, Integer> unanswered = new HashMap<>();
        Set<String> added = new HashSet<>();
        for (DermsLoad.Op op : ops()) {
            Result r = op.result();
            if (r.outcome() == Result.Outcome.NO_ANSWER) {
                outcomes.merge(op.kind() + " unknown", 1, Integer::sum);
                if (op.kind().equals("request")) {
                    unanswered.merge(op.user(), 1, Integer::sum);
                }
                continue;
            }
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
        long granted = 0;
        Set<String> coordinators = new HashSet<>(grants().keySet());
        coordinators.addAll(unanswered.keySet());
        for (String coordinator : coordinators) {
            Result held = reader.findResource(coordinator, "FIRETRUCK");
            long holding = held.resources().stream().filter(r -> r.resourceId().equals(shared))
                    .mapToLong(Resource::duration).sum();
            int acknowledged = grants().getOrDefault(coordinator, 0);
            int unknown = unanswered.getOrDefault(coordinator, 0);
            if (unknown == 0) {
                assertEquals(acknowledged, holding, coordinator + " holds other than its acknowledged grants");
            } else {
                assertTrue(holding >= acknowledged && holding <= acknowledged + unknown, coordinator + " holds "
                        + holding + ": not between its " + acknowledged + " acknowledged grants and those plus its "
                        + unknown + " unanswered requests");
            }
            granted += holding;
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
        System.out.printf("checked: %d grants held (each acknowledged one exactly once), %d acknowledged adds present"
                + " (%s)%n", granted, added.size(), outcomes);
    }
}
