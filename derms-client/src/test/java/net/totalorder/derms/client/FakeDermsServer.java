package net.totalorder.derms.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A stand-in DERMS server on an ephemeral loopback port: records every request it receives and answers each with
 * what its script returns for it. Thread-safe: requests are handled on a cached pool and recorded in a concurrent
 * list; {@link #close()} stops the server and interrupts handlers still running (such as {@link #hanging()} ones).
 */
final class FakeDermsServer implements AutoCloseable {

    /** One request as the server received it; {@code idempotencyKey} is null when the header was absent. */
    record ReceivedRequest(String method, String path, String query, String idempotencyKey, String body) {
    }

    /** What the server answers: a status, a JSON body (may be empty) and extra headers. */
    record Reply(int status, String body, Map<String, String> headers) {

        static Reply json(int status, String body) {
            return new Reply(status, body, Map.of());
        }

        Reply withHeader(String name, String value) {
            Map<String, String> merged = new HashMap<>(headers);
            merged.put(name, value);
            return new Reply(status, body, Map.copyOf(merged));
        }
    }

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final List<ReceivedRequest> received = new CopyOnWriteArrayList<>();
    private final Function<ReceivedRequest, Reply> script;

    private FakeDermsServer(Function<ReceivedRequest, Reply> script) throws IOException {
        this.script = script;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A server that answers every request with {@code script(request)}. */
    static FakeDermsServer answering(Function<ReceivedRequest, Reply> script) throws IOException {
        return new FakeDermsServer(script);
    }

    /** A server that answers every request with {@code reply}. */
    static FakeDermsServer always(Reply reply) throws IOException {
        return new FakeDermsServer(request -> reply);
    }

    /** A server that accepts requests and never answers them (until it is closed). */
    static FakeDermsServer hanging() throws IOException {
        return new FakeDermsServer(request -> {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException closed) {
                Thread.currentThread().interrupt();
            }
            return Reply.json(500, "");
        });
    }

    /** A loopback URL on which nothing listens, so connecting to it is refused. */
    static URI refusingConnections() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://" + socket.getInetAddress().getHostAddress() + ":" + socket.getLocalPort());
        }
    }

    URI uri() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    List<ReceivedRequest> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            ReceivedRequest request = new ReceivedRequest(exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders().getFirst(DermsClient.IDEMPOTENCY_KEY_HEADER), body);
            received.add(request);
            Reply reply = script.apply(request);
            reply.headers().forEach(exchange.getResponseHeaders()::set);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream responseBody = exchange.getResponseBody()) {
                responseBody.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
