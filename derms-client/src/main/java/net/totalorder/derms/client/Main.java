package net.totalorder.derms.client;

import java.io.InputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@code derms-client} command: parses the arguments, runs one operation (or the interactive session) through a
 * {@link DermsClient}, prints the result and turns it into the exit status. Runs on the calling thread.
 */
public final class Main {

    static final int EXIT_OK = 0;
    static final int EXIT_USAGE = 1;
    static final int EXIT_REJECTED = 2;
    static final int EXIT_NO_ANSWER = 3;
    static final int EXIT_UNEXPECTED = 4;

    static final String DEFAULT_SERVERS = "http://localhost:9081,http://localhost:9082,http://localhost:9083";
    private static final String REPLICA_COMMAND = "replica";
    private static final int MAX_KEY_LENGTH = 255;

    static final String USAGE = usage();

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /** Runs the command {@code args} and returns its exit status. */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) throws InterruptedException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (UsageException invalid) {
            err.println("derms-client: " + invalid.getMessage());
            err.println("Try --help.");
            return EXIT_USAGE;
        }
        if (options.help) {
            out.print(USAGE);
            return EXIT_OK;
        }
        Supplier<String> keys = options.idempotencyKey
                .<Supplier<String>>map(key -> () -> key)
                .orElseGet(DermsClient::randomKeys);
        DermsClient client = new DermsClient(options.servers, options.attemptTimeout, options.deadline, keys);
        ResultPrinter printer = new ResultPrinter(out, err, options.json);
        if (options.arguments.isEmpty()) {
            new InteractiveSession(client, in, out, printer).run();
            return EXIT_OK;
        }
        String commandName = options.arguments.get(0);
        List<String> commandArguments = options.arguments.subList(1, options.arguments.size());
        try {
            if (commandName.equalsIgnoreCase(REPLICA_COMMAND)) {
                if (!commandArguments.isEmpty()) {
                    throw new UsageException(REPLICA_COMMAND + " takes no arguments");
                }
                List<ReplicaResult> replicas = client.replicas();
                printer.print(replicas);
                return replicas.stream().allMatch(ReplicaResult::answered) ? EXIT_OK : EXIT_NO_ANSWER;
            }
            Command command = Command.named(commandName)
                    .orElseThrow(() -> new UsageException("unknown command '" + commandName + "'"));
            if (commandArguments.isEmpty()) {
                throw new UsageException(command.commandName + " takes USER and " + command.fields.size()
                        + " more arguments: " + command.synopsis());
            }
            Result result = command.invoke(client, commandArguments.get(0),
                    commandArguments.subList(1, commandArguments.size()));
            printer.print(result);
            return exitStatus(result.outcome());
        } catch (UsageException invalid) {
            err.println("derms-client: " + invalid.getMessage());
            err.println("Try --help.");
            return EXIT_USAGE;
        }
    }

    static int exitStatus(Result.Outcome outcome) {
        return switch (outcome) {
            case ANSWERED -> EXIT_OK;
            case REJECTED -> EXIT_REJECTED;
            case NO_ANSWER -> EXIT_NO_ANSWER;
            case UNEXPECTED -> EXIT_UNEXPECTED;
        };
    }

    private static String usage() {
        return """
                Usage: java -jar derms-client.jar [OPTIONS] [COMMAND ARGUMENTS...]

                Without a COMMAND the client runs interactively: it asks for a user ID, then offers the
                operations of that user's role until you type q.

                USER: city, role letter, 4 digits (R responder, C coordinator). RESOURCE: city and 4 digits,
                as in MTL1001. TYPE: AMBULANCE, FIRETRUCK or PERSONNEL. DURATION: a positive integer.

                Responder commands (USER as in MTLR1111):
                %sCoordinator commands (USER as in QUEC2222):
                %sCluster command:
                  %-40s each server's node, applied seq and state digest

                Options:
                  --servers URL,URL,...  servers in failover order, without the context root (default
                                         %s)
                  --key KEY              Idempotency-Key of the state-changing COMMAND (default: a fresh
                                         random UUID per operation)
                  --timeout SECONDS      limit of one attempt (default 5)
                  --deadline SECONDS     limit of all attempts of one operation (default 60)
                  --json                 print the raw JSON reply instead of the readable form
                  --help                 print this text

                A request that gets no answer in time, or HTTP 5xx, 404, 408 or 429, is sent again, unchanged
                and with the same Idempotency-Key, to the next server (cyclically) until an answer or the
                deadline.

                Exit status: 0 a business result (SUCCESS, FAILURE or WAITLISTED), or for replica every server
                reported; 1 usage error; 2 request rejected (HTTP 400, 403, 422); 3 no answer before the
                deadline, or for replica some server did not report; 4 an answer outside the API contract.
                """.formatted(commandLines(Role.RESPONDER), commandLines(Role.COORDINATOR), REPLICA_COMMAND,
                DEFAULT_SERVERS);
    }

    private static String commandLines(Role role) {
        StringBuilder lines = new StringBuilder();
        for (Command command : Command.of(role)) {
            lines.append(String.format("  %-40s %s\n", command.synopsis(), command.description));
        }
        return lines.toString();
    }

    /** The parsed command line: filled in by {@link #parse}, then only read. */
    private static final class Options {
        boolean help;
        boolean json;
        List<URI> servers;
        Optional<String> idempotencyKey = Optional.empty();
        Duration attemptTimeout = Duration.ofSeconds(5);
        Duration deadline = Duration.ofSeconds(60);
        final List<String> arguments = new ArrayList<>();

        static Options parse(String[] args) throws UsageException {
            Options options = new Options();
            options.servers = servers(DEFAULT_SERVERS);
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--help", "-h" -> options.help = true;
                    case "--json" -> options.json = true;
                    case "--servers" -> options.servers = servers(valueOf(args, ++i, arg));
                    case "--key" -> options.idempotencyKey = Optional.of(idempotencyKey(valueOf(args, ++i, arg)));
                    case "--timeout" -> options.attemptTimeout = seconds(valueOf(args, ++i, arg), arg);
                    case "--deadline" -> options.deadline = seconds(valueOf(args, ++i, arg), arg);
                    default -> {
                        if (arg.startsWith("--")) {
                            throw new UsageException("unknown option " + arg);
                        }
                        options.arguments.add(arg);
                    }
                }
            }
            if (options.idempotencyKey.isPresent() && options.arguments.isEmpty() && !options.help) {
                throw new UsageException("--key needs a COMMAND: in the interactive mode every operation gets its"
                        + " own key");
            }
            return options;
        }

        private static String valueOf(String[] args, int index, String option) throws UsageException {
            if (index >= args.length) {
                throw new UsageException(option + " needs a value");
            }
            return args[index];
        }

        private static List<URI> servers(String list) throws UsageException {
            List<URI> servers = new ArrayList<>();
            for (String text : list.split(",")) {
                String trimmed = text.trim();
                if (trimmed.isEmpty()) {
                    continue;
                }
                URI server;
                try {
                    server = new URI(trimmed);
                } catch (URISyntaxException malformed) {
                    throw new UsageException("malformed server URL '" + trimmed + "'");
                }
                if (!("http".equalsIgnoreCase(server.getScheme()) || "https".equalsIgnoreCase(server.getScheme()))
                        || server.getHost() == null || server.getQuery() != null || server.getFragment() != null) {
                    throw new UsageException("a server URL looks like http://localhost:9081, not '" + trimmed + "'");
                }
                servers.add(server);
            }
            if (servers.isEmpty()) {
                throw new UsageException("--servers names no server");
            }
            return servers;
        }

        private static String idempotencyKey(String key) throws UsageException {
            if (key.isEmpty() || key.length() > MAX_KEY_LENGTH
                    || !key.chars().allMatch(c -> c >= 0x20 && c <= 0x7E)) {
                throw new UsageException("an idempotency key is 1 to " + MAX_KEY_LENGTH
                        + " printable ASCII characters");
            }
            return key;
        }

        private static Duration seconds(String text, String option) throws UsageException {
            UsageException invalid = new UsageException(option + " takes a positive number of seconds, not '"
                    + text + "'");
            try {
                BigDecimal seconds = new BigDecimal(text);
                if (seconds.signum() <= 0) {
                    throw invalid;
                }
                return Duration.ofMillis(seconds.movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact());
            } catch (NumberFormatException | ArithmeticException notSeconds) {
                throw invalid;
            }
        }
    }
}
