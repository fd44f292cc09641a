package net.totalorder.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints, when a test fails, the end of what each server logged while it ran: a failure seen only in CI can then be
 * read from the build's output, since the servers' log directories stay on the CI machine and a restart rotates
 * {@code messages.log} away. Reads the {@code messages*.log} files of {@code wlp.home}'s servers written since the
 * test started (oldest first) and prints their last {@value #LINES} lines per server, Liberty's own information
 * messages left out. Used on the fault suites
 * ({@code @ExtendWith}); the test's own thread only.
 */
final class ServerLogsOnFailure implements BeforeEachCallback, TestWatcher {

    private static final int LINES = 80;
    private static final String[] SERVERS = {"node1", "node2", "node3"};

    private long startedAtMillis;

    @Override
    public void beforeEach(ExtensionContext context) {
        startedAtMillis = System.currentTimeMillis();
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        String wlp = System.getProperty("wlp.home");
        if (wlp == null) {
            return;
        }
        for (String server : SERVERS) {
            Path logs = Path.of(wlp, "usr", "servers", server, "logs");
            List<String> lines = new ArrayList<>();
            try (Stream<Path> files = Files.list(logs)) {
                for (Path file : files.filter(f -> f.getFileName().toString().startsWith("messages"))
                        .filter(f -> modifiedMillis(f) >= startedAtMillis)
                        .sorted(Comparator.comparingLong(ServerLogsOnFailure::modifiedMillis)).toList()) {
                    Files.readAllLines(file).stream().filter(ServerLogsOnFailure::telling).forEach(lines::add);
                }
            } catch (IOException e) {
                System.out.println("SERVER LOG " + server + ": cannot read " + logs + ": " + e);
                continue;
            }
            System.out.println("SERVER LOG " + server + " during " + context.getDisplayName() + ", last "
                    + Math.min(LINES, lines.size()) + " of " + lines.size() + " lines:");
            lines.subList(Math.max(0, lines.size() - LINES), lines.size())
                    .forEach(line -> System.out.println("  " + server + " | " + line));
        }
    }

    /** Not Liberty's own information messages (starting features, sessions, ...): they would crowd the rest out. */
    private static boolean telling(String line) {
        return !(line.contains(" com.ibm.") && line.matches(".*\\s+I\\s+[A-Z]{4,5}\\d{4}[IAW]?:.*"));
    }

    private static long modifiedMillis(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
