package net.totalorder.replication.interceptor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The replicated calls of one logical request, and the request id each is made under. A call's id is derived from
 * the request's idempotency key and the call's position when the caller gave a key, and is fresh otherwise; but a
 * call that a retried attempt makes again — same position since the attempt began, same invocation — gets the id
 * the earlier attempt used, so an attempt that timed out after its call was applied cannot have it applied a second
 * time: the retry is answered from the reply cache.
 *
 * <p>Invariant: while a retried method runs (from the first attempt of the outermost one until the next outermost
 * one begins), the calls made since its first attempt began are remembered in order, at most
 * {@value #MAX_REMEMBERED}. Thread-safe: the attempts of one retried method need not run on one thread (SmallRye
 * Fault Tolerance goes on with a timed-out synchronous invocation on its timer thread), so each attempt
 * {@link #bind binds} the ledger to the thread it runs on.
 */
public final class CallLedger {

    /** How many calls of one retried method are remembered; one more is refused rather than risk a second apply. */
    public static final int MAX_REMEMBERED = 10_000;

    private static final ThreadLocal<CallLedger> BOUND = new ThreadLocal<>();

    private record Call(String identity, String requestId) {
    }

    private final String key;
    private final List<Call> remembered = new ArrayList<>();
    private int position;                 // calls made so far, rewound to where an attempt began when it is retried
    private int rememberedFrom = -1;      // the position of remembered.get(0); -1 before any retried method
    private int attemptsRunning;

    /** @param key the request's idempotency key, or null when the caller gave none */
    public CallLedger(String key) {
        this.key = key;
    }

    /** The ledger of the attempt running on this thread, or null outside any retried method's attempt. */
    public static CallLedger bound() {
        return BOUND.get();
    }

    /** Makes {@code ledger} (null: none) this thread's; returns the one it replaces, to bind again afterwards. */
    static CallLedger bind(CallLedger ledger) {
        CallLedger previous = BOUND.get();
        if (ledger == null) {
            BOUND.remove();
        } else {
            BOUND.set(ledger);
        }
        return previous;
    }

    /**
     * The request id for the next replicated call, whose invocation (method and arguments) has {@code identity}.
     *
     * @param identity gives the invocation's identity (a digest), asked only inside a retried method: outside one,
     *                 a call needs no comparing, and the replicated call path pays nothing for it
     * @param fresh    makes a new unique id, used when the caller gave no key and no earlier attempt made this call
     * @throws IllegalStateException when a retried method already made {@value #MAX_REMEMBERED} calls; the call is
     *                               not made
     */
    public synchronized String requestIdFor(Supplier<String> identity, Supplier<String> fresh) {
        int at = position;
        int index = rememberedFrom < 0 ? -1 : at - rememberedFrom;
        String digest = null;
        if (index >= 0 && index < remembered.size()) {
            Call earlier = remembered.get(index);
            digest = identity.get();
            if (earlier.identity().equals(digest)) {
                position++;
                return earlier.requestId();
            }
            remembered.subList(index, remembered.size()).clear();    // this attempt took another path from here
        }
        boolean remember = attemptsRunning > 0 && index == remembered.size();
        if (remember && remembered.size() >= MAX_REMEMBERED) {
            throw new IllegalStateException("a retried method made more than " + MAX_REMEMBERED + " replicated "
                    + "calls in one attempt; a retry could not reuse their request ids, so this call is refused");
        }
        String id = key == null ? fresh.get() : "k:" + key + "#" + (at + 1);
        if (remember) {
            remembered.add(new Call(digest != null ? digest : identity.get(), id));
        }
        position++;
        return id;
    }

    /** The first attempt of a retried method begins; returns where, for {@link #retryBegins}. */
    synchronized int firstAttemptBegins() {
        if (attemptsRunning == 0) {            // the outermost retried method: what came before is never replayed
            remembered.clear();
            rememberedFrom = position;
        }
        attemptsRunning++;
        return position;
    }

    /** A later attempt of a retried method begins: its calls are matched against those from {@code firstAt} on. */
    synchronized void retryBegins(int firstAt) {
        attemptsRunning++;
        position = firstAt;
    }

    /** An attempt ended, however. */
    synchronized void attemptEnds() {
        attemptsRunning--;
    }
}
