package net.totalorder.replication.core;

import java.util.concurrent.Executor;
import java.util.function.Consumer;

import net.totalorder.sequencer.core.Scheduler;

/**
 * The threads a {@link ReplicationNode} runs on: a serial protocol executor with its timers (the sequencer replica,
 * client, leader selection, catch-up), a serial apply executor (the delivery engine: application code) and a serial
 * background executor (writing snapshots). On a server these are threads ({@link ThreadedRuntime}); in the
 * simulation, events in virtual time. Each executor runs its tasks one at a time, in order.
 */
public interface NodeRuntime extends AutoCloseable {

    /** The protocol executor's clock and timers; its tasks run on the protocol executor. */
    Scheduler scheduler();

    Executor protocol();

    Executor apply();

    Executor background();

    /** Told when a protocol task throws: the node stops (fail-stop). Set once, before anything runs. */
    void onProtocolFailure(Consumer<Throwable> handler);

    /** Stops every executor; queued tasks are dropped. */
    @Override
    void close();
}
