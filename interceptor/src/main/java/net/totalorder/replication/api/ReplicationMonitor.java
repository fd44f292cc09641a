package net.totalorder.replication.api;

import java.util.function.LongFunction;

/**
 * How an application looks at its replica (status pages, health, consistency checks); inject it. Thread-safe.
 */
public interface ReplicationMonitor {

    /** This server's replica and the members it hears from, at most a beacon interval old. */
    ReplicaStatus status();

    /**
     * Runs {@code read} with the seq applied so far, on the thread that applies ordered invocations, between two of
     * them: it sees the replicated state exactly as of that seq. Keep it short: invocations wait meanwhile.
     */
    <T> T readApplied(LongFunction<T> read) throws Exception;
}
