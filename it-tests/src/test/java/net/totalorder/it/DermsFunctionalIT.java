package net.totalorder.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import net.totalorder.derms.client.DermsClient;
import net.totalorder.derms.client.Resource;
import net.totalorder.derms.client.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every operation and rule of derms-spec.md over HTTP on the three servers Arquillian deployed DERMS to. Each call
 * goes to the next server in turn, so every rule is seen across replicas; after each test the three replicas must
 * report the same applied seq and state digest. Tests use disjoint resource IDs: they share one deployment.
 */
class DermsFunctionalIT extends DermsOnThreeServers {

    private static final AtomicInteger TURN = new AtomicInteger();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A client bound to the next server in turn, with a fresh Idempotency-Key per operation. */
    private static DermsClient next() {
        URI server = LocalCluster.SERVERS.get(TURN.getAndIncrement() % 3);
        return new DermsClient(List.of(server), Duration.ofSeconds(10), Duration.ofSeconds(30),
                DermsClient.randomKeys());
    }

    private static Result ok(Result r, String status) {
        assertEquals(Result.Outcome.ANSWERED, r.outcome(), r.toString());
        assertEquals(status, r.status(), r.toString());
        assertTrue(r.seq().isPresent(), "no X-Replication-Seq: " + r);
        return r;
    }

    private static void rejected(Result r, int httpStatus, String field) {
        assertEquals(Result.Outcome.REJECTED, r.outcome(), r.toString());
        assertEquals(httpStatus, r.httpStatus(), r.toString());
        if (field != null) {
            assertEquals(field, r.field(), r.toString());
        }
    }

    private static List<Resource> listed(String type) throws InterruptedException {
        return ok(next().listResourceAvailability("MTLR0001", type), "SUCCESS").resources();
    }

    private static List<Resource> held(String coordinator, String type) throws InterruptedException {
        return ok(next().findResource(coordinator, type), "SUCCESS").resources();
    }

    @BeforeEach
    void serversReady() {
        LocalCluster.awaitReady();
    }

    @AfterEach
    void replicasAgree() {
        LocalCluster.awaitAgreement(Duration.ofSeconds(30), 1, 2, 3);
    }

    @Test
    void resourceAddedThroughServer1_isListedThroughServer3() throws Exception {
        DermsClient one = new DermsClient(List.of(LocalCluster.SERVERS.get(0)), Duration.ofSeconds(10),
                Duration.ofSeconds(30), DermsClient.randomKeys());
        DermsClient three = new DermsClient(List.of(LocalCluster.SERVERS.get(2)), Duration.ofSeconds(10),
                Duration.ofSeconds(30), DermsClient.randomKeys());
        ok(one.addResource("MTLR1111", "MTL1001", "ambulance", 10), "SUCCESS");
        Result list = ok(three.listResourceAvailability("QUER2222", "AMBULANCE"), "SUCCESS");
        assertTrue(list.resources().contains(new Resource("MTL1001", "AMBULANCE", 10)), list.toString());
    }

    @Test
    void addResource_createsRaisesOrFails_onlyForTheRespondersCity() throws Exception {
        ok(next().addResource("QUER0001", "QUE2001", "FIRETRUCK", 5), "SUCCESS");
        ok(next().addResource("QUER0001", "QUE2001", "firetruck", 8), "SUCCESS");          // raises to 8
        ok(next().addResource("QUER0001", "QUE2001", "FIRETRUCK", 8), "FAILURE");          // not greater
        ok(next().addResource("QUER0001", "QUE2001", "PERSONNEL", 9), "FAILURE");          // another type
        assertTrue(listed("FIRETRUCK").contains(new Resource("QUE2001", "FIRETRUCK", 8)));
        rejected(next().addResource("MTLR0001", "QUE2002", "FIRETRUCK", 5), 403, null);   // another city
        rejected(next().addResource("QUEC0001", "QUE2002", "FIRETRUCK", 5), 403, null);   // a coordinator
    }

    @Test
    void removeResource_reducesOrDeletes_andDeletionDropsTheWaitingListButNotHoldings() throws Exception {
        ok(next().addResource("SHER0001", "SHE2001", "PERSONNEL", 10), "SUCCESS");
        ok(next().removeResource("SHER0001", "SHE2001", 3), "SUCCESS");
        assertTrue(listed("PERSONNEL").contains(new Resource("SHE2001", "PERSONNEL", 7)));
        ok(next().requestResource("MTLC0001", "SHE2001", 4), "SUCCESS");                    // holds 4, 3 left
        ok(next().requestResource("MTLC0002", "SHE2001", 5), "WAITLISTED");
        ok(next().removeResource("SHER0001", "SHE2001", 3), "SUCCESS");                     // deleted
        assertTrue(listed("PERSONNEL").stream().noneMatch(r -> r.resourceId().equals("SHE2001")));
        assertTrue(held("MTLC0001", "PERSONNEL").contains(new Resource("SHE2001", "PERSONNEL", 4)));
        ok(next().addResource("SHER0001", "SHE2001", "PERSONNEL", 10), "SUCCESS");          // revived
        assertTrue(held("MTLC0002", "PERSONNEL").isEmpty(), "the waiting list was dropped with the resource");
        ok(next().removeResource("SHER0001", "SHE2999", 1), "FAILURE");                      // unknown
        rejected(next().removeResource("MTLR0001", "SHE2001", 1), 403, null);               // another city
    }

    @Test
    void listResourceAvailability_coversAllCitiesSortedById_includingExhausted() throws Exception {
        ok(next().addResource("SHER0001", "SHE3001", "AMBULANCE", 2), "SUCCESS");
        ok(next().addResource("MTLR0001", "MTL3001", "AMBULANCE", 3), "SUCCESS");
        ok(next().addResource("QUER0001", "QUE3001", "AMBULANCE", 4), "SUCCESS");
        ok(next().requestResource("QUEC0003", "SHE3001", 2), "SUCCESS");                    // SHE3001 at 0
        List<Resource> list = listed("AMBULANCE");
        List<String> ids = list.stream().map(Resource::resourceId).toList();
        assertEquals(ids.stream().sorted().toList(), ids, "sorted by resource ID");
        assertTrue(list.containsAll(List.of(new Resource("MTL3001", "AMBULANCE", 3),
                new Resource("QUE3001", "AMBULANCE", 4), new Resource("SHE3001", "AMBULANCE", 0))), list.toString());
        rejected(next().listResourceAvailability("MTLC0001", "AMBULANCE"), 403, null);      // coordinators don't
    }

    @Test
    void requestResource_grantsWaitlistsOrFails_andSeveralCoordinatorsHoldParts() throws Exception {
        ok(next().addResource("MTLR0001", "MTL4001", "FIRETRUCK", 10), "SUCCESS");
        ok(next().requestResource("QUEC0001", "MTL4999", 1), "FAILURE");                     // unknown
        ok(next().requestResource("QUEC0001", "MTL4001", 6), "SUCCESS");
        ok(next().requestResource("SHEC0001", "MTL4001", 4), "SUCCESS");                     // parts of one
        ok(next().requestResource("MTLC0001", "MTL4001", 1), "WAITLISTED");
        ok(next().requestResource("MTLC0001", "MTL4001", 1), "FAILURE");                     // already waiting
        assertTrue(held("QUEC0001", "FIRETRUCK").contains(new Resource("MTL4001", "FIRETRUCK", 6)));
        assertTrue(held("SHEC0001", "FIRETRUCK").contains(new Resource("MTL4001", "FIRETRUCK", 4)));
        rejected(next().requestResource("QUER0001", "MTL4001", 1), 403, null);              // responders don't
    }

    @Test
    void findResource_listsTheCoordinatorsHoldingsSorted_orNothing() throws Exception {
        ok(next().addResource("QUER0001", "QUE5002", "PERSONNEL", 5), "SUCCESS");
        ok(next().addResource("QUER0001", "QUE5001", "PERSONNEL", 5), "SUCCESS");
        ok(next().requestResource("MTLC0005", "QUE5002", 2), "SUCCESS");
        ok(next().requestResource("MTLC0005", "QUE5001", 3), "SUCCESS");
        assertEquals(List.of(new Resource("QUE5001", "PERSONNEL", 3), new Resource("QUE5002", "PERSONNEL", 2)),
                held("MTLC0005", "PERSONNEL").stream().filter(r -> r.resourceId().startsWith("QUE500")).toList());
        assertEquals(List.of(), held("SHEC0009", "AMBULANCE"), "nothing held is an empty success");
        rejected(next().findResource("MTLR0001", "PERSONNEL"), 403, null);
    }

    @Test
    void returnResource_givesBackAndServesTheWaitingListInFifoOrder_stoppingAtTheFirstThatDoesNotFit()
            throws Exception {
        ok(next().addResource("SHER0001", "SHE6001", "AMBULANCE", 10), "SUCCESS");
        ok(next().requestResource("MTLC0006", "SHE6001", 10), "SUCCESS");
        ok(next().requestResource("QUEC0006", "SHE6001", 4), "WAITLISTED");
        ok(next().requestResource("SHEC0006", "SHE6001", 7), "WAITLISTED");
        ok(next().requestResource("MTLC0007", "SHE6001", 2), "WAITLISTED");
        ok(next().returnResource("QUEC0006", "SHE6001"), "FAILURE");                          // not held
        ok(next().returnResource("MTLC0006", "SHE6001"), "SUCCESS");
        // 10 back: QUEC0006 (4) fits, SHEC0006 (7) does not fit in 6 and stops the serving: MTLC0007 still waits
        assertTrue(held("QUEC0006", "AMBULANCE").contains(new Resource("SHE6001", "AMBULANCE", 4)));
        assertTrue(held("SHEC0006", "AMBULANCE").isEmpty());
        assertTrue(held("MTLC0007", "AMBULANCE").isEmpty());
        assertTrue(listed("AMBULANCE").contains(new Resource("SHE6001", "AMBULANCE", 6)));
    }

    @Test
    void swapResource_isAtomic_andAnyFailedCheckChangesNothing() throws Exception {
        ok(next().addResource("MTLR0001", "MTL7001", "AMBULANCE", 5), "SUCCESS");
        ok(next().addResource("QUER0001", "QUE7001", "FIRETRUCK", 5), "SUCCESS");
        ok(next().addResource("QUER0001", "QUE7002", "FIRETRUCK", 2), "SUCCESS");
        long granted = ok(next().requestResource("SHEC0007", "MTL7001", 3), "SUCCESS").seq().orElseThrow();
        // acknowledged by one server: node1 may not have applied it yet; read its state once it has
        String before = LocalCluster.digestOnceApplied(1, granted);
        ok(next().swapResource("SHEC0007", "MTL7001", "FIRETRUCK", "QUE7001", "FIRETRUCK"), "FAILURE"); // old type
        ok(next().swapResource("SHEC0007", "MTL7999", "AMBULANCE", "QUE7001", "FIRETRUCK"), "FAILURE"); // not held
        ok(next().swapResource("SHEC0007", "MTL7001", "AMBULANCE", "QUE7999", "FIRETRUCK"), "FAILURE"); // no new
        ok(next().swapResource("SHEC0007", "MTL7001", "AMBULANCE", "QUE7001", "PERSONNEL"), "FAILURE"); // new type
        ok(next().swapResource("SHEC0007", "MTL7001", "AMBULANCE", "QUE7002", "FIRETRUCK"), "FAILURE"); // 2 < 3
        LocalCluster.awaitAgreement(Duration.ofSeconds(30), 1, 2, 3);
        assertEquals(before, LocalCluster.replica(2).digest(), "a failed swap changed the state");
        ok(next().swapResource("SHEC0007", "MTL7001", "AMBULANCE", "QUE7001", "FIRETRUCK"), "SUCCESS");
        assertTrue(held("SHEC0007", "FIRETRUCK").contains(new Resource("QUE7001", "FIRETRUCK", 3)));
        assertTrue(held("SHEC0007", "AMBULANCE").stream().noneMatch(r -> r.resourceId().equals("MTL7001")));
        assertTrue(listed("AMBULANCE").contains(new Resource("MTL7001", "AMBULANCE", 5)));
        assertTrue(listed("FIRETRUCK").contains(new Resource("QUE7001", "FIRETRUCK", 2)));
    }

    @Test
    void invalidInput_is400NamingTheField_andChangesNothing() throws Exception {
        String before = LocalCluster.replica(3).digest();
        long seqBefore = LocalCluster.replica(3).appliedSeq();
        rejected(next().addResource("MTLR0001", "MTL10", "AMBULANCE", 5), 400, "resourceId");
        rejected(next().addResource("MTLX0001", "MTL8001", "AMBULANCE", 5), 400, "userId");
        rejected(next().addResource("MTLR0001", "MTL8001", "BICYCLE", 5), 400, "type");
        rejected(next().addResource("MTLR0001", "MTL8001", "AMBULANCE", 0), 400, "duration");
        rejected(next().requestResource("MTLC0001", "MTL8001", -2), 400, "duration");
        rejected(next().swapResource("MTLC0001", "MTL8001", "AMBULANCE", "mtl8002", "AMBULANCE"), 400,
                "newResourceId");
        HttpResponse<String> garbled = HTTP.send(HttpRequest.newBuilder(
                        LocalCluster.SERVERS.get(1).resolve("/derms/api/resources"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{not json")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, garbled.statusCode(), garbled.body());
        assertTrue(garbled.body().contains("\"body\""), garbled.body());
        HttpResponse<String> missing = HTTP.send(HttpRequest.newBuilder(
                        LocalCluster.SERVERS.get(2).resolve("/derms/api/resources/MTL8001/request"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"MTLC0001\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, missing.statusCode(), missing.body());
        assertTrue(missing.body().contains("\"duration\""), missing.body());
        HttpResponse<String> badKey = HTTP.send(HttpRequest.newBuilder(
                        LocalCluster.SERVERS.get(0).resolve("/derms/api/resources"))
                .header("Idempotency-Key", "x".repeat(256))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"MTLR0001\",\"resourceId\":\"MTL8001\","
                        + "\"type\":\"AMBULANCE\",\"duration\":5}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, badKey.statusCode(), badKey.body());
        assertEquals(seqBefore, LocalCluster.replica(3).appliedSeq(), "invalid input was ordered");
        assertEquals(before, LocalCluster.replica(3).digest());
    }

    @Test
    void retryWithTheSameKey_onAnyServer_getsTheFirstReplyAndSeq_andAnotherRequestWithItIs422() throws Exception {
        String key = "functional-retry-1";
        Result first = null;
        for (URI server : LocalCluster.SERVERS) {
            DermsClient client = new DermsClient(List.of(server), Duration.ofSeconds(10), Duration.ofSeconds(30),
                    () -> key);
            Result r = ok(client.requestResource("QUEC0009", "MTL1001", 1), "SUCCESS");
            if (first == null) {
                first = r;
            } else {
                assertEquals(first.message(), r.message());
                assertEquals(first.seq(), r.seq(), "X-Replication-Seq differs on a retry");
                assertNotEquals(first.server(), r.server());
            }
        }
        assertTrue(held("QUEC0009", "AMBULANCE").contains(new Resource("MTL1001", "AMBULANCE", 1)),
                "granted once, not three times");
        DermsClient reuse = new DermsClient(List.of(LocalCluster.SERVERS.get(1)), Duration.ofSeconds(10),
                Duration.ofSeconds(30), () -> key);
        rejected(reuse.requestResource("QUEC0009", "MTL1001", 2), 422, null);
    }
}
