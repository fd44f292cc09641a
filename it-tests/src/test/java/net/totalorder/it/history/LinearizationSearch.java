package net.totalorder.it.history;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides whether one history (usually one independent part) is linearizable from a given initial state: the search
 * of Wing and Gong (1993) with the improvements of Lowe (2017), as in Porcupine.
 *
 * <p>The invocations and responses form one time-ordered list. The search walks it from the start: an invocation
 * found before any pending response may be linearized next (every operation that responded before it was invoked is
 * already linearized), if the model's result matches the recorded outcome; it is then lifted out of the list and the
 * walk restarts. Reaching the response of an operation not yet linearized means no candidate is left, so the search
 * backtracks. A configuration (set of linearized operations, model state) that was reached before is not explored
 * again (Lowe's memoization; the state compares by value), nor is one dominated by an earlier one ({@link Explored}).
 * An UNKNOWN operation has no response in the list (it
 * never blocks anything, as if it responded at +infinity), its result is not compared, and it need not be linearized
 * at all, which is why the search succeeds once every operation with a known outcome is linearized. Linearizing an
 * UNKNOWN operation that would change nothing is skipped: keeping it for later offers every option that placing it now
 * does.
 *
 * <p>Each loop iteration counts one step against the budget; running out gives {@link Verdict#BUDGET_EXHAUSTED},
 * never a pass. Stateless; each {@link #run} call uses its own data, so calls may run on several threads.
 */
final class LinearizationSearch {

    enum Verdict { LINEARIZABLE, NOT_LINEARIZABLE, BUDGET_EXHAUSTED }

    /**
     * The verdict and the steps used. {@code latestBlockNanos} is the latest response time at which some branch of
     * the search got stuck (the earliest response not yet linearized in that branch; {@link Long#MIN_VALUE} if none
     * did): every prefix of the history that ends before it is linearizable, since that branch linearized all of it.
     */
    record Result(Verdict verdict, long steps, long latestBlockNanos) {
    }

    private LinearizationSearch() {
    }

    /** {@link #run(SequentialDerms, List, BitSet, long)} comparing every known outcome. */
    static Result run(SequentialDerms initialState, List<Operation> operations, long stepBudget) {
        return run(initialState, operations, new BitSet(), stepBudget);
    }

    /**
     * Searches for a linearization of {@code operations} from {@code initialState}. The known operations whose indices
     * are in {@code outcomeIgnored} must still be linearized between their invocation and response, but any result
     * the model gives them is accepted (the shrinker's sound relaxation of a recorded outcome).
     */
    static Result run(SequentialDerms initialState, List<Operation> operations, BitSet outcomeIgnored,
                      long stepBudget) {
        EventList events = new EventList(operations);
        BitSet linearizedKnown = new BitSet(operations.size());
        BitSet linearizedUnknown = new BitSet(operations.size());
        int knownLeft = (int) operations.stream().filter(Operation::known).count();
        Explored explored = new Explored();
        Deque<Frame> stack = new ArrayDeque<>();
        SequentialDerms state = initialState;
        Entry entry = events.first();
        long steps = 0;
        long latestBlock = Long.MIN_VALUE;
        while (knownLeft > 0) {
            if (steps++ >= stepBudget) {
                return new Result(Verdict.BUDGET_EXHAUSTED, steps, latestBlock);
            }
            if (entry.invocation) {
                Operation operation = operations.get(entry.operation);
                SequentialDerms.Step step = state.apply(operation.call());
                boolean linearizeNow;
                if (!operation.known()) {
                    linearizeNow = !step.state().equals(state);
                } else {
                    linearizeNow = outcomeIgnored.get(entry.operation)
                            || ((Outcome.Observed) operation.outcome()).matches(operation.call(), step.result());
                }
                if (linearizeNow) {
                    BitSet linearized = operation.known() ? linearizedKnown : linearizedUnknown;
                    linearized.set(entry.operation);
                    if (explored.firstVisit(linearizedKnown, linearizedUnknown, step.state())) {
                        stack.push(new Frame(entry, state));
                        state = step.state();
                        knownLeft -= operation.known() ? 1 : 0;
                        events.lift(entry);
                        entry = events.first();
                        continue;
                    }
                    linearized.clear(entry.operation);
                }
                entry = entry.next;
            } else {
                latestBlock = Math.max(latestBlock, entry.time);
                if (stack.isEmpty()) {
                    return new Result(Verdict.NOT_LINEARIZABLE, steps, latestBlock);
                }
                Frame undone = stack.pop();
                state = undone.stateBefore;
                boolean known = operations.get(undone.invocation.operation).known();
                (known ? linearizedKnown : linearizedUnknown).clear(undone.invocation.operation);
                knownLeft += known ? 1 : 0;
                events.unlift(undone.invocation);
                entry = undone.invocation.next;
            }
        }
        return new Result(Verdict.LINEARIZABLE, steps, latestBlock);
    }

    private record Configuration(BitSet linearizedKnown, SequentialDerms state) {
    }

    /**
     * The configurations reached so far (Lowe's memoization), extended by dominance for UNKNOWN operations: a
     * configuration is not worth exploring if one with the same linearized known operations and the same state, but
     * a subset of its linearized UNKNOWN operations, was reached before, because every way on from it is open from
     * that one too (UNKNOWN operations never block and may be left out). Without UNKNOWN operations this is exact
     * matching. Confined to one {@link #run} call.
     */
    private static final class Explored {
        private final Map<Configuration, List<BitSet>> unknownSetsByConfiguration = new HashMap<>();

        /** Records the configuration; false if it, or one that dominates it, was reached before. */
        boolean firstVisit(BitSet linearizedKnown, BitSet linearizedUnknown, SequentialDerms state) {
            Configuration configuration = new Configuration(linearizedKnown, state);
            List<BitSet> unknownSets = unknownSetsByConfiguration.get(configuration);
            if (unknownSets == null) {
                unknownSets = new ArrayList<>(1);
                unknownSetsByConfiguration.put(new Configuration((BitSet) linearizedKnown.clone(), state), unknownSets);
            } else {
                for (BitSet seen : unknownSets) {
                    BitSet notInCurrent = (BitSet) seen.clone();
                    notInCurrent.andNot(linearizedUnknown);
                    if (notInCurrent.isEmpty()) {
                        return false;
                    }
                }
            }
            unknownSets.add((BitSet) linearizedUnknown.clone());
            return true;
        }
    }

    /** A linearized operation (its invocation entry) and the state before it, to backtrack to. */
    private record Frame(Entry invocation, SequentialDerms stateBefore) {
    }

    /** An invocation or response in the doubly linked event list; a lifted entry keeps its links to be relinked. */
    private static final class Entry {
        final int operation;
        final boolean invocation;
        final long time;
        /** The response of an invocation entry; null for a response and for an UNKNOWN operation. */
        Entry response;
        Entry previous;
        Entry next;

        Entry(int operation, boolean invocation, long time) {
            this.operation = operation;
            this.invocation = invocation;
            this.time = time;
        }
    }

    /**
     * The events in time order behind a sentinel head. At equal times invocations come first: real-time order needs
     * a response strictly before an invocation. Lifting and relinking follow the dancing-links discipline (relink in
     * the reverse order of unlinking), which the search's stack guarantees.
     */
    private static final class EventList {
        private final Entry head = new Entry(-1, false, Long.MIN_VALUE);

        EventList(List<Operation> operations) {
            List<Entry> entries = new ArrayList<>();
            for (int i = 0; i < operations.size(); i++) {
                Operation operation = operations.get(i);
                Entry invocation = new Entry(i, true, operation.invokeNanos());
                entries.add(invocation);
                if (operation.known()) {
                    invocation.response = new Entry(i, false, operation.responseNanos());
                    entries.add(invocation.response);
                }
            }
            entries.sort(Comparator.comparingLong((Entry entry) -> entry.time)
                    .thenComparing(entry -> !entry.invocation));
            Entry last = head;
            for (Entry entry : entries) {
                last.next = entry;
                entry.previous = last;
                last = entry;
            }
        }

        Entry first() {
            return head.next;
        }

        void lift(Entry invocation) {
            unlink(invocation);
            if (invocation.response != null) {
                unlink(invocation.response);
            }
        }

        void unlift(Entry invocation) {
            if (invocation.response != null) {
                relink(invocation.response);
            }
            relink(invocation);
        }

        private static void unlink(Entry entry) {
            entry.previous.next = entry.next;
            if (entry.next != null) {
                entry.next.previous = entry.previous;
            }
        }

        private static void relink(Entry entry) {
            entry.previous.next = entry;
            if (entry.next != null) {
                entry.next.previous = entry;
            }
        }
    }
}
