package net.totalorder.sequencer.core;

import java.util.List;

/**
 * Where a sequencer replica keeps its {@code state.TA}: the tentative assignments for seqs
 * {@code baseSeq()+1 .. lastSeq()}, with no gaps and one assignment per seq. A request id appears once, unless it
 * came back after its first assignment was compacted at the primary and was ordered again ({@link #seqOf} gives
 * the latest). Seqs up to
 * {@link #baseSeq()} were compacted: they are definitive and their content is gone (an application snapshot covers
 * them); only the epoch of the assignment at the base is kept, so that a write appending after it can be matched.
 *
 * <p>Implementations: {@link InMemoryLog}; a file-backed log follows the same contract and makes what was written
 * durable on {@link #sync()}. An append that would leave a gap is a protocol bug and throws
 * {@link IllegalStateException}.
 *
 * <p>Not thread-safe: owned by one {@link SequencerReplica}, used on its executor.
 */
public interface LogStorage {

    /** Seqs up to this one are compacted (0 when nothing was). */
    long baseSeq();

    /** The epoch of the assignment at {@link #baseSeq()}; 0 when the base is 0. */
    long baseEpoch();

    /** The greatest seq held, or {@link #baseSeq()} when no assignment follows the base. */
    long lastSeq();

    /** The assignment at {@code seq}, or null when it is compacted or beyond the end. */
    TentativeAssignment get(long seq);

    /**
     * The epoch of the assignment at {@code seq}, for {@code baseSeq() <= seq <= lastSeq()}.
     *
     * @throws IllegalArgumentException for any other seq
     */
    long epochAt(long seq);

    /** The latest seq of {@code reqId} among the held (not compacted) assignments, or null. */
    Long seqOf(String reqId);

    /**
     * The held assignments from {@code fromSeq} to {@code toSeq}, both inclusive and clamped to the held range, and
     * cut after the first assignment that brings the payload bytes to {@code maxBytes} or more (the first one is
     * always included, so that any assignment can travel).
     */
    List<TentativeAssignment> range(long fromSeq, long toSeq, long maxBytes);

    /** Appends {@code ta}, whose seq must be {@code lastSeq() + 1}. */
    void append(TentativeAssignment ta);

    /** Removes the assignments at {@code seq} and above; {@code seq} must be above the base. */
    void truncateFrom(long seq);

    /** Drops the assignments up to {@code seq} (at most {@link #lastSeq()}), which becomes the base. */
    void compactUpTo(long seq);

    /** Discards every assignment: the log is empty after a base at {@code seq}, of epoch {@code epoch}. */
    void resetTo(long seq, long epoch);

    /** Bytes of request ids and payloads held, to bound the log by size. */
    long heldBytes();

    /** Makes everything written so far durable; nothing to do for a log kept in memory. */
    void sync();

    /** Reports each {@link #sync()} that wrote something to {@code observer} (a log kept in memory has none). */
    default void observe(SequencerObserver observer) {
    }

    /** The end of what {@link #sync()} made durable (all of it, for a log kept in memory). */
    long durableLastSeq();

    /** Whether what is synced survives a crash of the process (a log on disk) or not (a log in memory). */
    boolean durable();

    /** What this storage held when it was opened; decides how the replica starts ({@link Origin}). */
    Origin origin();

    /** The hard state as stored (loaded at open, or as last saved). */
    HardState hardState();

    /** Stores {@code state}; it is durable when this returns (a log kept in memory only keeps it). */
    void saveHardState(HardState state);

    /** Releases the storage once its replica stopped (nothing else is called after it); nothing for a log in memory. */
    default void close() {
    }

    /**
     * What a replica finds when it starts:
     * <ul>
     * <li>{@code NEW}: storage provisioned for a new member that never took part — it has promised and acknowledged
     * nothing, so it may vote with an empty state at once;</li>
     * <li>{@code LOST}: nothing at all (a log kept in memory always, or a disk that was lost) — it may have promised and
     * acknowledged things before, and must recover from the others before it votes;</li>
     * <li>{@code RESTORED}: its hard state and log from before the restart, every acknowledged assignment included.</li>
     * </ul>
     */
    enum Origin { NEW, LOST, RESTORED }
}
