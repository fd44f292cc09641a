package net.totalorder.sequencer.core;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs a node's protocol objects (a sequencer replica; a node's sequencer client and delivery engine) one task at
 * a time, never two at once and never one inside another, so the protocol code is single-threaded.
 *
 * <p>A task runs on the thread that submits it when no task is running (no hand-off to another thread: a message
 * is handled on the thread that received it, a call on the caller's thread); tasks submitted meanwhile — by other
 * threads, or by the running task itself — are queued and run, in order, by the thread already draining. Timers
 * fire on one daemon thread, which submits their tasks the same way. Tasks must not block.
 *
 * <p>Fail-stop: a task that throws (a broken invariant in the protocol, an {@link Error}) leaves the protocol
 * objects half-changed, so nothing runs after it: the executor closes, drops what is queued, and tells its failure
 * handler once, with the throwable.
 *
 * <p>Thread-safe: {@link #execute} and {@link #schedule} may be called from any thread.
 */
public final class SerialExecutor implements Scheduler, Executor, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SerialExecutor.class.getName());

    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final ScheduledThreadPoolExecutor timers;
    private final Consumer<Throwable> onFailure;
    private volatile boolean closed;

    /** An executor whose failure is only logged (tests, benchmarks). */
    public SerialExecutor(String name) {
        this(name, t -> { });
    }

    /** @param onFailure told, once, of the throwable of the task that failed; it must not block */
    public SerialExecutor(String name, Consumer<Throwable> onFailure) {
        this.onFailure = onFailure;
        timers = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "replication-timer-" + name);
            t.setDaemon(true);
            return t;
        });
        timers.setRemoveOnCancelPolicy(true);
    }

    @Override
    public long nowMillis() {
        return System.nanoTime() / 1_000_000;
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        if (closed) {
            return () -> { };
        }
        ScheduledFuture<?> f = timers.schedule(() -> execute(task), delayMillis, TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public void execute(Runnable task) {
        if (closed) {
            return;
        }
        queue.add(task);
        // Drain unless another thread is draining; re-check after letting go, so that no task is left behind by a
        // submitter that found the flag set just before the drainer released it.
        while (!queue.isEmpty() && draining.compareAndSet(false, true)) {
            try {
                Runnable next;
                while ((next = queue.poll()) != null && !closed) {
                    run(next);
                }
            } finally {
                draining.set(false);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        timers.shutdownNow();
        queue.clear();
    }

    /** Whether a task failed or the executor was closed: nothing runs any more. */
    public boolean closed() {
        return closed;
    }

    private void run(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {           // fail-stop: log, stop running anything, tell the owner
            LOG.log(System.Logger.Level.ERROR, "protocol task failed; this executor stops", t);
            close();
            onFailure.accept(t);
        }
    }
}
