package net.totalorder.bench.member;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.HdrHistogram.Histogram;

import net.totalorder.bench.protocol.MemberResult;

/**
 * The closed-loop load of one member: each of its threads asks the service for the next number, waits for it,
 * and asks again at once. Every number obtained is kept (for the uniqueness proof); operations that complete
 * while recording is on are counted and their latencies recorded.
 *
 * <p>Threading: the load threads run {@link SequenceService#next}; {@link #startRecording} and {@link #stop} are
 * called by the member's main thread, once each and in that order.
 */
final class LoadGenerator {

    private static final System.Logger LOG = System.getLogger(LoadGenerator.class.getName());
    /** Pause of a load thread after a failed operation, so that a service failing fast is not spun on. */
    private static final long PAUSE_AFTER_ERROR_MILLIS = 10;

    private final SequenceService service;
    private final long[] obtainedBefore;
    /** The load reads instead of taking numbers; every value read must be at least this member's first number. */
    private final boolean reads;
    private final List<LoadThread> threads = new ArrayList<>();
    private volatile boolean recording;
    private volatile boolean stopping;
    private long recordingStartedAt;
    private long cpuAtRecordingStart;

    private LoadGenerator(SequenceService service, boolean reads, long[] obtainedBefore) {
        this.service = service;
        this.reads = reads;
        this.obtainedBefore = obtainedBefore.clone();
    }

    /**
     * Starts {@code clients} load threads; nothing is recorded until {@link #startRecording}.
     *
     * @param obtainedBefore numbers this member obtained before the load, kept with the load's numbers
     */
    static LoadGenerator start(SequenceService service, int clients, long... obtainedBefore) {
        return start(service, clients, false, obtainedBefore);
    }

    /**
     * As above; with {@code reads}, each thread reads the service's value instead of taking numbers, and a value
     * below the numbers obtained before the load (a stale read) fails the member.
     */
    static LoadGenerator start(SequenceService service, int clients, boolean reads, long... obtainedBefore) {
        LoadGenerator load = new LoadGenerator(service, reads, obtainedBefore);
        for (int i = 0; i < clients; i++) {
            LoadThread thread = load.new LoadThread("load-" + i);
            load.threads.add(thread);
            thread.start();
        }
        return load;
    }

    void startRecording() {
        cpuAtRecordingStart = processCpuNanos();
        recordingStartedAt = System.nanoTime();
        recording = true;
    }

    /**
     * Stops recording, then the load threads, each after its operation in progress.
     *
     * @param patience how long to wait for each thread's operation in progress to end
     * @return what was recorded
     * @throws IllegalStateException when a thread is still in its operation after {@code patience}
     */
    MemberResult stop(Duration patience) throws InterruptedException {
        recording = false;
        long nanos = System.nanoTime() - recordingStartedAt;
        long cpuNanos = processCpuNanos() - cpuAtRecordingStart;
        stopping = true;
        Histogram latencies = new Histogram(3);
        long ops = 0;
        long errors = 0;
        long numbers = obtainedBefore.length;
        for (LoadThread thread : threads) {
            thread.join(patience.toMillis());
            if (thread.isAlive()) {
                throw new IllegalStateException(thread.getName() + " is still waiting for a number after "
                        + patience.toSeconds() + " s");
            }
            if (thread.staleRead != null) {
                throw new IllegalStateException(thread.getName() + ": " + thread.staleRead);
            }
            latencies.add(thread.latencies);
            ops += thread.ops;
            errors += thread.errors;
            numbers += thread.numbers.size();
        }
        return new MemberResult(ops, nanos, cpuNanos, errors, numbers, latencies);
    }

    /** The CPU time this JVM has used so far, all threads, user and system; what the OS reports for the process. */
    private static long processCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("the OS reports no CPU time for this process"))
                .toNanos();
    }

    /** Every number obtained, before the load and by it, unsorted; call after {@link #stop}. */
    long[] numbers() {
        long[] all = new long[obtainedBefore.length + threads.stream().mapToInt(t -> t.numbers.size()).sum()];
        System.arraycopy(obtainedBefore, 0, all, 0, obtainedBefore.length);
        int offset = obtainedBefore.length;
        for (LoadThread thread : threads) {
            thread.numbers.copyTo(all, offset);
            offset += thread.numbers.size();
        }
        return all;
    }

    /** One closed-loop client. Its results are read by the main thread only after it has ended. */
    private final class LoadThread extends Thread {

        final LongList numbers = new LongList();
        /** What a stale read returned, if one did. */
        volatile String staleRead;
        final Histogram latencies = new Histogram(3);
        long ops;
        long errors;
        private long failures;

        LoadThread(String name) {
            super(name);
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!stopping) {
                long startedAt = System.nanoTime();
                long number;
                try {
                    number = reads ? service.read() : service.next();
                } catch (Exception e) {
                    if (recording) {
                        errors++;
                    }
                    if (++failures == 1) {
                        LOG.log(System.Logger.Level.WARNING, getName() + ": no number", e);
                    }
                    pauseAfterError();
                    continue;
                }
                long micros = (System.nanoTime() - startedAt) / 1_000;
                if (reads) {
                    long floor = java.util.Arrays.stream(obtainedBefore).max().orElse(0);
                    if (number < floor) {
                        staleRead = "stale read: " + number + ", but " + floor + " was obtained before the load began";
                        return;                             // the member fails at stop
                    }
                } else {
                    numbers.add(number);
                }
                if (recording) {
                    latencies.recordValue(Math.max(1, micros));
                    ops++;
                }
            }
        }

        private void pauseAfterError() {
            try {
                Thread.sleep(PAUSE_AFTER_ERROR_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            }
        }
    }
}
