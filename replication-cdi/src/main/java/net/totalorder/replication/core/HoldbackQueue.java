package net.totalorder.replication.core;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import net.totalorder.sequencer.core.TentativeAssignment;

/**
 * Definitive assignments that arrived before their predecessors (the DERMS report's holdback queue): each is held
 * until every lower seq has been released, then released in seq order. Duplicates and seqs already released are
 * ignored.
 *
 * <p>Invariant: every held seq is above {@link #releasedUpTo()}. Not thread-safe: the node's protocol executor.
 */
final class HoldbackQueue {

    private final TreeMap<Long, TentativeAssignment> held = new TreeMap<>();
    private long releasedUpTo;

    HoldbackQueue(long releasedUpTo) {
        this.releasedUpTo = releasedUpTo;
    }

    /** Adds {@code ta}; returns the assignments now released, in order (possibly none). */
    List<TentativeAssignment> offer(TentativeAssignment ta) {
        if (ta.seq() <= releasedUpTo) {
            return List.of();
        }
        held.putIfAbsent(ta.seq(), ta);
        List<TentativeAssignment> ready = new ArrayList<>();
        TentativeAssignment next;
        while ((next = held.remove(releasedUpTo + 1)) != null) {
            ready.add(next);
            releasedUpTo++;
        }
        return ready;
    }

    long releasedUpTo() {
        return releasedUpTo;
    }

    /** The lowest seq held, or 0 when nothing is held. */
    long lowestHeld() {
        return held.isEmpty() ? 0 : held.firstKey();
    }
}
