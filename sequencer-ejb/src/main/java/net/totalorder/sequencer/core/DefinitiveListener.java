package net.totalorder.sequencer.core;

/**
 * Told of each assignment as the local replica learns it is definitive: exactly once per seq, in seq order with
 * no gaps, on the replica's executor. Must not block.
 */
@FunctionalInterface
public interface DefinitiveListener {

    DefinitiveListener NONE = assignment -> { };

    void onDefinitive(TentativeAssignment assignment);
}
