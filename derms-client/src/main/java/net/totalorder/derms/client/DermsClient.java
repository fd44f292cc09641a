package net.totalorder.derms.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * Client of the DERMS HTTP API ({@code derms-spec.md}) of a replicated cluster: one method per operation, each
 * returning the parsed {@link Result}.
 *
 * <p>An operation goes to the first server. After a connection failure, an attempt that outlives the attempt timeout,
 * or a retriable status (any 5xx such as 503 "no majority"; 404, which Liberty answers while the application is
 * being deployed; 408; 429) the identical request goes to the next server in cyclic order after a short backoff
 * (100 ms doubling per attempt, or the answer's {@code Retry-After}, either capped at {@value #MAX_BACKOFF_MILLIS}
 * ms), until a final answer or the overall deadline. Every attempt of one state-changing operation carries the same
 * {@code Idempotency-Key}, drawn once per operation, so the cluster applies it at most once whichever server orders
 * it; a retry whose first attempt was ordered gets that attempt's reply. Reads carry no key.
 *
 * <p>Thread-safe: the configuration is immutable and the {@link HttpClient} is shared; each call runs its attempts
 * on the calling thread, so many threads (e.g. a load generator) may call one instance at once, provided the
 * idempotency key supplier is thread-safe (as {@link #randomKeys()} is).
 */
public final class DermsClient {

    public static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
    public static final String REPLICATION_SEQ_HEADER = "X-Replication-Seq";
    public static final String RETRY_AFTER_HEADER = "Retry-After";

    private static final long MAX_BACKOFF_MILLIS = 2_000;
    private static final long FIRST_BACKOFF_MILLIS = 100;
    private static final Set<Integer> REJECTION_STATUSES = Set.of(400, 403, 422);
    private static final String API = "/derms/api";

    private final List<URI> servers;
    private final Duration attemptTimeout;
    private final Duration deadline;
    private final Supplier<String> idempotencyKeys;
    private final HttpClient http;

    /**
     * @param servers         base URLs without the context root, e.g. {@code http://localhost:9081}, in failover order
     * @param attemptTimeout  how long one attempt may take
     * @param deadline        how long all attempts of one operation may take together
     * @param idempotencyKeys gives the key of each state-changing operation; {@link #randomKeys()} for fresh UUIDs
     */
    public DermsClient(List<URI> servers, Duration attemptTimeout, Duration deadline,
            Supplier<String> idempotencyKeys) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no servers");
        }
        if (attemptTimeout.isNegative() || attemptTimeout.isZero() || deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("the attempt timeout and the deadline must be positive");
        }
        this.servers = servers.stream().map(DermsClient::withoutTrailingSlash).toList();
        this.attemptTimeout = attemptTimeout;
        this.deadline = deadline;
        this.idempotencyKeys = idempotencyKeys;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(attemptTimeout)
                .build();
    }

    /** A fresh random UUID for every operation. */
    public static Supplier<String> randomKeys() {
        return () -> UUID.randomUUID().toString();
    }

    public Result addResource(String userId, String resourceId, String type, long duration)
            throws InterruptedException {
        return post(API + "/resources", Json.createObjectBuilder()
                .add("userId", userId)
                .add("resourceId", resourceId)
                .add("type", type)
                .add("duration", duration));
    }

    public Result removeResource(String userId, String resourceId, long duration) throws InterruptedException {
        return post(API + "/resources/" + percentEncode(resourceId) + "/remove", Json.createObjectBuilder()
                .add("userId", userId)
                .add("duration", duration));
    }

    public Result listResourceAvailability(String userId, String type) throws InterruptedException {
        return get(API + "/resources?userId=" + percentEncode(userId) + "&type=" + percentEncode(type));
    }

    public Result requestResource(String userId, String resourceId, long duration) throws InterruptedException {
        return post(API + "/resources/" + percentEncode(resourceId) + "/request", Json.createObjectBuilder()
                .add("userId", userId)
                .add("duration", duration));
    }

    public Result findResource(String userId, String type) throws InterruptedException {
        return get(API + "/holdings?userId=" + percentEncode(userId) + "&type=" + percentEncode(type));
    }

    public Result returnResource(String userId, String resourceId) throws InterruptedException {
        return post(API + "/resources/" + percentEncode(resourceId) + "/return", Json.createObjectBuilder()
                .add("userId", userId));
    }

    public Result swapResource(String userId, String oldResourceId, String oldType, String newResourceId,
            String newType) throws InterruptedException {
        return post(API + "/swap", Json.createObjectBuilder()
                .add("userId", userId)
                .add("oldResourceId", oldResourceId)
                .add("oldType", oldType)
                .add("newResourceId", newResourceId)
                .add("newType", newType));
    }

    /** Every server's replica report, asked once each (no failover: the point is to hear from each one). */
    public List<ReplicaResult> replicas() throws InterruptedException {
        List<ReplicaResult> results = new ArrayList<>();
        for (URI server : servers) {
            results.add(replica(server));
        }
        return results;
    }

    private ReplicaResult replica(URI server) throws InterruptedException {
        HttpResponse<String> response;
        try {
            response = http.send(getRequest(server, API + "/replica").timeout(attemptTimeout).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException failure) {
            return new ReplicaResult(server, null, describe(failure), null);
        }
        if (response.statusCode() != 200) {
            return new ReplicaResult(server, null, "HTTP " + response.statusCode(), response.body());
        }
        try {
            return new ReplicaResult(server, ReplicaState.fromJson(JsonMembers.parseObject(response.body())), null,
                    response.body());
        } catch (IllegalArgumentException unparseable) {
            return new ReplicaResult(server, null, "unparseable reply: " + unparseable.getMessage(), response.body());
        }
    }

    private Result post(String pathAndQuery, JsonObjectBuilder body) throws InterruptedException {
        String idempotencyKey = idempotencyKeys.get();
        String json = body.build().toString();
        return sendWithFailover(server -> HttpRequest.newBuilder(URI.create(server + pathAndQuery))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header(IDEMPOTENCY_KEY_HEADER, idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
    }

    private Result get(String pathAndQuery) throws InterruptedException {
        return sendWithFailover(server -> getRequest(server, pathAndQuery));
    }

    private static HttpRequest.Builder getRequest(URI server, String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(server + pathAndQuery))
                .header("Accept", "application/json")
                .GET();
    }

    private Result sendWithFailover(Function<URI, HttpRequest.Builder> requestTo) throws InterruptedException {
        long deadlineNanos = System.nanoTime() + deadline.toNanos();
        String lastFailure = "no attempt was made";
        int attempts = 0;
        while (true) {
            Duration remaining = Duration.ofNanos(deadlineNanos - System.nanoTime());
            if (remaining.isNegative() || remaining.isZero()) {
                return Result.noAnswer(lastFailure, attempts);
            }
            URI server = servers.get(attempts % servers.size());
            attempts++;
            Duration backoff = Duration.ofMillis(
                    Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << Math.min(attempts - 1, 10)));
            HttpRequest request = requestTo.apply(server).timeout(shorter(attemptTimeout, remaining)).build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (!isRetriable(response.statusCode())) {
                    return finalResult(server, response, attempts);
                }
                lastFailure = server + " answered HTTP " + response.statusCode();
                Optional<Duration> retryAfter = response.headers().firstValue(RETRY_AFTER_HEADER)
                        .flatMap(value -> retryAfter(value, Instant.now()));
                if (retryAfter.isPresent()) {
                    backoff = retryAfter.get();
                }
            } catch (IOException failure) {
                lastFailure = server + ": " + describe(failure);
            }
            Duration untilDeadline = Duration.ofNanos(deadlineNanos - System.nanoTime());
            Thread.sleep(Math.max(0, shorter(backoff, untilDeadline).toMillis()));
        }
    }

    private static boolean isRetriable(int status) {
        return status >= 500 || status == 404 || status == 408 || status == 429;
    }

    private static Result finalResult(URI server, HttpResponse<String> response, int attempts) {
        int status = response.statusCode();
        OptionalLong seq = replicationSeq(response);
        String body = response.body();
        if (REJECTION_STATUSES.contains(status)) {
            try {
                JsonObject error = JsonMembers.parseObject(body);
                return Result.rejected(server, status, seq, JsonMembers.requiredString(error, "error"),
                        JsonMembers.optionalString(error, "field"), body, attempts);
            } catch (IllegalArgumentException notAnErrorObject) {
                return Result.rejected(server, status, seq, "HTTP " + status + " without a JSON error", null, body,
                        attempts);
            }
        }
        if (status != 200) {
            return Result.unexpected(server, status, seq, "HTTP " + status, body, attempts);
        }
        try {
            JsonObject result = JsonMembers.parseObject(body);
            List<JsonObject> entries = JsonMembers.optionalObjects(result, "resources");
            List<Resource> resources = entries == null ? null : entries.stream().map(Resource::fromJson).toList();
            String message = JsonMembers.optionalString(result, "message");
            return Result.answered(server, seq, JsonMembers.requiredString(result, "status"),
                    message == null ? "" : message, resources, body, attempts);
        } catch (IllegalArgumentException unparseable) {
            return Result.unexpected(server, status, seq, "unparseable result: " + unparseable.getMessage(), body,
                    attempts);
        }
    }

    private static OptionalLong replicationSeq(HttpResponse<String> response) {
        Optional<String> value = response.headers().firstValue(REPLICATION_SEQ_HEADER);
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value.get().trim()));
        } catch (NumberFormatException malformed) {
            return OptionalLong.empty();
        }
    }

    /**
     * How long a {@code Retry-After} value (delta-seconds or HTTP-date) asks to wait from {@code now}, capped at
     * {@value #MAX_BACKOFF_MILLIS} ms; empty if the value is neither form.
     */
    static Optional<Duration> retryAfter(String value, Instant now) {
        String trimmed = value.trim();
        Duration wait;
        if (!trimmed.isEmpty() && trimmed.chars().allMatch(c -> c >= '0' && c <= '9')) {
            wait = trimmed.length() > 9 ? Duration.ofMillis(MAX_BACKOFF_MILLIS)
                    : Duration.ofSeconds(Long.parseLong(trimmed));
        } else {
            try {
                wait = Duration.between(now, ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME));
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
        if (wait.isNegative()) {
            return Optional.of(Duration.ZERO);
        }
        return Optional.of(shorter(wait, Duration.ofMillis(MAX_BACKOFF_MILLIS)));
    }

    private static String describe(IOException failure) {
        if (failure instanceof HttpConnectTimeoutException) {
            return "no connection in time";
        }
        if (failure instanceof HttpTimeoutException) {
            return "no answer in time";
        }
        if (failure instanceof ConnectException) {
            return "cannot connect" + (failure.getMessage() == null ? "" : " (" + failure.getMessage() + ")");
        }
        return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }

    /** {@code text} with every byte outside RFC 3986's unreserved characters percent-encoded (UTF-8). */
    static String percentEncode(String text) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                encoded.append(c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return encoded.toString();
    }

    private static URI withoutTrailingSlash(URI server) {
        String text = server.toString();
        return text.endsWith("/") ? URI.create(text.replaceAll("/+$", "")) : server;
    }

    private static Duration shorter(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
