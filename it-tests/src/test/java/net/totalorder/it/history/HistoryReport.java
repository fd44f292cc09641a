package net.totalorder.it.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Renders operations and verdicts for humans: one line per operation with client, invocation and response times in
 * milliseconds since an origin (the first invocation of the whole history), call and outcome. Stateless; safe to share
 * between threads.
 */
final class HistoryReport {

    private HistoryReport() {
    }

    static String violation(ViolationShrinker.Shrunk shrunk, SequentialDerms partInitialState, int partOperations,
                            long origin) {
        List<ViolationShrinker.Checked> lines = new ArrayList<>(shrunk.subHistory());
        lines.sort(Comparator.comparingLong(line -> line.operation().invokeNanos()));
        StringBuilder report = new StringBuilder("Not linearizable: from the initial state below, no order of the ")
                .append(count(lines.size(), "operation")).append(" below that respects real time gives the "
                        + "recorded outcomes (shrunk from an independent part of ")
                .append(count(partOperations, "operation"))
                .append("; times in ms since the first invocation of the history).\n");
        report.append("Initial state of the part:\n").append(initialState(partInitialState));
        report.append(table(lines, origin));
        if (lines.stream().anyMatch(line -> line.mode() == ViolationShrinker.Mode.UNKNOWN)) {
            report.append("UNKNOWN: may take effect any time after its invocation, or never.\n");
        }
        String putBack = "with the deleted state-changing operations of the part"
                + (shrunk.cutNanos() == Long.MAX_VALUE ? "" : " invoked by " + millis(shrunk.cutNanos(), origin) + " ms")
                + " put back (" + shrunk.putBackAsRecorded() + " that responded before these began as recorded, "
                + shrunk.putBackNotCompared() + " overlapping these with outcomes not compared)";
        report.append(switch (shrunk.certification()) {
            case CERTIFIED -> shrunk.putBackAsRecorded() + shrunk.putBackNotCompared() == 0 ? ""
                    : "Certified: " + putBack + ", there is still no linearization.\n";
            case REFUTED -> "NOT certified: " + putBack + ", there is a linearization, so the violation also "
                    + "depends on the outcomes of those operations.\n";
            case UNDECIDED -> "Not certified: the check " + putBack + " ran out of its step budget.\n";
        });
        if (shrunk.budgetExhausted()) {
            report.append("Shrinking stopped at its step budget; a smaller sub-history may exist.\n");
        }
        return report.toString();
    }

    static String inconclusive(List<Operation> part, long stepBudget, long origin) {
        long first = part.stream().mapToLong(Operation::invokeNanos).min().orElse(origin);
        long last = part.stream().mapToLong(Operation::responseNanos).max().orElse(origin);
        return "Inconclusive: the search over an independent part of " + part.size() + " operations (invoked from "
                + millis(first, origin) + " to " + millis(last, origin) + " ms) used its budget of " + stepBudget
                + " steps without finding a linearization or proving there is none. This is not a pass: raise the "
                + "budget or check shorter histories.\n";
    }

    private static String outcome(ViolationShrinker.Checked line) {
        Operation operation = line.operation();
        return operation.known() && line.mode() == ViolationShrinker.Mode.UNKNOWN
                ? operation.outcome() + " (responded after the cut: UNKNOWN)" : operation.outcome().toString();
    }

    private static String initialState(SequentialDerms state) {
        StringBuilder text = new StringBuilder();
        // Skip the canonical header; indent waiting and held lines under their resource.
        state.canonicalText().lines().skip(1).forEach(line ->
                text.append(line.startsWith("resource ") ? "  " : "      ").append(line).append('\n'));
        return text.length() == 0 ? "  (no resources)\n" : text.toString();
    }

    private static String table(List<ViolationShrinker.Checked> lines, long origin) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"client", "invoked", "responded", "call", "outcome"});
        for (ViolationShrinker.Checked line : lines) {
            Operation operation = line.operation();
            rows.add(new String[] {operation.clientId(), millis(operation.invokeNanos(), origin),
                    operation.known() ? millis(operation.responseNanos(), origin) : "never",
                    operation.call().toString(), outcome(line)});
        }
        int[] widths = new int[5];
        rows.forEach(row -> {
            for (int column = 0; column < widths.length; column++) {
                widths[column] = Math.max(widths[column], row[column].length());
            }
        });
        StringBuilder table = new StringBuilder();
        for (String[] row : rows) {
            table.append("  ").append(pad(row[0], widths[0], false)).append("  ")
                    .append(pad(row[1], widths[1], true)).append("  ").append(pad(row[2], widths[2], true))
                    .append("  ").append(pad(row[3], widths[3], false)).append("  ").append(row[4]).append('\n');
        }
        return table.toString();
    }

    private static String pad(String text, int width, boolean right) {
        String padding = " ".repeat(width - text.length());
        return right ? padding + text : text + padding;
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String millis(long nanos, long origin) {
        return String.format(Locale.ROOT, "%.3f", (nanos - origin) / 1e6);
    }
}
