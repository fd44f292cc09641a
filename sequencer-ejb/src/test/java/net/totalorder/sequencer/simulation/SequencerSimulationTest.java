package net.totalorder.sequencer.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The sequencer under seeded faults: a fixed set of {@value #DEFAULT_SEEDS} schedules (more with
 * {@code -Dseeds=N}, or exactly one with {@code -Dseed=S}), each checked for P1–P5 and Uniform Output by
 * {@link RandomizedRun}. Fresh, never-seen seeds: {@link SequencerBurn}.
 */
class SequencerSimulationTest {

    static final int DEFAULT_SEEDS = 5000;
    /** First seed of the fixed set; changing it changes which schedules CI runs. */
    static final long FIRST_SEED = 1;
    /**
     * Seeds that once failed, kept in the fixed set: 881172614665590274 (a restarted replica adopted a state read
     * before a later epoch, together with a definitive bound learned after it, and could not mark its own log
     * definitive: recovery now adopts no state at all), 3327302447641552563 (a backup restarted without state was
     * refused as stale by its primary, which still counted its old acknowledgements: followers now carry their
     * incarnation), 3327302447641558384 (refusals of a catching-up backup each triggered a whole chunk of
     * messages: lagging backups now get one message per answer), 621521204876828558 (the run stabilised before
     * any replica had recovered).
     */
    static final long[] REGRESSION_SEEDS = {881172614665590274L, 3327302447641552563L, 3327302447641558384L,
            621521204876828558L};

    @Test
    void fixedSeeds_allSatisfyP1toP5() {
        Long single = Long.getLong("seed");
        SeedRunner.Summary summary = single != null
                ? SeedRunner.run(single, 1)
                : SeedRunner.run(FIRST_SEED, Long.getLong("seeds", DEFAULT_SEEDS));
        System.out.println("sequencer simulation: " + summary.describe());
        if (!summary.failures().isEmpty()) {
            throw summary.failures().get(0);
        }
        assertTrue(summary.ordered() > 0, "the runs ordered nothing");
    }

    @Test
    void seedsThatOnceFailed_nowSatisfyP1toP5() {
        for (long seed : REGRESSION_SEEDS) {
            RandomizedRun.Result r = RandomizedRun.run(seed);   // throws SimulationFailure naming the seed
            assertTrue(r.definitive() > 0, "seed " + seed + " ordered nothing");
        }
    }

    @Test
    void sameSeedTwice_givesTheSameTrace() {
        for (long seed : new long[] {7, 42, 314}) {
            RandomizedRun.Result first = RandomizedRun.run(seed);
            RandomizedRun.Result second = RandomizedRun.run(seed);
            assertEquals(first, second, "seed " + seed + " ran differently twice");
        }
        assertNotEquals(RandomizedRun.run(7).traceHash(), RandomizedRun.run(8).traceHash());
    }
}
