package net.totalorder.derms.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The interactive mode: asks for a user ID, shows the operations of that user's role, prompts for their fields and
 * runs each one (with a fresh idempotency key) until the user types {@code q} or the input ends. Not thread-safe:
 * it owns its input reader and runs on the calling thread.
 */
final class InteractiveSession {

    private static final String QUIT = "q";

    private final DermsClient client;
    private final BufferedReader input;
    private final PrintStream out;
    private final ResultPrinter printer;

    InteractiveSession(DermsClient client, InputStream in, PrintStream out, ResultPrinter printer) {
        this.client = client;
        this.input = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.out = out;
        this.printer = printer;
    }

    /** Runs the session to its end; the end of the input is a normal end. */
    void run() throws InterruptedException {
        out.println("DERMS client. Type q to quit.");
        Optional<String> userId = askUserId();
        if (userId.isEmpty()) {
            return;
        }
        Role role = Role.of(userId.get()).orElseThrow();
        List<Command> menu = Command.of(role);
        printMenu(userId.get(), role, menu);
        while (true) {
            Optional<String> choice = ask("operation");
            if (choice.isEmpty() || choice.get().equalsIgnoreCase(QUIT)) {
                return;
            }
            if (choice.get().isEmpty()) {
                continue;
            }
            Optional<Command> command = choose(menu, choice.get());
            if (command.isEmpty()) {
                out.println("No such operation: " + choice.get());
                printMenu(userId.get(), role, menu);
                continue;
            }
            List<String> values = new ArrayList<>();
            for (Command.Field field : command.get().fields) {
                Optional<String> value = ask("  " + field.prompt);
                if (value.isEmpty()) {
                    return;
                }
                values.add(value.get());
            }
            try {
                printer.print(command.get().invoke(client, userId.get(), values));
            } catch (UsageException invalid) {
                out.println(invalid.getMessage());
            }
        }
    }

    private Optional<String> askUserId() {
        while (true) {
            Optional<String> userId = ask("user ID (e.g. MTLR1111 or QUEC2222)");
            if (userId.isEmpty() || userId.get().equalsIgnoreCase(QUIT)) {
                return Optional.empty();
            }
            if (Role.of(userId.get()).isPresent()) {
                return userId;
            }
            out.println("The 4th character of a user ID is the role: R for responder, C for coordinator.");
        }
    }

    private void printMenu(String userId, Role role, List<Command> menu) {
        out.println("Operations for " + userId + " (" + role.displayName() + "):");
        for (int i = 0; i < menu.size(); i++) {
            Command command = menu.get(i);
            out.printf("  %d) %-8s %s%n", i + 1, command.commandName, command.description);
        }
        out.println("  " + QUIT + ") quit");
    }

    /** The menu entry chosen by its number or its name. */
    private static Optional<Command> choose(List<Command> menu, String choice) {
        for (int i = 0; i < menu.size(); i++) {
            if (choice.equals(String.valueOf(i + 1)) || choice.equalsIgnoreCase(menu.get(i).commandName)) {
                return Optional.of(menu.get(i));
            }
        }
        return Optional.empty();
    }

    /** The trimmed next line after showing {@code label}; empty at the end of the input. */
    private Optional<String> ask(String label) {
        out.print(label + "> ");
        out.flush();
        String line;
        try {
            line = input.readLine();
        } catch (IOException unreadable) {
            out.println();
            out.println("Cannot read the input: " + unreadable.getMessage());
            return Optional.empty();
        }
        if (line == null) {
            out.println();
            return Optional.empty();
        }
        return Optional.of(line.trim());
    }
}
