package net.totalorder.bench.driver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.HdrHistogram.Histogram;

import net.totalorder.bench.driver.MemberProcess.MemberFailure;
import net.totalorder.bench.driver.UniquenessCheck.DuplicateNumberException;
import net.totalorder.bench.member.MemberOptions;
import net.totalorder.bench.protocol.MemberResult;
import net.totalorder.bench.protocol.Protocol;

/**
 * One run: one system, N client threads. Starts the system's three member JVMs with the threads spread over them,
 * waits until every member is READY (it sees all three and has obtained a number), lets the load warm up, measures,
 * collects each member's result, ends the members (always, whatever happened), and proves that every number the
 * members obtained is unique.
 *
 * <p>Threading: used by the driver's main thread only.
 */
final class BenchmarkRun {

    static final int MEMBERS = 3;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration RESULT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PORT_RELEASE_TIMEOUT = Duration.ofSeconds(30);

    private final SystemUnderTest system;
    private final int clients;
    private final DriverOptions options;
    private final Path benchRoot;

    BenchmarkRun(SystemUnderTest system, int clients, DriverOptions options, Path benchRoot) {
        this.system = system;
        this.clients = clients;
        this.options = options;
        this.benchRoot = benchRoot;
    }

    /**
     * How many of {@code clients} threads each of {@code members} members runs: as even as possible, the extra
     * threads on the last members. (OURS's primary is m0 while all members are up, so a lone client runs on a
     * backup and pays the hop to the primary, as clients of the other systems mostly do.)
     */
    static int[] clientsPerMember(int clients, int members) {
        int[] share = new int[members];
        for (int i = 0; i < members; i++) {
            share[i] = clients / members + (i >= members - clients % members ? 1 : 0);
        }
        return share;
    }

    /**
     * @return the run's result; a run that failed for any reason other than duplicate numbers is returned as
     *         {@link RunResult#failed}
     * @throws DuplicateNumberException when the system returned a number twice
     */
    RunResult execute() throws DuplicateNumberException, InterruptedException {
        Path numbersDir = null;
        try {
            numbersDir = Files.createTempDirectory("bench-" + system.key + "-n" + clients + "-");
            return measure(numbersDir);
        } catch (MemberFailure | IOException | RuntimeException e) {
            return RunResult.failed(system, clients, e.getMessage() == null ? e.toString() : e.getMessage());
        } finally {
            deleteRecursively(numbersDir);
        }
    }

    /**
     * Member {@code i}'s TLS options: the first call makes a CA and every member's keys in {@code dir}/tls with the
     * servers' own script (liberty-config/tls/member-keys, keytool only).
     */
    private List<String> tlsKeys(Path dir, int i) throws IOException, InterruptedException {
        Path tls = dir.resolve("tls");
        if (!Files.exists(tls)) {
            List<String> command = new ArrayList<>(List.of("bash",
                    benchRoot.resolve("../../liberty-config/tls/member-keys").normalize().toString(),
                    tls.resolve("ca").toString()));
            for (int m = 0; m < MEMBERS; m++) {
                command.add("m" + m + "=" + tls.resolve("m" + m));
            }
            Process keys = new ProcessBuilder(command).inheritIO().start();
            if (keys.waitFor() != 0) {
                throw new IOException("member-keys failed: " + command);
            }
        }
        return List.of("-Djgroups.tls.enabled=true",
                "-Djgroups.tls.keystore=" + tls.resolve("m" + i).resolve("member.p12"),
                "-Djgroups.tls.truststore=" + tls.resolve("m" + i).resolve("trust.p12"));
    }

    private RunResult measure(Path numbersDir)
            throws MemberFailure, IOException, InterruptedException, DuplicateNumberException {
        List<Integer> ports = List.of(system.firstPort, system.firstPort + 1, system.firstPort + 2);
        awaitPortsFree(ports);
        String cluster = "bench-" + system.key + "-n" + clients + "-" + ProcessHandle.current().pid();
        int[] share = clientsPerMember(clients, MEMBERS);
        Files.createDirectories(options.logDir());

        List<Path> numbersFiles = new ArrayList<>();
        List<MemberResult> results = new ArrayList<>();
        List<MemberProcess> members = new ArrayList<>();
        try {
            for (int i = 0; i < MEMBERS; i++) {
                Path numbers = numbersDir.resolve("m" + i + ".numbers");
                numbersFiles.add(numbers);
                MemberOptions memberOptions = new MemberOptions(i, ports, cluster, share[i], numbers,
                        system.durable ? numbersDir.resolve("m" + i + ".storage") : null, system.reads);
                members.add(MemberProcess.start(system.label + " N=" + clients + " m" + i,
                        system.memberJar(benchRoot), memberOptions, system.tls ? tlsKeys(numbersDir, i) : List.of(),
                        options.logDir().resolve(system.key + "-n" + clients + "-m" + i + ".log")));
            }
            for (MemberProcess member : members) {
                member.await(Protocol.READY, READY_TIMEOUT);
            }
            for (MemberProcess member : members) {
                member.send(Protocol.START);
            }
            Thread.sleep(Duration.ofSeconds(options.warmupSeconds()).toMillis());
            for (MemberProcess member : members) {
                member.send(Protocol.MEASURE);
            }
            Thread.sleep(Duration.ofSeconds(options.seconds()).toMillis());
            for (MemberProcess member : members) {
                member.send(Protocol.STOP);
            }
            for (MemberProcess member : members) {
                results.add(MemberResult.parse(member.await(Protocol.RESULT, RESULT_TIMEOUT)));
            }
        } finally {
            for (MemberProcess member : members) {
                member.close();
            }
        }

        long unique = UniquenessCheck.verify(numbersFiles);
        long reported = results.stream().mapToLong(MemberResult::numbers).sum();
        if (unique != reported) {
            throw new IllegalStateException("the members reported " + reported + " numbers but their files hold "
                    + unique);
        }
        double opsPerSecond = 0;
        long errors = 0;
        long ops = 0;
        long cpuNanos = 0;
        Histogram latencies = new Histogram(3);
        for (MemberResult result : results) {
            opsPerSecond += result.ops() / (result.nanos() / 1e9);
            ops += result.ops();
            cpuNanos += result.cpuNanos();
            errors += result.errors();
            latencies.add(result.latencies());
        }
        if (latencies.getTotalCount() == 0) {
            throw new IllegalStateException("no operation completed while measuring (" + errors + " errors)");
        }
        return new RunResult(system, clients, opsPerSecond, latencies.getValueAtPercentile(50),
                latencies.getValueAtPercentile(99), cpuNanos / 1000.0 / ops, errors, unique, null);
    }

    /** Waits until nothing listens on {@code ports} (a leftover member would), failing after a while. */
    private static void awaitPortsFree(List<Integer> ports) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + PORT_RELEASE_TIMEOUT.toNanos();
        for (int port : ports) {
            while (!isFree(port)) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("port " + port + " on 127.0.0.1 is still in use (a leftover member?)");
                }
                Thread.sleep(500);
            }
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }
}
