package net.totalorder.derms.client;

import java.io.PrintStream;
import java.util.List;

/**
 * Prints results for people, or their raw JSON with {@code --json}. A business result goes to standard output, e.g.
 * {@code SUCCESS (seq 42 via http://localhost:9082): added MTL1001} followed by a table of its resources if it has
 * any; a rejection, an unexpected answer or no answer goes to standard error (with {@code --json} the raw body, if
 * there is one, goes to standard output as well). Not thread-safe: it writes to the streams it was given, from one
 * thread.
 */
final class ResultPrinter {

    private final PrintStream out;
    private final PrintStream err;
    private final boolean json;

    ResultPrinter(PrintStream out, PrintStream err, boolean json) {
        this.out = out;
        this.err = err;
        this.json = json;
    }

    void print(Result result) {
        if (json && result.body() != null) {
            out.println(result.body());
        }
        if (result.outcome() == Result.Outcome.ANSWERED) {
            if (!json) {
                out.print(readable(result));
            }
        } else {
            err.print(readable(result));
        }
        out.flush();
        err.flush();
    }

    void print(List<ReplicaResult> replicas) {
        for (ReplicaResult replica : replicas) {
            if (json && replica.body() != null) {
                out.println(replica.body());
            }
            if (!replica.answered()) {
                err.println(replica.server() + "  NO REPORT: " + replica.problem());
            } else if (!json) {
                ReplicaState state = replica.state();
                out.println(replica.server() + "  node " + state.node() + "  appliedSeq " + state.appliedSeq()
                        + "  digest " + state.digest() + " (at seq " + state.digestSeq() + ")");
            }
        }
        out.flush();
        err.flush();
    }

    /** The readable form of {@code result}: one line, plus the resources table if it has resources. */
    static String readable(Result result) {
        StringBuilder text = new StringBuilder();
        switch (result.outcome()) {
            case ANSWERED -> text.append(result.status()).append(" (").append(origin(result)).append(')')
                    .append(result.message().isEmpty() ? "" : ": " + result.message());
            case REJECTED -> text.append("REJECTED (HTTP ").append(result.httpStatus()).append(' ')
                    .append(origin(result)).append("): ").append(result.message())
                    .append(result.field() == null ? "" : " [field " + result.field() + "]");
            case UNEXPECTED -> text.append("UNEXPECTED (HTTP ").append(result.httpStatus()).append(' ')
                    .append(origin(result)).append("): ").append(result.message());
            case NO_ANSWER -> text.append("NO ANSWER before the deadline, after ").append(result.attempts())
                    .append(result.attempts() == 1 ? " attempt" : " attempts").append("; last: ")
                    .append(result.message());
        }
        text.append(System.lineSeparator());
        if (result.resources() != null) {
            appendTable(text, result.resources());
        }
        return text.toString();
    }

    private static String origin(Result result) {
        return (result.seq().isPresent() ? "seq " + result.seq().getAsLong() + " " : "") + "via " + result.server();
    }

    private static void appendTable(StringBuilder text, List<Resource> resources) {
        if (resources.isEmpty()) {
            text.append("  (no resources)").append(System.lineSeparator());
            return;
        }
        int idWidth = "RESOURCE".length();
        int typeWidth = "TYPE".length();
        for (Resource resource : resources) {
            idWidth = Math.max(idWidth, resource.resourceId().length());
            typeWidth = Math.max(typeWidth, resource.type().length());
        }
        String row = "  %-" + idWidth + "s  %-" + typeWidth + "s  %8s%n";
        text.append(String.format(row, "RESOURCE", "TYPE", "DURATION"));
        for (Resource resource : resources) {
            text.append(String.format(row, resource.resourceId(), resource.type(), resource.duration()));
        }
    }
}
