package net.totalorder.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The plugin's live cluster page ({@code /derms/replication/}), loaded in a real headless Chromium (Debian's
 * {@code chromium}, installed by {@code ensure-chromium} in {@code mvn verify}): it shows the three members up, the
 * primary the servers report, and the primary's taking over among the leader changes; after a backup is killed, the
 * page served by another server shows it down. Leaves a screenshot in {@code target/cluster-page.png}. Skipped, with
 * the reason printed, where there is no chromium.
 */
class ClusterPageIT {

    private static final String PAGE = "/derms/replication/";
    private static final Pattern ROW = Pattern.compile(
            "<tr data-member=\"([^\"]+)\" data-state=\"(up|down)\" data-role=\"([^\"]*)\"");

    @Test
    void pageShowsTheMembersAndThePrimary_andABackupKilledAsDown() throws Exception {
        assumeTrue(chromiumPresent(), "ClusterPageIT SKIPPED: no chromium here (see ensure-chromium's output)");
        LocalCluster.awaitReady();
        int primary = LocalCluster.primary();
        int killed = primary == 3 ? 2 : 3;
        int viewer = 6 - primary - killed;      // the page is served by the server that stays up besides the primary

        String dom = render(viewer);
        System.out.println("PAGE node" + viewer + " before: " + rows(dom) + ", primary " + shownPrimary(dom));
        assertEquals(List.of("node1 up", "node2 up", "node3 up"),
                rows(dom).stream().map(r -> r.substring(0, r.lastIndexOf(' '))).toList(), "members shown");
        assertEquals("node" + primary, shownPrimary(dom), "the primary shown");
        assertTrue(dom.contains("primary node" + primary + " in epoch "), "its taking over, in the leader changes");

        LocalCluster.run("kill", Integer.toString(killed));
        try {
            String[] last = new String[1];
            LocalCluster.eventually(Duration.ofSeconds(30), "the page shows node" + killed + " down", () -> {
                last[0] = render(viewer);
                return rows(last[0]).stream().anyMatch(r -> r.startsWith("node" + killed + " down "));
            });
            System.out.println("PAGE node" + viewer + " after killing node" + killed + ": " + rows(last[0])
                    + ", primary " + shownPrimary(last[0]));
            assertEquals("node" + primary, shownPrimary(last[0]), "the primary is unchanged");
            Path shot = screenshot(viewer);
            assertTrue(Files.size(shot) > 10_000, "screenshot " + shot + " is " + Files.size(shot) + " bytes");
        } finally {
            LocalCluster.run("restart", Integer.toString(killed));   // returns once it is ready again
        }
        LocalCluster.awaitReady();
    }

    /** The page after Chromium ran its script for a few (virtual) seconds: the DOM it built. */
    private static String render(int node) {
        return chromium("--virtual-time-budget=3000", "--dump-dom", url(node)).stdout();
    }

    private static Path screenshot(int node) throws IOException {
        Path file = Path.of("target", "cluster-page.png").toAbsolutePath();
        Files.deleteIfExists(file);
        Ran r = chromium("--virtual-time-budget=5000", "--window-size=1000,760", "--screenshot=" + file, url(node));
        assertTrue(Files.exists(file), "no screenshot: " + r.stderr());
        return file;
    }

    private static String url(int node) {
        return LocalCluster.SERVERS.get(node - 1).resolve(PAGE).toString();
    }

    /** The members' rows, in order, as "name state role", e.g. "node1 up PRIMARY". */
    private static List<String> rows(String dom) {
        List<String> rows = new ArrayList<>();
        Matcher m = ROW.matcher(dom);
        while (m.find()) {
            rows.add(m.group(1) + " " + m.group(2) + " " + m.group(3));
        }
        return rows;
    }

    private static String shownPrimary(String dom) {
        Matcher m = Pattern.compile("<body data-primary=\"([^\"]+)\"").matcher(dom);
        return m.find() ? m.group(1) : null;
    }

    private record Ran(String stdout, String stderr) {
    }

    private static boolean chromiumPresent() {
        try {
            return new ProcessBuilder("chromium", "--version").start().waitFor(30, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static Ran chromium(String... args) {
        List<String> command = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=" + Path.of("target", "chromium")
                        .toAbsolutePath()));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("chromium", ".out");
            Path err = Files.createTempFile("chromium", ".err");
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("chromium did not finish in 60 s: " + command);
            }
            Ran ran = new Ran(Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            return ran;
        } catch (IOException e) {
            throw new AssertionError("cannot run chromium: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
