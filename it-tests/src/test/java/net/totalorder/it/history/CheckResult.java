package net.totalorder.it.history;

import java.util.Comparator;
import java.util.List;

/**
 * The verdict of {@link LinearizabilityChecker#check}: {@link Linearizable}, {@link Violation} with a minimal offending
 * sub-history, or {@link Inconclusive} when the search budget ran out (never to be taken as a pass). Every verdict
 * carries a human-readable {@link #report()}. Immutable; safe to share between threads.
 */
public sealed interface CheckResult {

    /** A readable explanation of the verdict, for logs and assertion messages. */
    String report();

    /** Every independent part of the history has a linearization. */
    record Linearizable(int operations, int parts, long searchSteps) implements CheckResult {
        @Override
        public String report() {
            return "Linearizable: " + operations + " operations in " + parts + " independent part"
                    + (parts == 1 ? "" : "s") + " (" + searchSteps + " search steps).";
        }
    }

    /**
     * No linearization exists: that verdict is certain (the search of one independent part failed). To show why,
     * {@code minimalSubHistory} (in invocation order) is a sub-history of that part that is not linearizable on its
     * own, from the part's initial state, because of the outcomes of its operations that respond at the point where
     * the part first fails; no other operation can be removed without losing that. {@code certification} says
     * whether the rest of the part could explain it. The report shows the initial state and the sub-history, one
     * line per operation.
     */
    record Violation(List<Operation> minimalSubHistory, Certification certification, int partOperations,
                     String report) implements CheckResult {
        public Violation {
            minimalSubHistory = minimalSubHistory.stream().sorted(Comparator.comparingLong(Operation::invokeNanos))
                    .toList();
        }
    }

    /**
     * Whether a violation's minimal sub-history stands for the whole history: it is checked once more with the
     * state-changing operations of the part (up to its first failure) that shrinking deleted put back, those that
     * responded before the sub-history began as recorded, the overlapping ones with their outcomes not compared.
     */
    enum Certification {
        /** Still not linearizable: the rest of the part cannot explain the sub-history. */
        CERTIFIED,
        /** Linearizable then: the violation also depends on the outcomes of deleted operations; look wider. */
        REFUTED,
        /** The certifying search ran out of its step budget. */
        UNDECIDED
    }

    /** The search of one independent part of {@code partOperations} operations ran out of its step budget. */
    record Inconclusive(int partOperations, long stepBudget, String report) implements CheckResult {
    }
}
