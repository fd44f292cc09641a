package net.totalorder.bench.driver;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import net.totalorder.bench.member.MemberOptions;
import net.totalorder.bench.protocol.Protocol;

/**
 * One member JVM, as the driver sees it: started with {@code java -Xmx512m -XX:-G1UseAdaptiveIHOP
 * -XX:InitiatingHeapOccupancyPercent=60 -Djava.net.preferIPv4Stack=true -jar} (every system alike; the garbage
 * collector's settings are the Liberty servers', see liberty-config's pom) and the member's options, commanded
 * through its standard input, heard through the protocol lines of its
 * standard output (see {@link Protocol}). Its standard error, and any other line of its standard output, go to its
 * log file.
 *
 * <p>Every started process is tracked until {@link #close} has ended it, so that {@link #destroyAllLive} (the
 * driver's shutdown hook) can end whatever is left; a member also halts by itself when the driver's end of its
 * standard input closes, which happens when the driver dies.
 *
 * <p>Threading: one thread commands and awaits; a daemon thread per process reads its standard output.
 * {@link #destroyAllLive} may be called from any thread.
 */
final class MemberProcess implements AutoCloseable {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    /** Queued, by identity, when the member's standard output ends. */
    private static final String END_OF_OUTPUT = new String("end of output");
    private static final Duration EXIT_PATIENCE = Duration.ofSeconds(5);

    private final String name;
    private final Path log;
    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> protocolLines = new LinkedBlockingQueue<>();

    private MemberProcess(String name, Path log, Process process) {
        this.name = name;
        this.log = log;
        this.process = process;
        this.commands = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Starts a member JVM.
     *
     * @param name    how messages name the member, e.g. {@code OURS m1}
     * @param jar     the system's runnable member jar
     * @param options the member's command line
     * @param jvmProperties more {@code -Dname=value} options for the JVM (e.g. the TLS stores), possibly none
     * @param log     the member's log file, replaced
     */
    static MemberProcess start(String name, Path jar, MemberOptions options, List<String> jvmProperties, Path log)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(javaLauncher(), "-Xmx512m", "-XX:-G1UseAdaptiveIHOP",
                "-XX:InitiatingHeapOccupancyPercent=60", "-Djava.net.preferIPv4Stack=true"));
        command.addAll(jvmProperties);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(options.toArgs());
        Files.deleteIfExists(log);
        Files.createFile(log);
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        LIVE.add(process);
        MemberProcess member = new MemberProcess(name, log, process);
        Thread reader = new Thread(member::readOutput, "output-" + name.replace(' ', '-'));
        reader.setDaemon(true);
        reader.start();
        return member;
    }

    /** Forcibly ends every member process not yet closed. */
    static void destroyAllLive() {
        for (Process process : LIVE) {
            process.destroyForcibly();
        }
    }

    /** Sends one command line. */
    void send(String command) throws MemberFailure {
        try {
            commands.write(command + "\n");
            commands.flush();
        } catch (IOException e) {
            throw failure("did not take the command " + command + " (" + e.getMessage() + "): has it exited?");
        }
    }

    /**
     * Waits for the member's next protocol line, which must start with {@code expected}.
     *
     * @return the line
     * @throws MemberFailure when the member reports a failure, exits, says something else, or is silent too long
     */
    String await(String expected, Duration timeout) throws MemberFailure, InterruptedException {
        String line = protocolLines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            throw failure("said nothing for " + timeout.toSeconds() + " s; expected " + expected.trim());
        }
        if (line == END_OF_OUTPUT) {
            process.waitFor(EXIT_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            throw failure("ended (" + (process.isAlive() ? "still running" : "exit code " + process.exitValue())
                    + ") before " + expected.trim());
        }
        if (line.startsWith(Protocol.FAILED)) {
            throw failure("failed: " + line.substring(Protocol.FAILED.length()));
        }
        if (!line.startsWith(expected)) {
            throw failure("said '" + line + "', expected " + expected.trim());
        }
        return line;
    }

    /** Ends the member: closes its standard input (it halts), and destroys it if it is still running after that. */
    @Override
    public void close() throws InterruptedException {
        try {
            commands.close();
        } catch (IOException e) {
            // the member is gone already
        }
        if (!process.waitFor(EXIT_PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(EXIT_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        }
        if (!process.isAlive()) {
            LIVE.remove(process);
        }
    }

    private void readOutput() {
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(Protocol.PREFIX)) {
                    protocolLines.add(line);
                } else {
                    Files.writeString(log, line + System.lineSeparator(), StandardCharsets.UTF_8,
                            StandardOpenOption.APPEND);
                }
            }
        } catch (IOException e) {
            // the process is gone; END_OF_OUTPUT tells the waiting thread
        } finally {
            protocolLines.add(END_OF_OUTPUT);
        }
    }

    private MemberFailure failure(String what) {
        return new MemberFailure(name + " " + what + " (log: " + log + ")");
    }

    /** The same Java as the driver runs on. */
    private static String javaLauncher() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** A member failed, exited or went silent. */
    static final class MemberFailure extends Exception {
        MemberFailure(String message) {
            super(message);
        }
    }
}
