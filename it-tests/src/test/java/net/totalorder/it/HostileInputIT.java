package net.totalorder.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/**
 * Hostile and malformed HTTP input against the three real servers (the local cluster started by {@code ./cluster}):
 * a few hundred requests — unparseable and random bodies, bodies nested 100,000 levels deep or a megabyte long,
 * wrong JSON types, invalid ids, a valid call under a content type a cross-site form could send, bad
 * Idempotency-Keys, unknown paths and methods. Each gets the status it should (400, 415, 404 or 405), none gets
 * a 5xx, and none is ordered: afterwards every replica is still at the same seq with the same digest.
 */
class HostileInputIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String VALID_ADD =
            "{\"userId\":\"MTLR1111\",\"resourceId\":\"MTL9901\",\"type\":\"AMBULANCE\",\"duration\":5}";
    private static final List<String> POST_PATHS = List.of("/derms/api/resources",
            "/derms/api/resources/MTL1001/remove", "/derms/api/resources/MTL1001/request",
            "/derms/api/resources/MTL1001/return", "/derms/api/swap");

    /** One request and the statuses it may get. */
    private record Probe(String what, HttpRequest request, List<Integer> expected) {
    }

    private final List<Probe> probes = new ArrayList<>();
    private int next;

    private URI server(String path) {
        return LocalCluster.SERVERS.get(next++ % LocalCluster.SERVERS.size()).resolve(path);
    }

    private void post(String what, String path, String contentType, byte[] body, Integer... expected) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server(path)).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        probes.add(new Probe(what, b.build(), List.of(expected)));
    }

    private void json(String what, String path, String body, Integer... expected) {
        post(what, path, "application/json", body.getBytes(StandardCharsets.UTF_8), expected);
    }

    private void get(String what, String pathAndQuery, Integer... expected) {
        probes.add(new Probe(what, HttpRequest.newBuilder(server(pathAndQuery)).timeout(Duration.ofSeconds(20))
                .GET().build(), List.of(expected)));
    }

    @Test
    void malformedAndHostileRequests_getA4xx_andChangeNothingOnAnyReplica() throws Exception {
        LocalCluster.awaitReady();
        long seqBefore = LocalCluster.awaitAgreement(Duration.ofSeconds(60), 1, 2, 3);
        String digestBefore = LocalCluster.replica(1).digest();

        List<String> malformed = List.of("", " ", "{", "}", "[]", "42", "\"s\"", "null", "{\"userId\":}",
                "{\"userId\":\"MTLR1111\",}", "{\"a\":1}{\"b\":2}", "{\"a\":\"\\u12\"}", "{'userId':'MTLR1111'}",
                "{\"duration\":NaN}", "{\"duration\":01}", "{\"userId\":\"unterminated}",
                "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}",
                "{\"a\":" + "{\"a\":".repeat(20) + "1" + "}".repeat(20) + "}",
                "{\"pad\":\"" + "x".repeat(1 << 20) + "\"}");
        for (String path : POST_PATHS) {
            for (String body : malformed) {
                json("malformed body (" + Math.min(body.length(), 30) + " chars)", path, body, 400);
            }
        }
        SplittableRandom random = new SplittableRandom(20261129);
        for (int i = 0; i < 100; i++) {
            byte[] noise = new byte[1 + random.nextInt(300)];
            random.nextBytes(noise);
            noise[0] = (byte) '#';                 // never a JSON object
            post("random bytes", POST_PATHS.get(i % POST_PATHS.size()), "application/json", noise, 400);
        }
        List<String> invalidFields = List.of(
                "{\"userId\":7,\"resourceId\":\"MTL9901\",\"type\":\"AMBULANCE\",\"duration\":5}",
                "{\"userId\":\"MTLR1111\",\"resourceId\":\"MTL9901\",\"type\":\"AMBULANCE\",\"duration\":\"5\"}",
                "{\"userId\":\"MTLR1111\",\"resourceId\":\"MTL9901\",\"type\":\"AMBULANCE\",\"duration\":1e999999999}",
                "{\"userId\":\"MTLR1111\",\"resourceId\":\"MTL9901\",\"type\":\"AMBULANCE\",\"duration\":99999999999}",
                "{\"userId\":\"MTLR1111\",\"resourceId\":\"MTL9901\",\"type\":\"AMBULANCE\",\"duration\":0}",
                "{\"userId\":\"MTLR1111\",\"resourceId\":\"MTL9901\",\"type\":\"SUBMARINE\",\"duration\":5}",
                "{\"userId\":\"mtlr1111\",\"resourceId\":\"MTL9901\",\"type\":\"AMBULANCE\",\"duration\":5}",
                "{\"userId\":\"MTLR1111\",\"resourceId\":\"MTL99011\",\"type\":\"AMBULANCE\",\"duration\":5}",
                "{\"userId\":\"MTLR1111\",\"resourceId\":\"MTL9901\",\"type\":\"AMBULANCE\"}",
                "{\"userId\":\"MTLR1111\\u0000\",\"resourceId\":\"MTL9901\",\"type\":\"AMBULANCE\",\"duration\":5}",
                "{\"userId\":\"" + "M".repeat(10_000) + "\",\"resourceId\":\"MTL9901\",\"type\":\"AMBULANCE\","
                        + "\"duration\":5}");
        for (String body : invalidFields) {
            json("invalid field", "/derms/api/resources", body, 400);
        }
        json("another city's responder", "/derms/api/resources",
                "{\"userId\":\"QUER1111\",\"resourceId\":\"MTL9901\",\"type\":\"AMBULANCE\",\"duration\":5}", 403);
        json("a coordinator adding", "/derms/api/resources",
                "{\"userId\":\"MTLC1111\",\"resourceId\":\"MTL9901\",\"type\":\"AMBULANCE\",\"duration\":5}", 403);
        byte[] valid = VALID_ADD.getBytes(StandardCharsets.UTF_8);
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                "application/xml", "text/html", "application/octet-stream"}) {
            post("a valid add as " + type, "/derms/api/resources", type, valid, 415);
        }
        post("a valid add without a content type", "/derms/api/resources", null, valid, 415);
        for (String key : new String[] {"x".repeat(256), "a\tb"}) {
            probes.add(new Probe("bad Idempotency-Key", HttpRequest.newBuilder(server("/derms/api/resources"))
                    .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                    .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(VALID_ADD)).build(),
                    List.of(400)));
        }
        post("invalid UTF-8", "/derms/api/resources", "application/json",
                new byte[] {'{', '"', 'u', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, 400);
        get("list without a user", "/derms/api/resources?type=AMBULANCE", 400);
        get("list with a malformed user", "/derms/api/resources?userId=%00%ff&type=AMBULANCE", 400);
        get("list of an unknown type", "/derms/api/resources?userId=MTLR1111&type=" + "Z".repeat(5000), 400);
        get("holdings of a responder", "/derms/api/holdings?userId=MTLR1111&type=AMBULANCE", 403);
        get("holdings with a bad type", "/derms/api/holdings?userId=MTLC1111&type=%22%3E%3Cscript%3E", 400);
        json("a malformed resource id in the path", "/derms/api/resources/MTL%2F..%2F1/request",
                "{\"userId\":\"MTLC1111\",\"duration\":1}", 400, 404);
        json("a long resource id in the path", "/derms/api/resources/" + "9".repeat(2000) + "/request",
                "{\"userId\":\"MTLC1111\",\"duration\":1}", 400);
        get("an unknown path", "/derms/api/nothing", 404);
        probes.add(new Probe("PUT", HttpRequest.newBuilder(server("/derms/api/resources"))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(VALID_ADD)).build(), List.of(405)));
        probes.add(new Probe("DELETE", HttpRequest.newBuilder(server("/derms/api/resources/MTL1001"))
                .timeout(Duration.ofSeconds(20)).DELETE().build(), List.of(404, 405)));

        Map<Integer, Integer> byStatus = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        for (Probe p : probes) {
            HttpResponse<String> r = HTTP.send(p.request(), HttpResponse.BodyHandlers.ofString());
            byStatus.merge(r.statusCode(), 1, Integer::sum);
            if (!p.expected().contains(r.statusCode())) {
                String body = r.body() == null ? "" : r.body();
                wrong.add(p.what() + " " + p.request().method() + " " + p.request().uri().getPath() + " → "
                        + r.statusCode() + " (expected " + p.expected() + "): "
                        + body.substring(0, Math.min(200, body.length())));
            }
        }
        System.out.printf("hostile input: %d requests, by status %s; %d got another status than expected%n",
                probes.size(), byStatus, wrong.size());
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        assertTrue(byStatus.keySet().stream().allMatch(s -> s >= 400 && s < 500), "statuses: " + byStatus);

        long seqAfter = LocalCluster.awaitAgreement(Duration.ofSeconds(60), 1, 2, 3);
        assertEquals(seqBefore, seqAfter, "hostile input was ordered");
        for (int node = 1; node <= 3; node++) {
            assertEquals(digestBefore, LocalCluster.replica(node).digest(), "node" + node + "'s state moved");
        }
    }
}
