package net.totalorder.derms.client;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/**
 * The {@code derms-client} command: picocli parses the arguments into the options and one subcommand per DERMS
 * operation ({@link Command}; each has {@code --help}); the chosen operation (or, without one, the interactive
 * session) runs through a {@link DermsClient}, its result is printed and turned into the exit status.
 * Runs on the calling thread.
 */
public final class Main {

    static final int EXIT_OK = 0;
    static final int EXIT_USAGE = 1;
    static final int EXIT_REJECTED = 2;
    static final int EXIT_NO_ANSWER = 3;
    static final int EXIT_UNEXPECTED = 4;

    static final String DEFAULT_SERVERS = "http://localhost:9081,http://localhost:9082,http://localhost:9083";
    private static final String NAME = "derms-client";
    private static final String REPLICA_COMMAND = "replica";
    private static final int MAX_KEY_LENGTH = 255;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /** Runs the command {@code args} and returns its exit status. */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        Options options = new Options();
        CommandLine cli = commandLine(options);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setParameterExceptionHandler((invalid, ignored) -> usageError(err, invalid.getMessage()));
        cli.setExecutionStrategy(parsed -> {
            Integer help = CommandLine.executeHelpRequest(parsed);
            if (help != null) {
                return help;
            }
            try {
                return execute(parsed, options, in, out, err);
            } catch (UsageException invalid) {
                return usageError(err, invalid.getMessage());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                err.println(NAME + ": interrupted");
                return EXIT_NO_ANSWER;
            }
        });
        return cli.execute(args);
    }

    /** The text of {@code derms-client --help}. */
    static String usage() {
        return commandLine(new Options()).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    private static int execute(ParseResult parsed, Options options, InputStream in, PrintStream out,
                               PrintStream err) throws UsageException, InterruptedException {
        ParseResult operation = parsed.subcommand();
        if (options.servers.isEmpty()) {
            throw new UsageException("--servers names no server");
        }
        if (options.idempotencyKey.isPresent() && operation == null) {
            throw new UsageException("--key needs a COMMAND: in the interactive mode every operation gets its own key");
        }
        Supplier<String> keys = options.idempotencyKey
                .<Supplier<String>>map(key -> () -> key)
                .orElseGet(DermsClient::randomKeys);
        DermsClient client = new DermsClient(options.servers, options.attemptTimeout, options.deadline, keys);
        ResultPrinter printer = new ResultPrinter(out, err, options.json);
        if (operation == null) {
            new InteractiveSession(client, in, out, printer).run();
            return EXIT_OK;
        }
        String name = operation.commandSpec().name();
        if (name.equals(REPLICA_COMMAND)) {
            List<ReplicaResult> replicas = client.replicas();
            printer.print(replicas);
            return replicas.stream().allMatch(ReplicaResult::answered) ? EXIT_OK : EXIT_NO_ANSWER;
        }
        Command command = Command.named(name).orElseThrow();
        List<String> values = new ArrayList<>();
        for (PositionalParamSpec value : operation.matchedPositionals()) {
            values.add(value.getValue());
        }
        Result result = command.invoke(client, values.get(0), values.subList(1, values.size()));
        printer.print(result);
        return exitStatus(result.outcome());
    }

    private static int usageError(PrintStream err, String message) {
        err.println(NAME + ": " + message);
        err.println("Try --help.");
        return EXIT_USAGE;
    }

    static int exitStatus(Result.Outcome outcome) {
        return switch (outcome) {
            case ANSWERED -> EXIT_OK;
            case REJECTED -> EXIT_REJECTED;
            case NO_ANSWER -> EXIT_NO_ANSWER;
            case UNEXPECTED -> EXIT_UNEXPECTED;
        };
    }

    /** The command line: the options (accepted before or after the subcommand) and one subcommand per operation. */
    private static CommandLine commandLine(Options options) {
        CommandLine cli = new CommandLine(options);
        for (Command command : Command.values()) {
            CommandSpec spec = CommandSpec.create().name(command.commandName);
            spec.usageMessage().description(command.description + " (" + command.role.displayName() + ")");
            spec.addPositional(PositionalParamSpec.builder().index("0").arity("1").required(true).paramLabel("USER")
                    .type(String.class)
                    .description(command.role == Role.RESPONDER ? "a responder, e.g. MTLR1111"
                            : "a coordinator, e.g. QUEC2222")
                    .build());
            for (int i = 0; i < command.fields.size(); i++) {
                Command.Field field = command.fields.get(i);
                spec.addPositional(PositionalParamSpec.builder().index(String.valueOf(i + 1)).arity("1")
                        .required(true).paramLabel(field.usageName).type(String.class).description(field.prompt).build());
            }
            cli.addSubcommand(command.commandName, new CommandLine(spec));
        }
        CommandSpec replica = CommandSpec.create().name(REPLICA_COMMAND);
        replica.usageMessage().description("each server's node, applied seq and state digest (asked once each, "
                + "no failover)");
        cli.addSubcommand(REPLICA_COMMAND, new CommandLine(replica));
        cli.setSubcommandsCaseInsensitive(true);
        return cli;
    }

    /** The options, filled in by picocli's parse (from the top command or any subcommand), then only read. */
    @CommandLine.Command(name = NAME, sortOptions = false, usageHelpAutoWidth = false,
            synopsisSubcommandLabel = "[COMMAND ARGUMENTS...]",
            description = {
                    "A client of a replicated DERMS cluster. Without a COMMAND it runs interactively: it asks for a "
                            + "user ID, then offers the operations of that user's role until you type q.",
                    "",
                    "USER: city, role letter, 4 digits (R responder, C coordinator). RESOURCE: city and 4 digits, as "
                            + "in MTL1001. TYPE: AMBULANCE, FIRETRUCK or PERSONNEL. DURATION: a positive integer."},
            commandListHeading = "%nCommands (COMMAND --help for each one's arguments):%n",
            optionListHeading = "%nOptions:%n",
            footer = {
                    "",
                    "A request that gets no answer in time, or HTTP 5xx, 404, 408 or 429, is sent again, unchanged "
                            + "and with the same Idempotency-Key, to the next server (cyclically) until an answer or "
                            + "the deadline.",
                    "",
                    "Exit status: 0 a business result (SUCCESS, FAILURE or WAITLISTED), or for replica every server "
                            + "reported; 1 usage error; 2 request rejected (HTTP 400, 403, 422); 3 no answer before "
                            + "the deadline, or for replica some server did not report; 4 an answer outside the API "
                            + "contract."})
    static final class Options {

        @CommandLine.Spec
        CommandSpec spec;

        @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT,
                description = "print this text")
        boolean help;

        @CommandLine.Option(names = "--servers", paramLabel = "URL", split = ",", scope = ScopeType.INHERIT,
                converter = ServerConverter.class, defaultValue = DEFAULT_SERVERS,
                description = "servers in failover order, without the context root (default ${DEFAULT-VALUE})")
        List<URI> servers;

        Optional<String> idempotencyKey = Optional.empty();

        @CommandLine.Option(names = "--timeout", paramLabel = "SECONDS", scope = ScopeType.INHERIT,
                converter = SecondsConverter.class, defaultValue = "5",
                description = "limit of one attempt (default ${DEFAULT-VALUE})")
        Duration attemptTimeout;

        @CommandLine.Option(names = "--deadline", paramLabel = "SECONDS", scope = ScopeType.INHERIT,
                converter = SecondsConverter.class, defaultValue = "60",
                description = "limit of all attempts of one operation (default ${DEFAULT-VALUE})")
        Duration deadline;

        @CommandLine.Option(names = "--json", scope = ScopeType.INHERIT,
                description = "print the raw JSON reply instead of the readable form")
        boolean json;

        @CommandLine.Option(names = "--key", paramLabel = "KEY", scope = ScopeType.INHERIT,
                description = "Idempotency-Key of the state-changing COMMAND (default: a fresh random UUID per "
                        + "operation)")
        void idempotencyKey(String key) {
            if (key.isEmpty() || key.length() > MAX_KEY_LENGTH
                    || !key.chars().allMatch(c -> c >= 0x20 && c <= 0x7E)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "an idempotency key is 1 to " + MAX_KEY_LENGTH + " printable ASCII characters");
            }
            idempotencyKey = Optional.of(key);
        }
    }

    /** A server's base URL: http(s), with a host, without query or fragment. */
    static final class ServerConverter implements CommandLine.ITypeConverter<URI> {
        @Override
        public URI convert(String text) {
            String trimmed = text.trim();
            URI server;
            try {
                server = new URI(trimmed);
            } catch (URISyntaxException malformed) {
                throw new CommandLine.TypeConversionException("malformed server URL '" + trimmed + "'");
            }
            if (!("http".equalsIgnoreCase(server.getScheme()) || "https".equalsIgnoreCase(server.getScheme()))
                    || server.getHost() == null || server.getQuery() != null || server.getFragment() != null) {
                throw new CommandLine.TypeConversionException("a server URL looks like http://localhost:9081, not '"
                        + trimmed + "'");
            }
            return server;
        }
    }

    /** A positive number of seconds, e.g. {@code 0.5}, rounded up to the millisecond. */
    static final class SecondsConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String text) {
            CommandLine.TypeConversionException invalid = new CommandLine.TypeConversionException(
                    "a positive number of seconds, not '" + text + "'");
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
