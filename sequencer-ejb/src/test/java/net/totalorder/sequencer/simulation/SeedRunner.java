package net.totalorder.sequencer.simulation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.stream.LongStream;

/**
 * Runs many seeds of a seeded simulation, in parallel over the machine's cores (each run is single-threaded and
 * independent, so parallelism changes no run), and sums up what happened. A run reports its {@link Stats} or
 * throws {@link SimulationFailure}.
 */
public final class SeedRunner {

    /** What one run did: whether it stabilised, how much it ordered, how many messages it sent. */
    public record Stats(boolean stabilised, long ordered, long messages) {
    }

    /** Totals of a batch of runs, and the failures, lowest seed first. */
    public record Summary(long runs, long stabilised, long ordered, long messages, List<SimulationFailure> failures,
                          long wallMillis) {

        public String describe() {
            return String.format("ran %d seeds (%d stabilised) in %.1f s: %d ordered, %d messages; %d failed%s",
                    runs, stabilised, wallMillis / 1000.0, ordered, messages, failures.size(),
                    failures.isEmpty() ? "" : ", failing seeds: "
                            + failures.stream().limit(20).map(f -> Long.toString(f.seed())).toList()
                            + (failures.size() > 20 ? " …" : ""));
        }
    }

    private SeedRunner() {
    }

    /** Runs the sequencer's {@link RandomizedRun} for seeds {@code firstSeed ..}. */
    static Summary run(long firstSeed, long count) {
        return run(firstSeed, count, seed -> {
            RandomizedRun.Result r = RandomizedRun.run(seed);
            return new Stats(r.stabilised(), r.definitive(), r.messages());
        });
    }

    public static Summary run(long firstSeed, long count, LongFunction<Stats> run) {
        long start = System.nanoTime();
        AtomicLong stabilised = new AtomicLong();
        AtomicLong ordered = new AtomicLong();
        AtomicLong messages = new AtomicLong();
        List<SimulationFailure> failures = Collections.synchronizedList(new ArrayList<>());
        LongStream.range(firstSeed, firstSeed + count).parallel().forEach(seed -> {
            try {
                Stats r = run.apply(seed);
                if (r.stabilised()) {
                    stabilised.incrementAndGet();
                }
                ordered.addAndGet(r.ordered());
                messages.addAndGet(r.messages());
            } catch (SimulationFailure f) {
                failures.add(f);
            }
        });
        List<SimulationFailure> sorted = new ArrayList<>(failures);
        sorted.sort((a, b) -> Long.compare(a.seed(), b.seed()));
        return new Summary(count, stabilised.get(), ordered.get(), messages.get(), sorted,
                (System.nanoTime() - start) / 1_000_000);
    }
}
