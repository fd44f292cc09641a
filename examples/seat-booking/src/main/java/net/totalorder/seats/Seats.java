package net.totalorder.seats;

import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import net.totalorder.replication.api.Replicated;
import net.totalorder.replication.api.ReplicatedState;

/**
 * The seats of one show and who holds each: the whole replicated state of this example. Every method is
 * {@code @Replicated}: a call made on any server is applied by every server in one total order, exactly once, so two
 * people booking the same seat on two servers get one seat and one refusal. {@link ReplicatedState} lets the
 * replication snapshot it (a copy of the map) and restore it on a server that catches up.
 *
 * <p>Invariant: a seat is held by at most one person. Runs on the replication's apply thread, one call at a time.
 */
@ApplicationScoped
public class Seats implements ReplicatedState<Seats.State> {

    /** What a snapshot holds: seat → holder. */
    public record State(Map<String, String> holders) {
    }

    /** The outcome of a booking or a release: whether it was done, and who holds the seat now (null: free). */
    public record Booking(boolean done, String seat, String holder) {
    }

    private final Map<String, String> holders = new TreeMap<>();

    /** Books {@code seat} for {@code who}; refused (done false) when someone else holds it. */
    @Replicated
    public Booking book(String seat, String who) {
        String holder = holders.putIfAbsent(seat, who);
        return new Booking(holder == null || holder.equals(who), seat, holder == null ? who : holder);
    }

    /** Gives {@code seat} back; refused when {@code who} does not hold it. */
    @Replicated
    public Booking release(String seat, String who) {
        boolean held = holders.remove(seat, who);
        return new Booking(held, seat, holders.get(seat));
    }

    /** Every held seat and its holder. */
    @Replicated(readOnly = true)
    public Map<String, String> taken() {
        return new TreeMap<>(holders);
    }

    @Override
    public State captureState() {
        return new State(new TreeMap<>(holders));
    }

    @Override
    public void restoreState(State state) {
        holders.clear();
        holders.putAll(state.holders());
    }
}
