package net.totalorder.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The second example, seat booking ({@code examples/seat-booking}), on the three real servers
 * ({@code ./cluster start --app seats}): the same seat booked at once on all three servers goes to exactly one
 * person, every server answers the same holder and lists the same seats; bad input is 400 and orders nothing.
 * Starts from a wiped cluster and leaves a wiped DERMS cluster running, as the other suites expect.
 */
class SeatBookingIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern BOOKING = Pattern.compile("\"done\":(true|false).*\"holder\":\"([^\"]+)\"");

    @BeforeAll
    static void seatBookingOnTheCluster() {
        LocalCluster.run("wipe");
        LocalCluster.run("start", "--no-build", "--app", "seats");
    }

    @AfterAll
    static void dermsAgain() {
        LocalCluster.run("wipe");
        LocalCluster.run("start", "--no-build");
    }

    @Test
    void theSameSeatBookedOnThreeServersAtOnce_goesToOnePerson_andEveryServerAgrees() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try {
            Map<String, String> winners = new TreeMap<>();
            for (int row = 1; row <= 10; row++) {
                String seat = "B" + row;
                List<Future<HttpResponse<String>>> replies = new ArrayList<>();
                for (int n = 1; n <= 3; n++) {
                    int node = n;
                    Callable<HttpResponse<String>> book = () -> post(node, "/seats/api/seats/" + seat + "/book",
                            "{\"who\":\"person" + node + "\"}");
                    replies.add(callers.submit(book));
                }
                int done = 0;
                List<String> holders = new ArrayList<>();
                for (Future<HttpResponse<String>> f : replies) {
                    HttpResponse<String> r = f.get();
                    assertEquals(200, r.statusCode(), r.body());
                    Matcher m = BOOKING.matcher(r.body());
                    assertTrue(m.find(), r.body());
                    done += m.group(1).equals("true") ? 1 : 0;
                    holders.add(m.group(2));
                }
                assertEquals(1, done, seat + ": bookings that succeeded, of " + holders);
                assertEquals(1, holders.stream().distinct().count(), seat + ": holders answered " + holders);
                winners.put(seat, holders.get(0));
            }
            for (int n = 1; n <= 3; n++) {
                String list = get(n, "/seats/api/seats").body();
                Map<String, String> listed = new TreeMap<>();
                Matcher m = Pattern.compile("\"(B\\d+)\":\"([^\"]+)\"").matcher(list);
                while (m.find()) {
                    listed.put(m.group(1), m.group(2));
                }
                System.out.println("SEATS node" + n + " lists " + listed);
                assertEquals(winners, listed, "node" + n + "'s seats");
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void badInput_is400_andOrdersNothing() throws Exception {
        long before = appliedSeq(2);
        assertEquals(400, post(2, "/seats/api/seats/Z99/book", "{\"who\":\"x\"}").statusCode(), "unknown seat");
        assertEquals(400, post(2, "/seats/api/seats/C1/book", "{\"who\":\"no spaces\"}").statusCode(), "bad name");
        assertEquals(400, post(2, "/seats/api/seats/C1/book", "{\"who\":").statusCode(), "unparseable body");
        assertEquals(400, post(2, "/seats/api/seats/C1/book", "{}").statusCode(), "no name");
        assertEquals(before, appliedSeq(2), "nothing was ordered");
    }

    private static long appliedSeq(int node) throws Exception {
        Matcher m = Pattern.compile("\"appliedSeq\":(\\d+)").matcher(get(node, "/seats/replication/status").body());
        assertTrue(m.find());
        return Long.parseLong(m.group(1));
    }

    private static HttpResponse<String> post(int node, String path, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(LocalCluster.SERVERS.get(node - 1).resolve(path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(int node, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(LocalCluster.SERVERS.get(node - 1).resolve(path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
