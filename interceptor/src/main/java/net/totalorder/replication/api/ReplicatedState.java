package net.totalorder.replication.api;

/**
 * Implemented by every bean with {@link Replicated} methods, so that its state can be captured in a snapshot and
 * restored on a server that catches up (a restarted server, or one that fell behind the compacted log). Without
 * snapshots the ordered log, and with it every server's memory, would grow with every call.
 *
 * <p>{@code S} is the bean's state as a value the invocation codec can encode (JSON-B with the declared type:
 * records, POJOs, typed collections — checked at deployment, like method parameters). Keep derived data (indexes,
 * caches) out of it and rebuild it in {@link #restoreState}.
 *
 * <p>Why an interface and not automatic capture of the bean's fields: capturing must not stop ordering for longer
 * than it takes to freeze the state, and only the bean knows how to freeze itself cheaply (a copy, or an immutable
 * structure it already keeps); its fields also hold injected proxies and derived data that must not travel.
 *
 * <p>Both methods are called on the thread that applies ordered invocations, between two of them, never
 * concurrently with a replicated method.
 *
 * @param <S> the state's type
 */
public interface ReplicatedState<S> {

    /**
     * A value holding the whole replicated state, which later invocations do not change (a copy, or an immutable
     * view): it is encoded afterwards, on another thread, while invocations go on. Must be quick and deterministic.
     */
    S captureState();

    /** Replaces the whole state with {@code state}, as captured on this or another server. */
    void restoreState(S state);
}
