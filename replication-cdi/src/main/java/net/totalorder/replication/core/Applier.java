package net.totalorder.replication.core;

import net.totalorder.sequencer.core.TentativeAssignment;

/**
 * Applies one ordered invocation to the local replica of the beans. Called on the delivery engine's apply thread,
 * strictly in seq order, once per seq. Must be deterministic — the same reply on every replica for the same
 * assignment — and must not throw: an invocation that cannot be applied becomes a {@link Reply.Outcome#REJECTED}
 * reply and changes nothing.
 */
@FunctionalInterface
public interface Applier {

    Reply apply(TentativeAssignment assignment);
}
