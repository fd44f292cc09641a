package net.totalorder.it.history;

import java.util.List;

/**
 * Checks recorded histories of the replicated DERMS service for linearizability against the sequential DERMS model
 * (the domain model's semantics): is there one order of the operations, each taking effect at one instant between its
 * invocation and its response, that gives every recorded outcome? Real-time order: an operation is linearized after
 * every operation that responded before it was invoked. An UNKNOWN operation may be linearized at any point after its
 * invocation, or not at all, and its outcome is not compared. Known outcomes are compared on status and, for
 * {@code listResourceAvailability}/{@code findResource}, on the resource list (IDs, types, durations, order); messages
 * are never compared.
 *
 * <p>The history is first split into independent parts ({@link HistoryDecomposition} documents the assumptions); each
 * part is searched ({@link LinearizationSearch}: Wing and Gong with Lowe's memoization) within a step budget. A
 * violation is shrunk to a minimal offending sub-history ({@link ViolationShrinker}); a part whose search runs out of
 * budget makes the verdict {@link CheckResult.Inconclusive}, which {@link #assertLinearizable} treats as a failure.
 *
 * <p>Invariant: the step budget is positive. Immutable; one checker may check histories on several threads at once.
 */
public final class LinearizabilityChecker {

    /**
     * Search steps allowed per independent part, roughly a second of search; shrinking a violation may use
     * {@value ViolationShrinker#SHRINK_BUDGET_FACTOR} times more, and its certification once more.
     */
    public static final long DEFAULT_STEP_BUDGET = 2_000_000;

    private final long stepBudget;

    public LinearizabilityChecker() {
        this(DEFAULT_STEP_BUDGET);
    }

    public LinearizabilityChecker(long stepBudget) {
        if (stepBudget <= 0) {
            throw new IllegalArgumentException("step budget must be positive: " + stepBudget);
        }
        this.stepBudget = stepBudget;
    }

    /**
     * Checks {@code history} starting from the state that {@code setup} produces when applied in order to an empty
     * DERMS (their results are ignored; use them to create resources and holdings before the history starts).
     */
    public CheckResult check(List<DermsCall> setup, List<Operation> history) {
        SequentialDerms initialState = SequentialDerms.after(setup);
        long origin = history.stream().mapToLong(Operation::invokeNanos).min().orElse(0);
        List<HistoryDecomposition.Part> parts = HistoryDecomposition.split(initialState, history);
        long steps = 0;
        CheckResult.Inconclusive inconclusive = null;
        for (HistoryDecomposition.Part part : parts) {
            LinearizationSearch.Result result = LinearizationSearch.run(part.initialState(), part.operations(),
                    stepBudget);
            steps += result.steps();
            switch (result.verdict()) {
                case NOT_LINEARIZABLE -> {
                    ViolationShrinker.Shrunk shrunk =
                            new ViolationShrinker(part.initialState(), part.operations(), stepBudget).shrink(result);
                    return new CheckResult.Violation(
                            shrunk.subHistory().stream().map(ViolationShrinker.Checked::operation).toList(),
                            shrunk.certification(), part.operations().size(),
                            HistoryReport.violation(shrunk, part.initialState(), part.operations().size(), origin));
                }
                case BUDGET_EXHAUSTED -> {
                    // Keep looking: a violation in another part is a definite answer.
                    if (inconclusive == null) {
                        inconclusive = new CheckResult.Inconclusive(part.operations().size(), stepBudget,
                                HistoryReport.inconclusive(part.operations(), stepBudget, origin));
                    }
                }
                case LINEARIZABLE -> {
                    // Nothing to report for this part.
                }
            }
        }
        return inconclusive != null ? inconclusive : new CheckResult.Linearizable(history.size(), parts.size(), steps);
    }

    /** {@link #check}, throwing an {@link AssertionError} with the report unless the history is linearizable. */
    public CheckResult.Linearizable assertLinearizable(List<DermsCall> setup, List<Operation> history) {
        CheckResult result = check(setup, history);
        if (result instanceof CheckResult.Linearizable linearizable) {
            return linearizable;
        }
        throw new AssertionError(result.report());
    }
}
