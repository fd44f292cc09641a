package net.totalorder.derms.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import net.totalorder.derms.client.FakeDermsServer.ReceivedRequest;
import net.totalorder.derms.client.FakeDermsServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DermsClientTest {

    private static final String ADDED = "{\"status\":\"SUCCESS\",\"message\":\"added MTL1001\"}";
    private static final Reply UNAVAILABLE = Reply.json(503, "{\"error\":\"no majority\"}").withHeader("Retry-After", "0");

    private final List<FakeDermsServer> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(FakeDermsServer::close);
    }

    @Test
    void addResource_firstServerRefusesConnection_secondServerAnswers() throws Exception {
        FakeDermsServer second = start(FakeDermsServer.always(Reply.json(200, ADDED).withHeader("X-Replication-Seq", "42")));

        Result result = client(FakeDermsServer.refusingConnections(), second.uri())
                .addResource("MTLR1111", "MTL1001", "AMBULANCE", 10);

        assertEquals(Result.Outcome.ANSWERED, result.outcome());
        assertEquals("SUCCESS", result.status());
        assertEquals("added MTL1001", result.message());
        assertEquals(OptionalLong.of(42), result.seq());
        assertEquals(second.uri(), result.server());
        assertEquals(2, result.attempts());
        ReceivedRequest request = second.received().get(0);
        assertEquals("POST", request.method());
        assertEquals("/derms/api/resources", request.path());
        assertEquals("{\"userId\":\"MTLR1111\",\"resourceId\":\"MTL1001\",\"type\":\"AMBULANCE\",\"duration\":10}",
                request.body());
    }

    @Test
    void addResource_firstServerAnswers503_secondServerAnswersTheSameRequestAndKey() throws Exception {
        FakeDermsServer first = start(FakeDermsServer.always(UNAVAILABLE));
        FakeDermsServer second = start(FakeDermsServer.always(Reply.json(200, ADDED)));

        Result result = client(first.uri(), second.uri()).addResource("MTLR1111", "MTL1001", "AMBULANCE", 10);

        assertEquals(Result.Outcome.ANSWERED, result.outcome());
        assertEquals(second.uri(), result.server());
        ReceivedRequest refused = first.received().get(0);
        ReceivedRequest answered = second.received().get(0);
        assertNotNull(refused.idempotencyKey());
        assertEquals(refused.idempotencyKey(), answered.idempotencyKey());
        assertEquals(refused.body(), answered.body());
    }

    @Test
    void requestResource_firstServerOutlivesTheAttemptTimeout_secondServerAnswers() throws Exception {
        FakeDermsServer first = start(FakeDermsServer.hanging());
        FakeDermsServer second = start(FakeDermsServer.always(Reply.json(200, "{\"status\":\"WAITLISTED\",\"message\":\"queued\"}")));
        DermsClient client = new DermsClient(List.of(first.uri(), second.uri()), Duration.ofMillis(300),
                Duration.ofSeconds(30), DermsClient.randomKeys());

        Result result = client.requestResource("QUEC2222", "MTL1001", 5);

        assertEquals("WAITLISTED", result.status());
        assertEquals(second.uri(), result.server());
        assertEquals(first.received().get(0).idempotencyKey(), second.received().get(0).idempotencyKey());
    }

    @Test
    void oneOperation_retriedAroundTheServerList_sendsTheSameKeyEveryTime() throws Exception {
        AtomicInteger firstServerCalls = new AtomicInteger();
        FakeDermsServer first = start(FakeDermsServer.answering(request ->
                firstServerCalls.incrementAndGet() == 1 ? UNAVAILABLE : Reply.json(200, ADDED)));
        FakeDermsServer second = start(FakeDermsServer.always(Reply.json(502, "")));

        Result result = client(first.uri(), second.uri()).returnResource("QUEC2222", "MTL1001");

        assertEquals(Result.Outcome.ANSWERED, result.outcome());
        assertEquals(first.uri(), result.server());
        assertEquals(3, result.attempts());
        List<ReceivedRequest> attempts = new ArrayList<>(first.received());
        attempts.addAll(second.received());
        assertEquals(3, attempts.size());
        assertTrue(attempts.stream().allMatch(r -> r.idempotencyKey().equals(attempts.get(0).idempotencyKey())),
                attempts::toString);
        assertEquals("/derms/api/resources/MTL1001/return", attempts.get(0).path());
    }

    @Test
    void twoOperations_sendDifferentKeys() throws Exception {
        FakeDermsServer server = start(FakeDermsServer.always(Reply.json(200, ADDED)));
        DermsClient client = client(server.uri());

        client.removeResource("MTLR1111", "MTL1001", 3);
        client.removeResource("MTLR1111", "MTL1001", 3);

        List<ReceivedRequest> received = server.received();
        assertEquals(2, received.size());
        assertNotEquals(received.get(0).idempotencyKey(), received.get(1).idempotencyKey());
    }

    @Test
    void badRequest_isFinal_andNotRetried() throws Exception {
        FakeDermsServer first = start(FakeDermsServer.always(
                Reply.json(400, "{\"error\":\"duration must be positive\",\"field\":\"duration\"}")));
        FakeDermsServer second = start(FakeDermsServer.always(Reply.json(200, ADDED)));

        Result result = client(first.uri(), second.uri()).requestResource("QUEC2222", "MTL1001", 0);

        assertEquals(Result.Outcome.REJECTED, result.outcome());
        assertEquals(400, result.httpStatus());
        assertEquals("duration must be positive", result.message());
        assertEquals("duration", result.field());
        assertEquals(1, first.received().size());
        assertEquals(0, second.received().size());
    }

    @Test
    void listResourceAvailability_failsOverWithoutKey_andParsesTheResources() throws Exception {
        FakeDermsServer first = start(FakeDermsServer.always(UNAVAILABLE));
        FakeDermsServer second = start(FakeDermsServer.always(Reply.json(200, "{\"status\":\"SUCCESS\",\"message\":\"\","
                + "\"resources\":[{\"resourceId\":\"MTL1001\",\"type\":\"AMBULANCE\",\"duration\":10},"
                + "{\"resourceId\":\"QUE2002\",\"type\":\"AMBULANCE\",\"duration\":0}]}")));

        Result result = client(first.uri(), second.uri()).listResourceAvailability("MTLR1111", "ambulance");

        assertEquals(List.of(new Resource("MTL1001", "AMBULANCE", 10), new Resource("QUE2002", "AMBULANCE", 0)),
                result.resources());
        ReceivedRequest request = second.received().get(0);
        assertEquals("GET", request.method());
        assertEquals("/derms/api/resources", request.path());
        assertEquals("userId=MTLR1111&type=ambulance", request.query());
        assertNull(request.idempotencyKey());
    }

    @Test
    void resourceIdInThePath_isPercentEncoded() throws Exception {
        FakeDermsServer server = start(FakeDermsServer.always(Reply.json(200, ADDED)));

        client(server.uri()).requestResource("QUEC2222", "MTL 1/01", 1);

        assertEquals("/derms/api/resources/MTL%201%2F01/request", server.received().get(0).path());
    }

    @Test
    void replicas_reportEveryServer_alsoOneThatIsDown() throws Exception {
        FakeDermsServer up = start(FakeDermsServer.always(
                Reply.json(200, "{\"node\":\"node1\",\"appliedSeq\":7,\"digestSeq\":7,\"digest\":\"ab12\"}")));
        URI down = FakeDermsServer.refusingConnections();

        List<ReplicaResult> replicas = client(up.uri(), down).replicas();

        assertEquals(new ReplicaState("node1", 7, 7, "ab12"), replicas.get(0).state());
        assertEquals(down, replicas.get(1).server());
        assertTrue(!replicas.get(1).answered() && replicas.get(1).problem().contains("cannot connect"),
                replicas.get(1).toString());
    }

    @Test
    void retryAfter_deltaSeconds_isCappedAtTwoSeconds() {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");

        assertEquals(Optional.of(Duration.ofSeconds(1)), DermsClient.retryAfter("1", now));
        assertEquals(Optional.of(Duration.ofSeconds(2)), DermsClient.retryAfter("120", now));
        assertEquals(Optional.empty(), DermsClient.retryAfter("soon", now));
    }

    @Test
    void retryAfter_httpDate_isTheTimeUntilThen() {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");
        DateTimeFormatter httpDate = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

        assertEquals(Optional.of(Duration.ofSeconds(1)), DermsClient.retryAfter(httpDate.format(now.plusSeconds(1)), now));
        assertEquals(Optional.of(Duration.ZERO), DermsClient.retryAfter(httpDate.format(now.minusSeconds(5)), now));
    }

    private FakeDermsServer start(FakeDermsServer server) {
        servers.add(server);
        return server;
    }

    private static DermsClient client(URI... servers) {
        return new DermsClient(List.of(servers), Duration.ofSeconds(5), Duration.ofSeconds(30),
                DermsClient.randomKeys());
    }
}
