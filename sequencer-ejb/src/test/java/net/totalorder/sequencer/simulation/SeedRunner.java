package net.totalorder.sequencer.simulation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

/**
 * Runs many seeds of {@link RandomizedRun}, in parallel over the machine's cores (each run is single-threaded
 * and independent, so parallelism changes no run), and sums up what happened.
 */
final class SeedRunner {

    /** Totals of a batch of runs, and the failures, lowest seed first. */
    record Summary(long runs, long stabilised, long definitive, long messages, List<SimulationFailure> failures,
                   long wallMillis) {

        String describe() {
            return String.format("ran %d seeds (%d stabilised) in %.1f s: %d definitive assignments, %d messages; "
                            + "%d failed%s", runs, stabilised, wallMillis / 1000.0, definitive, messages,
                    failures.size(), failures.isEmpty() ? "" : ", failing seeds: "
                            + failures.stream().limit(20).map(f -> Long.toString(f.seed())).toList()
                            + (failures.size() > 20 ? " …" : ""));
        }
    }

    private SeedRunner() {
    }

    static Summary run(long firstSeed, long count) {
        long start = System.nanoTime();
        AtomicLong stabilised = new AtomicLong();
        AtomicLong definitive = new AtomicLong();
        AtomicLong messages = new AtomicLong();
        List<SimulationFailure> failures = Collections.synchronizedList(new ArrayList<>());
        LongStream.range(firstSeed, firstSeed + count).parallel().forEach(seed -> {
            try {
                RandomizedRun.Result r = RandomizedRun.run(seed);
                if (r.stabilised()) {
                    stabilised.incrementAndGet();
                }
                definitive.addAndGet(r.definitive());
                messages.addAndGet(r.messages());
            } catch (SimulationFailure f) {
                failures.add(f);
            }
        });
        List<SimulationFailure> sorted = new ArrayList<>(failures);
        sorted.sort((a, b) -> Long.compare(a.seed(), b.seed()));
        return new Summary(count, stabilised.get(), definitive.get(), messages.get(), sorted,
                (System.nanoTime() - start) / 1_000_000);
    }
}
