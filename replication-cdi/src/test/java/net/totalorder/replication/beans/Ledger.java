package net.totalorder.replication.beans;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import net.totalorder.replication.api.Replicated;
import net.totalorder.replication.api.ReplicatedState;
import net.totalorder.replication.api.ReplicationContext;
import net.totalorder.replication.api.ReplicationUnavailableException;
import org.eclipse.microprofile.faulttolerance.Retry;

/** A replicated test bean: an append-only ledger with a running total. One replica per server. */
@ApplicationScoped
public class Ledger implements ReplicatedState<Ledger.State> {

    /** What a snapshot holds of the ledger. */
    public record State(List<String> entries, long total) {
    }

    private final List<String> entries = new ArrayList<>();
    private long total;

    /** Appends an entry; a negative amount is refused with an application exception and changes nothing. */
    @Replicated
    public long append(String entry, long amount) {
        return record(entry, amount);
    }

    private long record(String entry, long amount) {
        if (amount < 0) {
            throw new LedgerException("negative amount " + amount + " for " + entry);
        }
        entries.add(ReplicationContext.current().sequence() + ":" + entry);
        total += amount;
        return total;
    }

    /**
     * As {@link #append}, with the retry on the replicated method itself: a call whose wait for the reply ends in
     * {@link ReplicationUnavailableException} is made again, under the same request id.
     */
    @Replicated
    @Retry(maxRetries = 40, delay = 50, jitter = 0, retryOn = ReplicationUnavailableException.class)
    public long appendUntilOrdered(String entry, long amount) {
        return record(entry, amount);
    }

    /** Appends an entry stamped with the invocation's time and a random number: the same on every replica. */
    @Replicated
    public String stamp(String entry) {
        ReplicationContext ctx = ReplicationContext.current();
        String stamped = entry + "@" + ctx.timestamp().toEpochMilli() + "#" + ctx.random().nextLong();
        entries.add(stamped);
        return stamped;
    }

    /** A replicated method calling another one: the nested call is part of this invocation, not ordered again. */
    @Replicated
    public long appendTwice(String entry, long amount) {
        append(entry + "-1", amount);
        return append(entry + "-2", amount);
    }

    @Replicated(readOnly = true)
    public List<String> entries() {
        return List.copyOf(entries);
    }

    @Replicated(readOnly = true)
    public long total() {
        return total;
    }

    /** Fails the replica that applies it: an {@link Error} from a replicated method stops the replica. */
    @Replicated
    public void breakDown(String why) {
        throw new AssertionError(why);
    }

    @Override
    public State captureState() {
        return new State(List.copyOf(entries), total);
    }

    @Override
    public void restoreState(State state) {
        entries.clear();
        entries.addAll(state.entries());
        total = state.total();
    }

    /** Not replicated: how many times this replica recorded {@code entry} (for tests; on the apply thread). */
    public long countHere(String entry) {
        return entries.stream().filter(e -> e.endsWith(":" + entry)).count();
    }

    /** Not replicated: how many entries this replica holds right now (for tests only). */
    public int sizeHere() {
        return entries.size();
    }
}
