package net.totalorder.bench.driver;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The driver's command line.
 *
 * @param seconds        length of each measurement
 * @param warmupSeconds  load before each measurement, not recorded
 * @param clientCounts   the client thread counts N, each run against each system
 * @param systems        the systems to run, in this order
 * @param report         the markdown report to write; the SVG plot goes beside it, with the suffix .svg
 * @param logDir         where each member's output goes, one file per system, N and member
 *
 * <p>Immutable; thread-safe.
 */
record DriverOptions(int seconds, int warmupSeconds, List<Integer> clientCounts, List<SystemUnderTest> systems,
                     Path report, Path logDir) {

    static final String USAGE = """
            usage: java -jar bench-driver/target/bench-driver.jar [options]
              --seconds S        measurement per run, in seconds (default 10)
              --warmup W         warm-up before each measurement, in seconds (default 3)
              --clients 1,4,...  client thread counts N (default 1,4,16,64)
              --systems ...      any of ours,raft,ispn,ratis and of their -durable, -reads, -tls rows
                                 (see SystemUnderTest; default all)
              --report FILE      markdown report (default bench-report.md); the plot is FILE with .svg
              --log-dir DIR      member logs (default bench-logs)""";

    DriverOptions {
        if (seconds <= 0 || warmupSeconds < 0) {
            throw new IllegalArgumentException("--seconds must be positive and --warmup not negative");
        }
        if (clientCounts.isEmpty() || clientCounts.stream().anyMatch(n -> n < 1)) {
            throw new IllegalArgumentException("--clients needs at least one count, each at least 1");
        }
        if (systems.isEmpty()) {
            throw new IllegalArgumentException("--systems needs at least one system");
        }
        clientCounts = List.copyOf(clientCounts);
        systems = List.copyOf(systems);
    }

    static DriverOptions parse(String[] args) {
        int seconds = 10;
        int warmup = 3;
        List<Integer> clients = List.of(1, 4, 16, 64);
        List<SystemUnderTest> systems = List.of(SystemUnderTest.values());
        Path report = Path.of("bench-report.md");
        Path logDir = Path.of("bench-logs");
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 == args.length) {
                throw new IllegalArgumentException("option " + name + " has no value");
            }
            String value = args[++i];
            switch (name) {
                case "--seconds" -> seconds = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--clients" -> {
                    List<Integer> counts = new ArrayList<>();
                    for (String n : value.split(",")) {
                        counts.add(Integer.parseInt(n.trim()));
                    }
                    clients = counts;
                }
                case "--systems" -> {
                    List<SystemUnderTest> chosen = new ArrayList<>();
                    for (String key : value.split(",")) {
                        chosen.add(SystemUnderTest.byKey(key));
                    }
                    systems = chosen;
                }
                case "--report" -> report = Path.of(value);
                case "--log-dir" -> logDir = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        return new DriverOptions(seconds, warmup, clients, systems, report, logDir);
    }

    /** The SVG plot's path: the report's, with .svg for .md. */
    Path plot() {
        String name = report.getFileName().toString();
        String base = name.endsWith(".md") ? name.substring(0, name.length() - 3) : name;
        return report.resolveSibling(base + ".svg");
    }
}
