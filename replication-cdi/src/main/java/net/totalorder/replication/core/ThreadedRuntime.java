package net.totalorder.replication.core;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import net.totalorder.sequencer.core.Scheduler;
import net.totalorder.sequencer.core.SerialExecutor;

/**
 * A node's threads on a server: a {@link SerialExecutor} for the protocol (it runs a task on the thread that submits
 * it when idle, so a message is handled on the thread that received it), one daemon thread applying invocations,
 * one daemon thread writing snapshots. Thread-safe.
 */
public final class ThreadedRuntime implements NodeRuntime {

    private final SerialExecutor protocol;
    private final ExecutorService apply;
    private final ExecutorService background;
    private volatile Consumer<Throwable> failureHandler = t -> { };

    public ThreadedRuntime(String name) {
        this.protocol = new SerialExecutor(name, t -> failureHandler.accept(t));
        this.apply = Executors.newSingleThreadExecutor(daemon("replication-apply-" + name));
        this.background = Executors.newSingleThreadExecutor(daemon("replication-snapshot-" + name));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public Scheduler scheduler() {
        return protocol;
    }

    @Override
    public Executor protocol() {
        return protocol;
    }

    @Override
    public Executor apply() {
        return apply;
    }

    @Override
    public Executor background() {
        return background;
    }

    @Override
    public void onProtocolFailure(Consumer<Throwable> handler) {
        failureHandler = handler;
    }

    @Override
    public void close() {
        protocol.close();
        apply.shutdownNow();
        background.shutdownNow();
    }
}
