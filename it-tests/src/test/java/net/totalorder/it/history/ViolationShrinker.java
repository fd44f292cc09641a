package net.totalorder.it.history;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * Shrinks a non-linearizable history (one independent part) to a small sub-history that still shows the violation.
 * <ol>
 *   <li><b>Cut</b> at the earliest response time T whose prefix is not linearizable. The prefix drops the operations
 *       invoked after T and treats those that responded after T as UNKNOWN (they may or may not have taken effect by
 *       T). Sound: a linearization of a history gives one of each of its prefixes, so failing is also monotone in T,
 *       and T is found by galloping up from where the failed search got furthest, then bisecting.</li>
 *   <li><b>Settle the culprits</b>: the fewest operations responding at T whose outcomes must stay compared for the
 *       prefix to fail; the others responding at T become UNKNOWN (sound: that only adds linearizations).</li>
 *   <li><b>Delete</b> other operations while the rest still <em>fails because of the culprits</em>: it is not
 *       linearizable, but it is once the culprits become UNKNOWN. Deleting an effect-free operation (listing, find,
 *       known FAILURE) is sound, since leaving out an operation that never changes the state keeps a linearization
 *       valid. Deleting a state-changing one is not (it may be what explains another outcome), but requiring the
 *       culprits to be the cause rejects the deletions that leave another outcome unexplained (a return without its
 *       request), and step 4 checks the rest. Candidates are tried first as a window (the latest-invoked
 *       operations, in doubling numbers, to keep the searches small), then in chunks of halving size down to single
 *       operations, repeated until nothing more can be deleted; so every remaining operation is needed.</li>
 *   <li><b>Certify</b> the sub-history: check it once more with the deleted state-changing operations put back,
 *       those that responded before the sub-history's first invocation as recorded, the others with their outcomes
 *       not compared (each takes effect between its invocation and its response, with any result; UNKNOWN ones stay
 *       UNKNOWN). That history is a relaxation of the cut prefix, so a failure proves that the recorded history is
 *       not linearizable and that neither the earlier history nor any outcome of the overlapping operations explains
 *       the sub-history. If it is linearizable (refuted), the fewest of the relaxed or left-out operations whose
 *       recorded outcomes make it fail again join the sub-history, and it is certified again (a few times).</li>
 * </ol>
 * Relaxing instead of deleting in step 3 would keep every step sound, but hundreds of operations with uncompared
 * outcomes make the search explore all their orders; deleting keeps each check as narrow as the recorded outcomes
 * make it, and step 4 relaxes only the operations that overlap the sub-history.
 *
 * <p>A check that runs out of its step budget counts as "not shown to fail", and steps 1 to 3 stop accepting changes
 * once they have used {@link #SHRINK_BUDGET_FACTOR} times the step budget, so the budget can leave a larger
 * sub-history, never a wrong one. Confined to the thread that calls {@link #shrink}.
 */
final class ViolationShrinker {

    /** Steps 1 to 3, and step 4, may each use this many times the per-search step budget in total. */
    static final int SHRINK_BUDGET_FACTOR = 5;

    /** How often step 4 may widen a refuted sub-history. */
    private static final int MAX_REPAIRS = 3;

    /** How an operation of the failing part takes part in a candidate history. */
    enum Mode {
        /** As recorded: a known outcome is compared. */
        RECORDED,
        /** Takes effect between invocation and response; its outcome is not compared. */
        NOT_COMPARED,
        /** UNKNOWN: may take effect any time after its invocation, or never. */
        UNKNOWN,
        DROPPED
    }

    /** An operation of the shrunk sub-history with the way it was checked. */
    record Checked(Operation operation, Mode mode) {
    }

    /**
     * The sub-history in part order; the cut time ({@link Long#MAX_VALUE} when the part was kept whole); how many
     * deleted state-changing operations the certification put back as recorded and with outcomes not compared; its
     * verdict; whether steps 1 to 3 ran out of budget (then a smaller sub-history may exist).
     */
    record Shrunk(List<Checked> subHistory, long cutNanos, int putBackAsRecorded, int putBackNotCompared,
                  CheckResult.Certification certification, boolean budgetExhausted) {
    }

    private final SequentialDerms initialState;
    private final List<Operation> operations;
    private final long stepBudget;
    private final long shrinkBudget;
    private long stepsLeft;

    ViolationShrinker(SequentialDerms initialState, List<Operation> failingOperations, long stepBudget) {
        this.initialState = initialState;
        this.operations = List.copyOf(failingOperations);
        this.stepBudget = stepBudget;
        this.shrinkBudget = stepBudget > Long.MAX_VALUE / SHRINK_BUDGET_FACTOR ? Long.MAX_VALUE
                : stepBudget * SHRINK_BUDGET_FACTOR;
        this.stepsLeft = shrinkBudget;
    }

    /** Shrinks the part, given the result of the search that found it not linearizable. */
    Shrunk shrink(LinearizationSearch.Result failedSearch) {
        long cut = earliestFailingCut(failedSearch.latestBlockNanos());
        Mode[] modes = prefix(cut);
        List<Integer> culprits = cut == Long.MAX_VALUE ? List.of() : settleCulprits(modes, cut);
        Mode[] settled = modes.clone();
        // Without a cut (budget), fall back to "still fails"; step 4 still checks the result.
        Predicate<Mode[]> showsViolation = culprits.isEmpty() ? this::fails
                : trial -> fails(trial) && !fails(withUnknown(trial, culprits));
        narrowToWindow(modes, culprits, showsViolation);
        // Repeat: deleting a return can make its request deletable, which the single-operation pass has passed by.
        int keptBefore;
        do {
            keptBefore = indices(i -> modes[i] != Mode.DROPPED).size();
            dropWhile(modes, indices(i -> modes[i] != Mode.DROPPED && !culprits.contains(i)), showsViolation);
        } while (indices(i -> modes[i] != Mode.DROPPED).size() < keptBefore && stepsLeft > 0);
        boolean budgetExhausted = stepsLeft <= 0;

        stepsLeft = shrinkBudget; // certification gets an allowance of its own
        PutBack putBack = putBack(modes, settled);
        CheckResult.Certification certification = certify(putBack);
        for (int repair = 0; repair < MAX_REPAIRS && certification == CheckResult.Certification.REFUTED; repair++) {
            Mode[] refuted = putBack.modes;
            List<Integer> relaxed = indices(i -> refuted[i] != settled[i]);
            if (!fails(restored(refuted, relaxed, settled))) {
                break; // even the settled prefix is not shown to fail within the budget
            }
            minimize(relaxed, kept -> fails(restored(refuted, kept, settled))).forEach(i -> modes[i] = settled[i]);
            putBack = putBack(modes, settled);
            certification = certify(putBack);
        }
        List<Checked> subHistory = indices(i -> modes[i] != Mode.DROPPED).stream()
                .map(i -> new Checked(operations.get(i), modes[i])).toList();
        return new Shrunk(subHistory, cut, putBack.asRecorded, putBack.notCompared, certification, budgetExhausted);
    }

    /** The history that certifies {@code subHistory}, and how many operations it put back in which way. */
    private record PutBack(Mode[] modes, int asRecorded, int notCompared) {
    }

    /**
     * The sub-history with the deleted state-changing operations of {@code settled} put back: as recorded if they
     * responded before the sub-history began, else with outcomes not compared (UNKNOWN ones stay UNKNOWN). Deleted
     * effect-free operations stay out (leaving them out is sound).
     */
    private PutBack putBack(Mode[] subHistory, Mode[] settled) {
        long start = indices(i -> subHistory[i] != Mode.DROPPED).stream()
                .mapToLong(i -> operations.get(i).invokeNanos()).min().orElseThrow();
        Mode[] modes = subHistory.clone();
        int asRecorded = 0;
        int notCompared = 0;
        for (int i : indices(i -> settled[i] != Mode.DROPPED && subHistory[i] == Mode.DROPPED
                && !operations.get(i).effectFree())) {
            boolean earlier = settled[i] == Mode.RECORDED && operations.get(i).responseNanos() < start;
            modes[i] = earlier || settled[i] == Mode.UNKNOWN ? settled[i] : Mode.NOT_COMPARED;
            asRecorded += earlier ? 1 : 0;
            notCompared += earlier ? 0 : 1;
        }
        return new PutBack(modes, asRecorded, notCompared);
    }

    private CheckResult.Certification certify(PutBack putBack) {
        if (putBack.asRecorded + putBack.notCompared == 0) {
            return CheckResult.Certification.CERTIFIED; // the sub-history is the settled prefix minus effect-free ones
        }
        LinearizationSearch.Result result = search(putBack.modes, Math.min(stepBudget, Math.max(1, stepsLeft)));
        stepsLeft -= result.steps();
        return switch (result.verdict()) {
            case NOT_LINEARIZABLE -> CheckResult.Certification.CERTIFIED;
            case LINEARIZABLE -> CheckResult.Certification.REFUTED;
            case BUDGET_EXHAUSTED -> CheckResult.Certification.UNDECIDED;
        };
    }

    /** {@code modes} with the given operations back in their {@code settled} modes. */
    private static Mode[] restored(Mode[] modes, List<Integer> restore, Mode[] settled) {
        Mode[] result = modes.clone();
        restore.forEach(i -> result[i] = settled[i]);
        return result;
    }

    /**
     * The earliest known response time whose prefix fails. Prefixes ending before {@code latestBlock} are known to be
     * linearizable, and the violation usually shows right there, so the search gallops up from it (passing checks
     * are cheap, failing ones exhaustive) and then bisects. {@link Long#MAX_VALUE} (the whole part) when no prefix is
     * shown to fail within the budget.
     */
    private long earliestFailingCut(long latestBlock) {
        long[] cutTimes = operations.stream().filter(Operation::known).mapToLong(Operation::responseNanos)
                .filter(time -> time >= latestBlock).sorted().distinct().toArray();
        int passing = -1;
        int failing = -1;
        for (int step = 1; failing < 0 && passing < cutTimes.length - 1; step *= 2) {
            int candidate = Math.min(passing + step, cutTimes.length - 1);
            if (fails(prefix(cutTimes[candidate]))) {
                failing = candidate;
            } else {
                passing = candidate;
            }
        }
        if (failing < 0) {
            return Long.MAX_VALUE;
        }
        while (failing - passing > 1) {
            int middle = (passing + failing) >>> 1;
            if (fails(prefix(cutTimes[middle]))) {
                failing = middle;
            } else {
                passing = middle;
            }
        }
        return cutTimes[failing];
    }

    /**
     * The fewest operations responding at the cut whose outcomes keep the prefix failing; the others responding at
     * the cut become UNKNOWN in {@code modes}.
     */
    private List<Integer> settleCulprits(Mode[] modes, long cut) {
        List<Integer> atCut = indices(i -> modes[i] == Mode.RECORDED && operations.get(i).responseNanos() == cut);
        List<Integer> culprits = minimize(atCut, kept -> {
            Mode[] trial = modes.clone();
            atCut.stream().filter(i -> !kept.contains(i)).forEach(i -> trial[i] = Mode.UNKNOWN);
            return fails(trial);
        });
        atCut.stream().filter(i -> !culprits.contains(i)).forEach(i -> modes[i] = Mode.UNKNOWN);
        return culprits;
    }

    /**
     * Keeps only the culprits plus the fewest latest-invoked others (in doubling numbers) that still show the
     * violation, if such a window is smaller than the whole candidate. The violation is usually local in time, and
     * small candidates keep the searches cheap.
     */
    private void narrowToWindow(Mode[] modes, List<Integer> culprits, Predicate<Mode[]> showsViolation) {
        List<Integer> others = new ArrayList<>(indices(i -> modes[i] != Mode.DROPPED && !culprits.contains(i)));
        others.sort(Comparator.comparingLong((Integer i) -> operations.get(i).invokeNanos()).reversed());
        for (int added = 0; added < others.size(); added = Math.max(1, added * 2)) {
            Mode[] window = modes.clone();
            others.subList(added, others.size()).forEach(i -> window[i] = Mode.DROPPED);
            if (showsViolation.test(window)) {
                System.arraycopy(window, 0, modes, 0, modes.length);
                return;
            }
        }
    }

    /** {@code modes} with the given operations UNKNOWN. */
    private static Mode[] withUnknown(Mode[] modes, List<Integer> relaxed) {
        Mode[] result = modes.clone();
        relaxed.forEach(i -> result[i] = Mode.UNKNOWN);
        return result;
    }

    /** The prefix at time {@code cut}: later invocations dropped, later (or no) responses UNKNOWN. */
    private Mode[] prefix(long cut) {
        Mode[] modes = new Mode[operations.size()];
        for (int i = 0; i < modes.length; i++) {
            Operation operation = operations.get(i);
            modes[i] = operation.invokeNanos() > cut ? Mode.DROPPED
                    : operation.known() && operation.responseNanos() <= cut ? Mode.RECORDED : Mode.UNKNOWN;
        }
        return modes;
    }

    /** Drops chunks of {@code candidates} while {@code holds} stays true for the resulting history. */
    private void dropWhile(Mode[] modes, List<Integer> candidates, Predicate<Mode[]> holds) {
        List<Integer> needed = minimize(candidates, kept -> {
            Set<Integer> keptSet = new HashSet<>(kept);
            Mode[] trial = modes.clone();
            for (int i : candidates) {
                if (!keptSet.contains(i)) {
                    trial[i] = Mode.DROPPED;
                }
            }
            return holds.test(trial);
        });
        Set<Integer> neededSet = new HashSet<>(needed);
        for (int i : candidates) {
            if (!neededSet.contains(i)) {
                modes[i] = Mode.DROPPED;
            }
        }
    }

    /**
     * A small subset of {@code items} that satisfies {@code holds} (which holds for all of them): removes chunks of
     * halving size, down to single items.
     */
    private static List<Integer> minimize(List<Integer> items, Predicate<List<Integer>> holds) {
        List<Integer> kept = new ArrayList<>(items);
        for (int chunk = Math.max(1, kept.size()); ; chunk /= 2) {
            for (int start = 0; start < kept.size(); ) {
                List<Integer> trial = new ArrayList<>(kept.subList(0, start));
                trial.addAll(kept.subList(Math.min(kept.size(), start + chunk), kept.size()));
                if (holds.test(trial)) {
                    kept = trial;
                } else {
                    start += chunk;
                }
            }
            if (chunk == 1) {
                return kept;
            }
        }
    }

    /** Whether the candidate history is shown not linearizable (false once the shrink budget is spent). */
    private boolean fails(Mode[] modes) {
        if (stepsLeft <= 0) {
            return false;
        }
        LinearizationSearch.Result result = search(modes, Math.min(stepBudget, stepsLeft));
        stepsLeft -= result.steps();
        return result.verdict() == LinearizationSearch.Verdict.NOT_LINEARIZABLE;
    }

    private LinearizationSearch.Result search(Mode[] modes, long budget) {
        List<Operation> history = new ArrayList<>();
        BitSet outcomeIgnored = new BitSet();
        for (int i = 0; i < modes.length; i++) {
            switch (modes[i]) {
                case RECORDED -> history.add(operations.get(i));
                case NOT_COMPARED -> {
                    outcomeIgnored.set(history.size());
                    history.add(operations.get(i));
                }
                case UNKNOWN -> history.add(operations.get(i).forgotten());
                case DROPPED -> {
                    // Not part of the candidate.
                }
            }
        }
        return LinearizationSearch.run(initialState, history, outcomeIgnored, budget);
    }

    private List<Integer> indices(IntPredicate selected) {
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < operations.size(); i++) {
            if (selected.test(i)) {
                indices.add(i);
            }
        }
        return indices;
    }
}
