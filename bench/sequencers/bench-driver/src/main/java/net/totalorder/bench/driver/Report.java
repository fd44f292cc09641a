package net.totalorder.bench.driver;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The results of all runs as text: the console table, the OURS/jgroups-raft throughput ratio per N, and the
 * markdown report around the same table.
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

    /** The console table: system, N, ops/s, p50 µs, p99 µs, errors; then the ratio per N. */
    String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-20s %6s %12s %10s %10s %8s%n", "system", "N", "ops/s", "p50 µs",
                "p99 µs", "errors"));
        for (RunResult r : results) {
            if (r.succeeded()) {
                out.append(String.format(Locale.ROOT, "%-20s %6d %12.1f %10d %10d %8d%n", r.system().label,
                        r.clients(), r.opsPerSecond(), r.p50Micros(), r.p99Micros(), r.errors()));
            } else {
                out.append(String.format(Locale.ROOT, "%-20s %6d  FAILED: %s%n", r.system().label, r.clients(),
                        r.failure()));
            }
        }
        List<String> ratios = ratioLines();
        if (!ratios.isEmpty()) {
            out.append(String.format("%nthroughput ratio OURS / jgroups-raft:%n"));
            ratios.forEach(line -> out.append(line).append(System.lineSeparator()));
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
        md.append(String.format(Locale.ROOT, "Each system runs as 3 member JVMs (`-Xmx512m"
                + " -Djava.net.preferIPv4Stack=true`) over JGroups TCP on 127.0.0.1. N closed-loop client threads are"
                + " spread over the members; each run measures %d s after a %d s warm-up, once all members have"
                + " joined and obtained a number. Latencies are over all members' operations. Every number returned"
                + " in a run, warm-up included, was checked to be unique across the three members.%n%n",
                options.seconds(), options.warmupSeconds()));
        md.append("| system | N | ops/s | p50 µs | p99 µs | errors | numbers checked unique |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (RunResult r : results) {
            if (r.succeeded()) {
                md.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %d | %d | %d | %d |%n", r.system().label,
                        r.clients(), r.opsPerSecond(), r.p50Micros(), r.p99Micros(), r.errors(), r.uniqueNumbers()));
            } else {
                md.append(String.format(Locale.ROOT, "| %s | %d | FAILED: %s | | | | |%n", r.system().label,
                        r.clients(), r.failure().replace("|", "\\|")));
            }
        }
        List<String> ratios = ratioLines();
        if (!ratios.isEmpty()) {
            md.append("\n## Throughput ratio OURS / jgroups-raft\n\n| N | ratio |\n|---:|---:|\n");
            for (int n : options.clientCounts()) {
                ratio(n).ifPresent(ratio -> md.append(String.format(Locale.ROOT, "| %d | %.2f |%n", n, ratio)));
            }
        }
        md.append("\n## Throughput against client threads\n\n");
        md.append("![Throughput against client threads](").append(plotFileName).append(")\n");
        return md.toString();
    }

    private List<String> ratioLines() {
        return options.clientCounts().stream()
                .flatMap(n -> ratio(n).map(r -> String.format(Locale.ROOT, "N=%-6d %.2f", n, r)).stream())
                .toList();
    }

    /** OURS's throughput over jgroups-raft's at {@code clients}, when both runs succeeded. */
    Optional<Double> ratio(int clients) {
        Optional<RunResult> ours = find(SystemUnderTest.OURS, clients);
        Optional<RunResult> raft = find(SystemUnderTest.RAFT, clients);
        if (ours.isEmpty() || raft.isEmpty() || raft.get().opsPerSecond() == 0) {
            return Optional.empty();
        }
        return Optional.of(ours.get().opsPerSecond() / raft.get().opsPerSecond());
    }

    private Optional<RunResult> find(SystemUnderTest system, int clients) {
        return results.stream().filter(r -> r.system() == system && r.clients() == clients && r.succeeded())
                .findFirst();
    }
}
