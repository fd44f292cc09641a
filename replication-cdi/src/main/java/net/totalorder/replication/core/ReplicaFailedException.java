package net.totalorder.replication.core;

/**
 * This server's replica stopped (fail-stop: a broken invariant, an {@link Error} while applying) or was closed; it
 * serves no call from that state. The message says why.
 */
public final class ReplicaFailedException extends RuntimeException {

    public ReplicaFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
