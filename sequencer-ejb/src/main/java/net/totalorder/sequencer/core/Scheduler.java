package net.totalorder.sequencer.core;

/**
 * Time and timers for one protocol object. Tasks run on the same serial executor as message handling, so the
 * protocol never sees two events at once. The clock is local and unsynchronised (timed asynchronous model);
 * it only measures timeouts.
 */
public interface Scheduler {

    /** Milliseconds of a monotonic local clock. */
    long nowMillis();

    /** Runs {@code task} once, {@code delayMillis} from now, on the protocol's executor. */
    Cancellable schedule(long delayMillis, Runnable task);

    /** A scheduled task that may be cancelled; cancelling a task that already ran does nothing. */
    interface Cancellable {
        void cancel();
    }
}
