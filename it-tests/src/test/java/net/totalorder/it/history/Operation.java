package net.totalorder.it.history;

import java.util.List;
import java.util.Objects;
import net.totalorder.derms.domain.ResourceEntry;
import net.totalorder.derms.domain.Status;

/**
 * One client operation of a recorded history: who called, when the call was sent and when its response arrived
 * (nanoseconds of one monotonic clock, e.g. {@link System#nanoTime()}, shared by all clients of the history), what was
 * called and what the client observed.
 *
 * <p>Invariant: {@code responseNanos >= invokeNanos}; an {@link Outcome.Observed} SUCCESS of
 * {@code listResourceAvailability} or {@code findResource} carries a resource list, and the outcome of any other call
 * carries none (a list given for it is dropped, since it is not compared). For an
 * {@link Outcome.Unknown} outcome {@code responseNanos} is when the client gave up; the checker treats the response
 * as never arriving. The checker addresses operations by their position in the history, so equal records are still
 * distinct operations. Immutable; safe to share between threads.
 */
public record Operation(String clientId, long invokeNanos, long responseNanos, DermsCall call, Outcome outcome) {

    public Operation {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(outcome, "outcome");
        if (responseNanos < invokeNanos) {
            throw new IllegalArgumentException("response before invocation: " + invokeNanos + " > " + responseNanos);
        }
        if (outcome instanceof Outcome.Observed observed) {
            if (!call.returnsResources() && observed.resources() != null) {
                outcome = new Outcome.Observed(observed.status(), null);
            } else if (call.returnsResources() && observed.status() == Status.SUCCESS && observed.resources() == null) {
                throw new IllegalArgumentException(call + " succeeds with a resource list (possibly empty)");
            }
        }
    }

    /**
     * An operation with a known result; {@code resources} is the returned list for {@code listResourceAvailability}
     * and {@code findResource} and may be null for the others. Arguments as in {@link DermsCall#of}.
     */
    public static Operation of(String clientId, long invokeNanos, long responseNanos, String operation,
                               List<String> arguments, String status, List<ResourceEntry> resources) {
        DermsCall call = DermsCall.of(operation, arguments.toArray(String[]::new));
        Outcome outcome = resources == null ? Outcome.of(status) : Outcome.of(status, resources);
        return new Operation(clientId, invokeNanos, responseNanos, call, outcome);
    }

    /** An operation whose client gave up at {@code gaveUpNanos} without a result. */
    public static Operation unknown(String clientId, long invokeNanos, long gaveUpNanos, String operation,
                                    List<String> arguments) {
        DermsCall call = DermsCall.of(operation, arguments.toArray(String[]::new));
        return new Operation(clientId, invokeNanos, gaveUpNanos, call, Outcome.unknown());
    }

    /** Whether the result is known (and must be explained by the sequential model). */
    public boolean known() {
        return outcome instanceof Outcome.Observed;
    }

    /** This operation with its outcome forgotten: it may then take effect at any time after its invocation, or never. */
    Operation forgotten() {
        return new Operation(clientId, invokeNanos, responseNanos, call, Outcome.unknown());
    }

    /**
     * Whether this operation never changes the state (a listing, a find, or a known FAILURE, which changes nothing by
     * the spec), so that leaving it out of a linearizable history leaves a linearizable one.
     */
    boolean effectFree() {
        return call.readOnly()
                || outcome instanceof Outcome.Observed observed && observed.status() == Status.FAILURE;
    }
}
