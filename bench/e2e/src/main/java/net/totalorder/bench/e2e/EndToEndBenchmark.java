package net.totalorder.bench.e2e;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A replicated DERMS call against an unreplicated one, side by side in one run: the {@link HttpLoad} mix against
 * the local 3-server cluster, then the pause clients see when the primary's server is killed under load, then the
 * same mix against the same application on one server with replication off ({@code ./cluster solo}). Prints the
 * table with the ratios replicated/unreplicated and writes it to {@code bench-e2e-report.md}. Beside throughput and
 * latency it reports the CPU time per call, summed over every server JVM (three replicated, one unreplicated) over
 * the measured seconds: the cost of a call that does not depend on how busy the shared machine is.
 *
 * <pre>
 * mvn -q -DskipTests install && java -jar bench/e2e/target/bench-e2e.jar [--clients 1,4,16,64] [--seconds 10]
 *     [--warmup 3] [--jit-warmup 120]
 * </pre>
 * Run it on a quiet machine, with the cluster stopped; it starts and stops the servers itself.
 */
public final class EndToEndBenchmark {

    private static final List<URI> CLUSTER = List.of(URI.create("http://localhost:9081"),
            URI.create("http://localhost:9082"), URI.create("http://localhost:9083"));
    private static final List<URI> SOLO = List.of(URI.create("http://localhost:9084"));

    /** The warm-up ends once the compiler threads of all servers together use less than this share of a core. */
    private static final double QUIET_COMPILER_SHARE = 0.03;
    private static final int QUIET_WINDOW = 10;
    private static final int MAX_WARMUP = 600;
    /** Linux' USER_HZ, the unit of a thread's times in /proc (100 on every Linux this runs on). */
    private static final int TICKS_PER_SECOND = 100;

    private EndToEndBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int[] clients = {1, 4, 16, 64};
        int seconds = 10;
        int warmup = 3;
        int jitWarmup = 120;
        try {
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException("option " + args[i] + " has no value");
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--jit-warmup" -> jitWarmup = Integer.parseInt(value);
                    case "--clients" -> clients = Arrays.stream(value.split(",")).mapToInt(Integer::parseInt).toArray();
                    case "--seconds" -> seconds = Integer.parseInt(value);
                    case "--warmup" -> warmup = Integer.parseInt(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (IllegalArgumentException e) {        // a NumberFormatException too: nothing has started yet
            System.err.println(e.getMessage() + "\nusage: java -jar bench-e2e.jar [--clients 1,4,16,64] [--seconds 10]"
                    + " [--warmup 3] [--jit-warmup 120]");
            System.exit(64);
        }
        Path script = Path.of(System.getProperty("cluster.script", "cluster")).toAbsolutePath();
        List<long[]> replicated = new ArrayList<>();
        List<long[]> unreplicated = new ArrayList<>();
        long pause;
        cluster(script, "start", "--no-build");
        try {
            warmUp(CLUSTER, jitWarmup);
            for (int n : clients) {
                replicated.add(run(CLUSTER, n, warmup, seconds, "rep" + n));
            }
            pause = killPause(script, 16, warmup);
        } finally {
            cluster(script, "stop");
        }
        cluster(script, "solo", "start");
        try {
            warmUp(SOLO, jitWarmup);
            for (int n : clients) {
                unreplicated.add(run(SOLO, n, warmup, seconds, "solo" + n));
            }
        } finally {
            cluster(script, "solo", "stop");
        }
        StringBuilder report = new StringBuilder();
        report.append("# End to end: replicated DERMS (3 servers) against unreplicated (1 server)\n\n")
                .append(String.format("Mix: 20 %% reads (list, holdings), 10 %% adds, 70 %% request/return; keep-alive "
                        + "HTTP/1.1; each deployment first runs the mix unmeasured for at least %d s and until its "
                        + "JIT compiler threads are quiet (JIT warm-up), then each row measures %d s after %d s of "
                        + "warm-up; one machine, %d cores.%n%n", jitWarmup, seconds, warmup,
                        Runtime.getRuntime().availableProcessors()))
                .append("| clients | replicated ops/s | p50 µs | p99 µs | CPU µs/call | unreplicated ops/s | p50 µs | "
                        + "p99 µs | CPU µs/call | throughput ratio | p50 ratio | p99 ratio | CPU/call ratio |\n"
                        + "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < clients.length; i++) {
            long[] r = replicated.get(i);
            long[] u = unreplicated.get(i);
            double rOps = r[0] / (double) seconds;
            double uOps = u[0] / (double) seconds;
            double rCpu = r[3] / 1000.0 / Math.max(1, r[0]);
            double uCpu = u[3] / 1000.0 / Math.max(1, u[0]);
            report.append(String.format("| %d | %.0f | %d | %d | %.0f | %.0f | %d | %d | %.0f | %.2f | %.2f | %.2f | %.2f |%n",
                    clients[i], rOps, r[1], r[2], rCpu, uOps, u[1], u[2], uCpu, rOps / uOps, r[1] / (double) u[1],
                    r[2] / (double) u[2], rCpu / uCpu));
        }
        report.append(String.format("%nKilling the primary's server (kill -9) under 16 clients: the longest time no "
                + "call completed was %d ms.%n", pause));
        System.out.print(report);
        Files.writeString(Path.of("bench-e2e-report.md"), report.toString());
        System.out.println("written to bench-e2e-report.md");
    }

    /** Count, p50 µs, p99 µs, and the servers' CPU nanoseconds over the measured seconds. */
    private static long[] run(List<URI> servers, int clients, int warmup, int seconds, String id)
            throws InterruptedException {
        HttpLoad load = new HttpLoad(servers, clients, id);
        load.start();
        sleep(warmup);
        long cpuBefore = serversCpuNanos(servers.size());
        load.measure(true);
        sleep(seconds);
        load.measure(false);
        long cpu = serversCpuNanos(servers.size()) - cpuBefore;
        load.stop();
        long[] count = load.countP50P99();
        long[] result = {count[0], count[1], count[2], cpu};
        System.out.printf("%s: %d clients, %.0f ops/s, p50 %d µs, p99 %d µs, %d failed, %.0f µs of server CPU per "
                + "call%n", servers, clients, result[0] / (double) seconds, result[1], result[2], load.failed(),
                cpu / 1000.0 / Math.max(1, result[0]));
        return result;
    }

    /**
     * The CPU time the Liberty server JVMs on this machine have used so far (user and system, all threads), summed;
     * fails unless exactly {@code expected} of them run, so that no other server's work is counted.
     */
    static long serversCpuNanos(int expected) {
        return libertyServers(expected).stream().mapToLong(p -> p.info().totalCpuDuration().orElseThrow(
                () -> new IllegalStateException("no CPU time for process " + p.pid())).toNanos()).sum();
    }

    /** The Liberty server JVMs on this machine; fails unless exactly {@code expected} of them run. */
    private static List<ProcessHandle> libertyServers(int expected) {
        List<ProcessHandle> servers = ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> Arrays.stream(a).anyMatch(x -> x.endsWith("ws-server.jar")))
                        .orElse(false))
                .toList();
        if (servers.size() != expected) {
            throw new IllegalStateException(servers.size() + " Liberty servers run here, not " + expected
                    + ": stop the others before measuring");
        }
        return servers;
    }

    /**
     * Runs the mix unmeasured with 16 clients for at least {@code seconds}, then on until the servers' JIT compiler
     * threads are quiet — together less than {@link #QUIET_COMPILER_SHARE} of a core over {@link #QUIET_WINDOW}
     * seconds — or {@link #MAX_WARMUP} seconds have passed: freshly started, Liberty runs the request path
     * interpreted for tens of seconds, and three servers compiling on two cores took more than three minutes, so a
     * fixed warm-up measured the compiler as much as the calls.
     */
    private static void warmUp(List<URI> servers, int seconds) throws InterruptedException {
        HttpLoad load = new HttpLoad(servers, 16, "jit" + servers.size());
        load.start();
        long started = System.nanoTime();
        sleep(seconds);
        double share = Double.NaN;
        while (elapsedSeconds(started) < MAX_WARMUP) {
            long before = compilerTicks(servers.size());
            if (before < 0) {
                break;                        // no /proc here: the fixed warm-up only
            }
            sleep(QUIET_WINDOW);
            share = (compilerTicks(servers.size()) - before) / (double) TICKS_PER_SECOND / QUIET_WINDOW;
            if (share < QUIET_COMPILER_SHARE) {
                break;
            }
        }
        load.stop();
        System.out.printf("JIT warm-up: %d s; the compiler threads then used %.1f %% of a core%n",
                elapsedSeconds(started), share * 100);
    }

    private static int elapsedSeconds(long startedNanos) {
        return (int) TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos);
    }

    /**
     * CPU ticks (user and system) the JIT compiler threads of the Liberty servers have used so far, from
     * /proc/PID/task/TID/stat; -1 where that cannot be read.
     */
    static long compilerTicks(int expected) {
        long ticks = 0;
        for (ProcessHandle server : libertyServers(expected)) {
            Path tasks = Path.of("/proc", Long.toString(server.pid()), "task");
            try (var threads = Files.list(tasks)) {
                for (Path thread : threads.toList()) {
                    ticks += compilerThreadTicks(thread);
                }
            } catch (IOException e) {
                return -1;
            }
        }
        return ticks;
    }

    /** A thread's user and system ticks if it is a JIT compiler thread ("C1 CompilerThre", "C2 ..."), else 0. */
    private static long compilerThreadTicks(Path thread) {
        try {
            String stat = Files.readString(thread.resolve("stat"));
            String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
            if (!name.matches("C[12] Compiler.*")) {
                return 0;
            }
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);   // utime, stime
        } catch (IOException | RuntimeException e) {
            return 0;                         // the thread ended meanwhile
        }
    }

    private static long killPause(Path script, int clients, int warmup) throws Exception {
        HttpLoad load = new HttpLoad(CLUSTER, clients, "kill");
        load.start();
        sleep(warmup + 2);
        long killedAt = System.nanoTime();
        cluster(script, "kill", "1");
        sleep(8);
        long until = System.nanoTime();
        load.stop();
        long pause = load.longestPauseMillis(killedAt, until);
        System.out.printf("kill -9 of node1 (the primary) under %d clients: longest pause %d ms%n", clients, pause);
        cluster(script, "restart", "1");
        return pause;
    }

    private static void cluster(Path script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("cluster " + String.join(" ", args) + " failed");
        }
    }

    private static void sleep(int seconds) {
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(seconds));   // the load runs meanwhile
    }
}
