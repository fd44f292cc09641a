package net.totalorder.bench.driver;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The results of all runs as text: the console table, ours' throughput over each peer's in the same mode per N, and
 * the markdown report around the same table.
 *
 * <p>Immutable; thread-safe.
 */
final class Report {

    private final List<RunResult> results;
    private final DriverOptions options;

    Report(List<RunResult> results, DriverOptions options) {
        this.results = List.copyOf(results);
        this.options = options;
    }

    /**
     * The console table: system, N, ops/s, p50 µs, p99 µs, CPU µs per op, errors; then, per N, ours' throughput over
     * each peer's and each peer's CPU per op over ours (above 1: ours does the same work with less CPU).
     */
    String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-20s %6s %12s %10s %10s %10s %8s%n", "system", "N", "ops/s",
                "p50 µs", "p99 µs", "CPU µs/op", "errors"));
        for (RunResult r : results) {
            if (r.succeeded()) {
                out.append(String.format(Locale.ROOT, "%-20s %6d %12.1f %10d %10d %10.1f %8d%n", r.system().label,
                        r.clients(), r.opsPerSecond(), r.p50Micros(), r.p99Micros(), r.cpuMicrosPerOp(),
                        r.errors()));
            } else {
                out.append(String.format(Locale.ROOT, "%-20s %6d  FAILED: %s%n", r.system().label, r.clients(),
                        r.failure()));
            }
        }
        for (Ratio kind : Ratio.values()) {
            List<String> lines = ratioLines(kind);
            if (!lines.isEmpty()) {
                out.append(String.format(Locale.ROOT, "%n%-40s", kind.title));
                options.clientCounts().forEach(n -> out.append(String.format(Locale.ROOT, " %7s", "N=" + n)));
                out.append(System.lineSeparator());
                lines.forEach(line -> out.append(line).append(System.lineSeparator()));
            }
        }
        return out.toString();
    }

    /** The markdown report, which shows the plot from the file {@code plotFileName} beside it. */
    String markdown(String plotFileName, String startedAt) {
        StringBuilder md = new StringBuilder();
        md.append("# Sequence-number services: throughput and latency\n\n");
        md.append("Started ").append(startedAt).append(" on ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, Java ").append(System.getProperty("java.version")).append(", ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append(".\n\n");
        md.append(String.format(Locale.ROOT, "Each system runs as 3 member JVMs (`-Xmx512m -XX:-G1UseAdaptiveIHOP"
                + " -XX:InitiatingHeapOccupancyPercent=60 -Djava.net.preferIPv4Stack=true`) on 127.0.0.1"
                + " (JGroups TCP; Apache Ratis its gRPC). N closed-loop client threads are"
                + " spread over the members; each run measures %d s after a %d s warm-up, once all members have"
                + " joined and obtained a number. Latencies are over all members' operations. CPU µs/op is the CPU"
                + " time of the three member JVMs while measuring (every thread, the load threads' included) over"
                + " the operations completed: it does not depend on how much of the machine a run got. Every number"
                + " returned in a run, warm-up included, was checked to be unique across the three members.%n%n",
                options.seconds(), options.warmupSeconds()));
        md.append("| system | N | ops/s | p50 µs | p99 µs | CPU µs/op | errors | numbers checked unique |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (RunResult r : results) {
            if (r.succeeded()) {
                md.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %d | %d | %.1f | %d | %d |%n",
                        r.system().label, r.clients(), r.opsPerSecond(), r.p50Micros(), r.p99Micros(),
                        r.cpuMicrosPerOp(), r.errors(), r.uniqueNumbers()));
            } else {
                md.append(String.format(Locale.ROOT, "| %s | %d | FAILED: %s | | | | | |%n", r.system().label,
                        r.clients(), r.failure().replace("|", "\\|")));
            }
        }
        for (Ratio kind : Ratio.values()) {
            if (!ratioLines(kind).isEmpty()) {
                md.append("\n## ").append(kind.title).append("\n\n| pair |");
                options.clientCounts().forEach(n -> md.append(" N=").append(n).append(" |"));
                md.append("\n|---|").append("---:|".repeat(options.clientCounts().size())).append('\n');
                for (Pair pair : PAIRS) {
                    if (hasAny(kind, pair)) {
                        md.append("| ").append(kind.name(pair)).append(" |");
                        options.clientCounts().forEach(n -> md.append(' ').append(formatted(kind, pair, n))
                                .append(" |"));
                        md.append('\n');
                    }
                }
            }
        }
        md.append("\n## Throughput against client threads\n\n");
        md.append("![Throughput against client threads](").append(plotFileName).append(")\n");
        return md.toString();
    }

    /** Ours against each peer in the same mode: memory, durable, reads. */
    record Pair(SystemUnderTest ours, SystemUnderTest peer) {
    }

    static final List<Pair> PAIRS = List.of(
            new Pair(SystemUnderTest.OURS, SystemUnderTest.RAFT),
            new Pair(SystemUnderTest.OURS, SystemUnderTest.RATIS),
            new Pair(SystemUnderTest.OURS_DURABLE, SystemUnderTest.RAFT_DURABLE),
            new Pair(SystemUnderTest.OURS_DURABLE, SystemUnderTest.RATIS_DURABLE),
            new Pair(SystemUnderTest.OURS_READS, SystemUnderTest.RAFT_READS),
            new Pair(SystemUnderTest.OURS_READS, SystemUnderTest.RATIS_READS));

    /** What is compared between ours and a peer in the same mode. */
    enum Ratio {
        THROUGHPUT("throughput ratio (same mode)"),
        CPU_PER_OP("CPU per op ratio (same mode)");

        final String title;

        Ratio(String title) {
            this.title = title;
        }

        /** Above 1 is ours ahead: ours' ops/s over the peer's, or the peer's CPU per op over ours. */
        String name(Pair pair) {
            return this == THROUGHPUT ? pair.ours().label + " / " + pair.peer().label
                    : pair.peer().label + " / " + pair.ours().label;
        }
    }

    /** One console line per pair with at least one ratio: the pair, then the ratio per N ("–" where none). */
    private List<String> ratioLines(Ratio kind) {
        return PAIRS.stream().filter(pair -> hasAny(kind, pair)).map(pair -> {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-40s", kind.name(pair)));
            options.clientCounts().forEach(n -> line.append(String.format(Locale.ROOT, " %7s",
                    formatted(kind, pair, n))));
            return line.toString();
        }).toList();
    }

    private String formatted(Ratio kind, Pair pair, int clients) {
        return ratio(kind, pair, clients).map(r -> String.format(Locale.ROOT, "%.2f", r)).orElse("–");
    }

    private boolean hasAny(Ratio kind, Pair pair) {
        return options.clientCounts().stream().anyMatch(n -> ratio(kind, pair, n).isPresent());
    }

    /** Ours' throughput over the peer's at {@code clients}, when both runs succeeded. */
    Optional<Double> ratio(Pair pair, int clients) {
        return ratio(Ratio.THROUGHPUT, pair, clients);
    }

    /** {@code kind}'s ratio for {@code pair} at {@code clients} (above 1: ours ahead), when both runs succeeded. */
    Optional<Double> ratio(Ratio kind, Pair pair, int clients) {
        Optional<RunResult> ours = find(pair.ours(), clients);
        Optional<RunResult> peer = find(pair.peer(), clients);
        if (ours.isEmpty() || peer.isEmpty()) {
            return Optional.empty();
        }
        double numerator = kind == Ratio.THROUGHPUT ? ours.get().opsPerSecond() : peer.get().cpuMicrosPerOp();
        double denominator = kind == Ratio.THROUGHPUT ? peer.get().opsPerSecond() : ours.get().cpuMicrosPerOp();
        return denominator == 0 ? Optional.empty() : Optional.of(numerator / denominator);
    }

    private Optional<RunResult> find(SystemUnderTest system, int clients) {
        return results.stream().filter(r -> r.system() == system && r.clients() == clients && r.succeeded())
                .findFirst();
    }
}
