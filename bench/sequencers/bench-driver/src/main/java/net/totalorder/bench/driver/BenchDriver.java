package net.totalorder.bench.driver;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import net.totalorder.bench.driver.UniquenessCheck.DuplicateNumberException;

/**
 * The benchmark's one command: for each system and each client count N, one {@link BenchmarkRun}; then the
 * console table, the OURS/jgroups-raft ratio per N, the markdown report and its SVG plot.
 *
 * <p>Exit code 0 when every run succeeded, 1 when some run failed (the report says which and why), 2 at once when
 * a system returned a number twice, 64 for a bad command line. Member JVMs are ended after each run, and by a
 * shutdown hook if the driver is stopped.
 *
 * <p>Threading: runs on the main thread; the shutdown hook runs on its own.
 */
public final class BenchDriver {

    private BenchDriver() {
    }

    public static void main(String[] args) throws Exception {
        DriverOptions options;
        try {
            options = DriverOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(DriverOptions.USAGE);
            System.exit(64);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(MemberProcess::destroyAllLive, "destroy-members"));
        Path benchRoot = benchRoot();
        for (SystemUnderTest system : options.systems()) {
            Path jar = system.memberJar(benchRoot);
            if (!Files.isRegularFile(jar)) {
                System.err.println("no member jar " + jar + ": build first (mvn -f " + benchRoot.resolve("pom.xml")
                        + " package)");
                System.exit(64);
            }
        }
        String startedAt = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);

        List<RunResult> results = new ArrayList<>();
        for (SystemUnderTest system : options.systems()) {
            for (int clients : options.clientCounts()) {
                System.out.printf(Locale.ROOT, "running %s with N=%d ...%n", system.label, clients);
                RunResult result;
                try {
                    result = new BenchmarkRun(system, clients, options, benchRoot).execute();
                } catch (DuplicateNumberException e) {
                    System.out.flush();
                    System.err.printf(Locale.ROOT, "%n*** BENCHMARK FAILED: %s returned DUPLICATE sequence numbers"
                            + " with N=%d: %s ***%n", system.label, clients, e.getMessage());
                    System.exit(2);
                    return;
                }
                results.add(result);
                System.out.println(result.succeeded()
                        ? String.format(Locale.ROOT, "  %.1f ops/s, p50 %d µs, p99 %d µs, %d errors, %d numbers unique",
                                result.opsPerSecond(), result.p50Micros(), result.p99Micros(), result.errors(),
                                result.uniqueNumbers())
                        : "  FAILED: " + result.failure());
            }
        }

        Report report = new Report(results, options);
        System.out.println();
        System.out.print(report.table());
        Path plot = options.plot();
        Files.writeString(plot, ThroughputChart.svg(results, options.systems(), options.clientCounts()),
                StandardCharsets.UTF_8);
        Files.writeString(options.report(), report.markdown(plot.getFileName().toString(), startedAt),
                StandardCharsets.UTF_8);
        System.out.println();
        System.out.println("report: " + options.report().toAbsolutePath() + ", plot: " + plot.toAbsolutePath());
        System.exit(results.stream().allMatch(RunResult::succeeded) ? 0 : 1);
    }

    /** The bench project's root: the driver runs from bench-driver/target (its jar or its classes). */
    private static Path benchRoot() throws URISyntaxException {
        Path location = Path.of(BenchDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return location.getParent().getParent().getParent().toAbsolutePath();
    }
}
