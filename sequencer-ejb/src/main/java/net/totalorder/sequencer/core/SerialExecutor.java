package net.totalorder.sequencer.core;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;


/**
 * One thread that runs a node's protocol objects (a sequencer replica; a node's sequencer client and delivery engine):
 * every message, timer and call is a task on it, so the protocol code never runs concurrently with itself. A task
 * that throws is logged and the executor goes on.
 *
 * <p>Thread-safe: {@link #execute} and {@link #schedule} may be called from any thread.
 */
public final class SerialExecutor implements Scheduler, Executor, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SerialExecutor.class.getName());

    private final ScheduledThreadPoolExecutor executor;

    public SerialExecutor(String name) {
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "replication-protocol-" + name);
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public long nowMillis() {
        return System.nanoTime() / 1_000_000;
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        ScheduledFuture<?> f = executor.schedule(guarded(task), delayMillis, TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public void execute(Runnable task) {
        if (!executor.isShutdown()) {
            executor.execute(guarded(task));
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.ERROR, "protocol task failed", t);
            }
        };
    }
}
