package net.totalorder.derms.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.totalorder.derms.client.FakeDermsServer.ReceivedRequest;
import net.totalorder.derms.client.FakeDermsServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MainTest {

    private final List<FakeDermsServer> servers = new ArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void stopServers() {
        servers.forEach(FakeDermsServer::close);
    }

    @Test
    void add_answered_printsStatusSeqServerAndMessage_exitStatus0() throws Exception {
        FakeDermsServer server = start(FakeDermsServer.always(Reply.json(200,
                "{\"status\":\"SUCCESS\",\"message\":\"added MTL1001\"}").withHeader("X-Replication-Seq", "42")));

        int status = run("", "--servers", server.uri().toString(), "add", "MTLR1111", "MTL1001", "AMBULANCE", "10");

        assertEquals(Main.EXIT_OK, status);
        assertEquals("SUCCESS (seq 42 via " + server.uri() + "): added MTL1001", stdout().strip());
    }

    @Test
    void find_answeredWithResources_printsATable() throws Exception {
        FakeDermsServer server = start(FakeDermsServer.always(Reply.json(200, "{\"status\":\"SUCCESS\",\"message\":\"\","
                + "\"resources\":[{\"resourceId\":\"MTL1001\",\"type\":\"AMBULANCE\",\"duration\":10}]}")));

        int status = run("", "--servers", server.uri().toString(), "find", "QUEC2222", "AMBULANCE");

        assertEquals(Main.EXIT_OK, status);
        assertEquals(List.of("SUCCESS (via " + server.uri() + ")",
                "  RESOURCE  TYPE       DURATION",
                "  MTL1001   AMBULANCE        10"), stdout().lines().toList());
    }

    @Test
    void failureResult_isStillABusinessAnswer_exitStatus0() throws Exception {
        FakeDermsServer server = start(FakeDermsServer.always(Reply.json(200,
                "{\"status\":\"FAILURE\",\"message\":\"unknown resource MTL9999\"}")));

        assertEquals(Main.EXIT_OK, run("", "--servers", server.uri().toString(), "return", "QUEC2222", "MTL9999"));
    }

    @Test
    void forbidden_isFinal_exitStatus2() throws Exception {
        FakeDermsServer first = start(FakeDermsServer.always(Reply.json(403, "{\"error\":\"not a responder\"}")));
        FakeDermsServer second = start(FakeDermsServer.always(Reply.json(200, "{\"status\":\"SUCCESS\"}")));

        int status = run("", "--servers", first.uri() + "," + second.uri(), "add", "QUEC2222", "QUE1001",
                "AMBULANCE", "1");

        assertEquals(Main.EXIT_REJECTED, status);
        assertTrue(stderr().startsWith("REJECTED (HTTP 403 via " + first.uri() + "): not a responder"), stderr());
        assertEquals(0, second.received().size());
    }

    @Test
    void deadline_passesWhileEveryServerAnswers503_exitStatus3() throws Exception {
        FakeDermsServer first = start(FakeDermsServer.always(Reply.json(503, "")));
        FakeDermsServer second = start(FakeDermsServer.always(Reply.json(503, "")));
        long start = System.nanoTime();

        int status = run("", "--servers", first.uri() + "," + second.uri(), "--deadline", "1", "request",
                "QUEC2222", "MTL1001", "5");

        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(Main.EXIT_NO_ANSWER, status);
        assertTrue(stderr().startsWith("NO ANSWER before the deadline"), stderr());
        assertTrue(elapsed.compareTo(Duration.ofMillis(900)) >= 0 && elapsed.compareTo(Duration.ofSeconds(10)) < 0,
                elapsed::toString);
        assertTrue(first.received().size() >= 2 && second.received().size() >= 1,
                first.received().size() + " + " + second.received().size() + " attempts");
    }

    @Test
    void deadline_shorterThanTheAttemptTimeout_endsAHangingAttempt_exitStatus3() throws Exception {
        FakeDermsServer server = start(FakeDermsServer.hanging());
        long start = System.nanoTime();

        int status = run("", "--servers", server.uri().toString(), "--timeout", "30", "--deadline", "0.5",
                "list", "MTLR1111", "AMBULANCE");

        assertEquals(Main.EXIT_NO_ANSWER, status);
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0);
    }

    @Test
    void keyOption_isSentAsTheIdempotencyKey() throws Exception {
        FakeDermsServer server = start(FakeDermsServer.always(Reply.json(200, "{\"status\":\"SUCCESS\"}")));

        run("", "--key", "retry-of-op-7", "--servers", server.uri().toString(), "swap", "QUEC2222", "MTL1001",
                "AMBULANCE", "SHE1002", "AMBULANCE");

        ReceivedRequest request = server.received().get(0);
        assertEquals("retry-of-op-7", request.idempotencyKey());
        assertEquals("/derms/api/swap", request.path());
        assertEquals("{\"userId\":\"QUEC2222\",\"oldResourceId\":\"MTL1001\",\"oldType\":\"AMBULANCE\","
                + "\"newResourceId\":\"SHE1002\",\"newType\":\"AMBULANCE\"}", request.body());
    }

    @Test
    void jsonOption_printsTheRawReply() throws Exception {
        String body = "{\"status\":\"SUCCESS\",\"message\":\"added MTL1001\"}";
        FakeDermsServer server = start(FakeDermsServer.always(Reply.json(200, body)));

        run("", "--json", "--servers", server.uri().toString(), "add", "MTLR1111", "MTL1001", "AMBULANCE", "10");

        assertEquals(body, stdout().strip());
    }

    @Test
    void invalidArguments_areUsageErrors_exitStatus1_withoutARequest() throws Exception {
        FakeDermsServer server = start(FakeDermsServer.always(Reply.json(200, "{\"status\":\"SUCCESS\"}")));
        String servers = server.uri().toString();

        for (String[] args : List.of(
                new String[] {"--servers", servers, "add", "MTLR1111", "MTL1001", "AMBULANCE", "ten"},
                new String[] {"--servers", servers, "add", "MTLR1111", "MTL1001"},
                new String[] {"--servers", servers, "fly", "MTLR1111"},
                new String[] {"--servers", "ftp://localhost:9081", "replica"},
                new String[] {"--servers", servers, "--deadline", "0", "replica"},
                new String[] {"--servers", servers, "--key", "", "return", "QUEC2222", "MTL1001"},
                new String[] {"--servers", servers, "--key", "k"},
                new String[] {"--servers", servers, "--verbose", "replica"},
                new String[] {"--servers", servers, "add", "MTLR1111", "MTL1001", "AMBULANCE", "1", "extra"},
                new String[] {"--servers", servers, "--timeout", "soon", "replica"},
                new String[] {"--servers", ",", "replica"},
                new String[] {"--servers"})) {
            assertEquals(Main.EXIT_USAGE, run("", args), String.join(" ", args));
            assertTrue(stderr().startsWith("derms-client: ") && stderr().contains("Try --help."), stderr());
        }
        assertEquals(0, server.received().size());
    }

    @Test
    void help_printsTheUsage_exitStatus0() throws Exception {
        assertEquals(Main.EXIT_OK, run("", "--help"));
        assertEquals(Main.usage(), stdout());
        for (String command : List.of("add", "remove", "list", "request", "find", "return", "swap", "replica")) {
            assertTrue(Main.usage().contains("\n  " + command + " "), command);
        }
        assertTrue(Main.usage().contains("--servers=URL[,URL...]"), Main.usage());
        assertTrue(Main.usage().contains("Exit status: 0 a business result"), Main.usage());
    }

    @Test
    void everyCommandHasItsOwnHelp_namingItsArguments_withoutARequest() throws Exception {
        FakeDermsServer server = start(FakeDermsServer.always(Reply.json(200, "{\"status\":\"SUCCESS\"}")));
        for (Command command : Command.values()) {
            assertEquals(Main.EXIT_OK, run("", "--servers", server.uri().toString(), command.commandName, "--help"));
            assertTrue(stdout().startsWith("Usage: derms-client " + command.commandName), stdout());
            for (Command.Field field : command.fields) {
                assertTrue(stdout().contains(field.usageName), command + " " + field + ": " + stdout());
            }
            assertTrue(stdout().contains("USER"), stdout());
        }
        assertEquals(Main.EXIT_OK, run("", "replica", "-h"));
        assertTrue(stdout().contains("applied seq"), stdout());
        assertEquals(0, server.received().size());
    }

    @Test
    void optionsAfterTheCommand_andCommandNamesInAnyCase_areAccepted() throws Exception {
        FakeDermsServer server = start(FakeDermsServer.always(Reply.json(200, "{\"status\":\"SUCCESS\"}")));

        int status = run("", "RETURN", "QUEC2222", "MTL1001", "--servers", server.uri().toString(), "--key", "k-9");

        assertEquals(Main.EXIT_OK, status, stderr());
        assertEquals("k-9", server.received().get(0).idempotencyKey());
        assertEquals("/derms/api/resources/MTL1001/return", server.received().get(0).path());
    }

    @Test
    void replica_oneServerDown_printsEveryServer_exitStatus3() throws Exception {
        FakeDermsServer up = start(FakeDermsServer.always(
                Reply.json(200, "{\"node\":\"node1\",\"appliedSeq\":7,\"digestSeq\":7,\"digest\":\"ab12\"}")));
        String down = FakeDermsServer.refusingConnections().toString();

        int status = run("", "--servers", up.uri() + "," + down, "replica");

        assertEquals(Main.EXIT_NO_ANSWER, status);
        assertEquals(up.uri() + "  node node1  appliedSeq 7  digest ab12 (at seq 7)", stdout().strip());
        assertTrue(stderr().startsWith(down + "  NO REPORT: "), stderr());
    }

    @Test
    void interactive_responderAdds_thenQuits() throws Exception {
        FakeDermsServer server = start(FakeDermsServer.always(Reply.json(200,
                "{\"status\":\"SUCCESS\",\"message\":\"added MTL1001\"}").withHeader("X-Replication-Seq", "3")));

        int status = run("MTLX1111\nMTLR1111\nfind\nadd\nMTL1001\nambulance\n10\n1\nMTL1002\nfiretruck\nfive\nq\n",
                "--servers", server.uri().toString());

        assertEquals(Main.EXIT_OK, status);
        assertTrue(stdout().contains("The 4th character of a user ID is the role"), stdout());
        assertTrue(stdout().contains("Operations for MTLR1111 (responder):"), stdout());
        assertTrue(stdout().contains("No such operation: find"), stdout());
        assertTrue(stdout().contains("SUCCESS (seq 3 via " + server.uri() + "): added MTL1001"), stdout());
        assertTrue(stdout().contains("DURATION must be an integer, not 'five'"), stdout());
        List<ReceivedRequest> received = server.received();
        assertEquals(1, received.size());
        assertEquals("{\"userId\":\"MTLR1111\",\"resourceId\":\"MTL1001\",\"type\":\"ambulance\",\"duration\":10}",
                received.get(0).body());
    }

    @Test
    void interactive_coordinatorMenu_offersTheCoordinatorOperations() throws Exception {
        run("QUEC2222\n", "--servers", "http://localhost:9");

        for (String operation : List.of("request", "find", "return", "swap")) {
            assertTrue(stdout().contains(") " + operation + " "), stdout());
        }
        assertTrue(Stream.of("add", "remove", "list").noneMatch(op -> stdout().contains(") " + op + " ")), stdout());
    }

    @Test
    void interactive_endOfInputAtAnyPrompt_endsCleanly() throws Exception {
        for (String input : List.of("", "MTLR1111", "MTLR1111\nadd\nMTL1001\n", "QUEC2222\n")) {
            assertEquals(Main.EXIT_OK, run(input, "--servers", "http://localhost:9"), input);
        }
    }

    private int run(String input, String... args) throws InterruptedException {
        out.reset();
        err.reset();
        return Main.run(args, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private FakeDermsServer start(FakeDermsServer server) {
        servers.add(server);
        return server;
    }
}
