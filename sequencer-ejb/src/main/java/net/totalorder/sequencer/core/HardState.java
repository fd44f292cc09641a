package net.totalorder.sequencer.core;

/**
 * What a sequencer replica's safety rests on besides its log, and must survive a crash in durable mode (as Raft's
 * currentTerm and votedFor): the highest epoch it promised and to whom ({@code promisedTo} null when unknown),
 * {@code state.epoch} (the epoch of the last primary whose log it installed), and {@code installFloor} (after a
 * recovery, it votes only once it installed an epoch at least that high). Immutable.
 */
public record HardState(long promisedEpoch, String promisedTo, long stateEpoch, long installFloor) {

    public static final HardState NONE = new HardState(0, null, 0, 0);
}
