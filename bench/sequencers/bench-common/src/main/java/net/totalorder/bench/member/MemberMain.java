package net.totalorder.bench.member;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

import net.totalorder.bench.protocol.MemberResult;
import net.totalorder.bench.protocol.NumbersFile;
import net.totalorder.bench.protocol.Protocol;

/**
 * The life of a member process, the same for every system: start this member of the service, wait until it sees
 * every member and has obtained a first number, report READY, then run the load as the driver commands (see
 * {@link Protocol}), write the numbers file and report the result. Any failure is reported as FAILED and halts the
 * process; so does the end of standard input, which is how the driver stops members.
 *
 * <p>Before the service starts, sets the system properties {@code jgroups.bind.port} and
 * {@code jgroups.tcpping.initial_hosts} that the JGroups stack files read. Standard output is kept for the
 * protocol: {@link System#out} is pointed at standard error, for libraries that print.
 *
 * <p>Threading: the calling (main) thread runs the phases; a daemon thread reads the driver's commands.
 */
public final class MemberMain {

    private static final long POLL_MILLIS = 100;
    private static final long RETRY_MILLIS = 500;
    /** How long the load threads may take to finish their operation in progress at STOP. */
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(30);

    private MemberMain() {
    }

    /** Runs the member process; never returns. */
    public static void run(String[] args, Function<MemberOptions, SequenceService> serviceFactory) {
        PrintStream protocol = System.out;
        System.setOut(System.err);
        BlockingQueue<String> commands = listenForCommands();
        try {
            MemberOptions options = MemberOptions.parse(args);
            System.setProperty("jgroups.bind.port", Integer.toString(options.port()));
            System.setProperty("jgroups.tcpping.initial_hosts", options.initialHosts());
            SequenceService service = serviceFactory.apply(options);
            service.start();
            while (service.membersSeen() < options.ports().size()) {
                Thread.sleep(POLL_MILLIS);
            }
            long first = firstNumber(service);
            protocol.println(Protocol.READY);

            expect(commands, Protocol.START);
            LoadGenerator load = LoadGenerator.start(service, options.clients(), options.reads(), first);
            expect(commands, Protocol.MEASURE);
            load.startRecording();
            expect(commands, Protocol.STOP);
            MemberResult result = load.stop(STOP_PATIENCE);
            long[] numbers = load.numbers();
            Arrays.sort(numbers);
            NumbersFile.write(options.numbersFile(), numbers);
            protocol.println(result.toLine());

            String unexpected = commands.take();
            throw new IllegalStateException("unexpected command after the result: " + unexpected);
        } catch (Throwable e) {
            e.printStackTrace();
            protocol.println(Protocol.FAILED + e.toString().replace('\n', ' '));
            protocol.flush();
            Runtime.getRuntime().halt(1);
        }
    }

    /** The first number this member obtains, asked for until the service gives one. */
    private static long firstNumber(SequenceService service) throws InterruptedException {
        while (true) {
            try {
                return service.next();
            } catch (Exception e) {
                System.err.println("no first number yet: " + e);
                Thread.sleep(RETRY_MILLIS);
            }
        }
    }

    private static void expect(BlockingQueue<String> commands, String expected) throws InterruptedException {
        String command = commands.take();
        if (!command.equals(expected)) {
            throw new IllegalStateException("expected command " + expected + ", got " + command);
        }
    }

    /** Starts the thread that queues the driver's commands and halts the process at the end of standard input. */
    private static BlockingQueue<String> listenForCommands() {
        BlockingQueue<String> commands = new LinkedBlockingQueue<>();
        Thread listener = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    commands.add(line.trim());
                }
            } catch (IOException e) {
                e.printStackTrace();
            }
            Runtime.getRuntime().halt(0);
        }, "driver-commands");
        listener.setDaemon(true);
        listener.start();
        return commands;
    }
}
