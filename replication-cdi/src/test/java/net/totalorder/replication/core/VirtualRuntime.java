package net.totalorder.replication.core;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import net.totalorder.sequencer.core.Scheduler;
import net.totalorder.sequencer.simulation.World;

/**
 * A node's executors as events of one {@link World} process, in virtual time: the protocol executor runs a task at
 * once when it is idle and queues tasks submitted meanwhile (as the server's serial executor does), timers are the
 * process's events, and the apply and background executors are events {@code applyMillis} and
 * {@code backgroundMillis} later, in submission order. A crash of the process drops them all (its events are
 * discarded); {@link #close} stops this incarnation's tasks even after the process restarts.
 *
 * <p>Single-threaded, like the world.
 */
final class VirtualRuntime implements NodeRuntime {

    private final World world;
    private final World.Process process;
    private final long applyMillis;
    private final long backgroundMillis;
    private final ArrayDeque<Runnable> protocolQueue = new ArrayDeque<>();
    private boolean draining;
    private boolean closed;
    private long applyFreeAt;
    private long backgroundFreeAt;
    private Consumer<Throwable> onFailure = t -> { };

    VirtualRuntime(World world, World.Process process, long applyMillis, long backgroundMillis) {
        this.world = world;
        this.process = process;
        this.applyMillis = applyMillis;
        this.backgroundMillis = backgroundMillis;
    }

    private final Executor protocol = this::runProtocol;

    private final Scheduler scheduler = new Scheduler() {
        @Override
        public long nowMillis() {
            return process.nowMillis();
        }

        @Override
        public Cancellable schedule(long delayMillis, Runnable task) {
            return process.schedule(delayMillis, () -> runProtocol(task));
        }
    };

    private void runProtocol(Runnable task) {
        if (closed) {
            return;
        }
        protocolQueue.add(task);
        if (draining) {
            return;
        }
        draining = true;
        try {
            Runnable next;
            while (!closed && (next = protocolQueue.poll()) != null) {
                try {
                    next.run();
                } catch (RuntimeException | Error e) {     // as the server's executor: stop, tell the node
                    closed = true;
                    onFailure.accept(e);
                }
            }
        } finally {
            draining = false;
        }
    }

    /** Tasks of one serial executor, one after the other, each taking {@code millis} of virtual time. */
    private long later(long freeAt, long millis, Runnable task) {
        long at = Math.max(world.now(), freeAt) + millis;
        world.at(at, process, () -> {
            if (!closed) {
                task.run();
            }
        });
        return at;
    }

    @Override
    public Scheduler scheduler() {
        return scheduler;
    }

    @Override
    public Executor protocol() {
        return protocol;
    }

    @Override
    public Executor apply() {
        return task -> applyFreeAt = later(applyFreeAt, applyMillis, task);
    }

    @Override
    public Executor background() {
        return task -> backgroundFreeAt = later(backgroundFreeAt, backgroundMillis, task);
    }

    @Override
    public void onProtocolFailure(Consumer<Throwable> handler) {
        onFailure = handler;
    }

    @Override
    public void close() {
        closed = true;
        protocolQueue.clear();
    }
}
