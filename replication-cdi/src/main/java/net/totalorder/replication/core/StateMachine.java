package net.totalorder.replication.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import net.totalorder.sequencer.core.TentativeAssignment;

/**
 * The application replica as the delivery engine drives it: applies ordered invocations, and captures and restores
 * its state for snapshots. Every method is called on the apply thread, one at a time, strictly in seq order.
 *
 * <p>Determinism: the same invocations applied in the same order, from the same restored state, give the same
 * replies and the same captured bytes on every replica.
 */
public interface StateMachine {

    /**
     * Applies the invocation ordered at {@code assignment.seq()}. An exception of the application, or an invocation
     * that cannot be applied, is a reply ({@link Reply#threw}, {@link Reply#rejected}); anything thrown out of this
     * method means the replica cannot go on from its current state, and it stops (fail-stop).
     */
    Reply apply(TentativeAssignment assignment);

    /**
     * Freezes the state between two invocations: must be quick (a copy, or an immutable view), since nothing is
     * applied meanwhile; the returned writer encodes it later, on a background thread, while invocations go on.
     */
    Capture capture();

    /**
     * Replaces the whole state with one a {@link Capture} wrote, on this server or another. Throwing leaves the state
     * unknown: the replica stops.
     */
    void restore(InputStream state) throws IOException;

    /** A frozen state, written out on a background thread. */
    @FunctionalInterface
    interface Capture {
        void writeTo(OutputStream out) throws IOException;
    }
}
