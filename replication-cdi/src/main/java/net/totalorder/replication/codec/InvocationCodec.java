package net.totalorder.replication.codec;

import java.io.StringReader;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.spi.JsonProvider;

import net.totalorder.replication.api.ReplicatedMethodException;
import net.totalorder.sequencer.core.StrictUtf8;
import net.totalorder.sequencer.core.TentativeAssignment;

/**
 * The wire form of a replicated invocation: 8 bytes of the caller's time stamp (milliseconds, big-endian), then
 * UTF-8 JSON {@code {"m": "<method id>", "a": [<arguments>]}}, each argument encoded by JSON-B with the declared
 * parameter type. Return values are JSON-B with the declared return type. No Java serialization.
 *
 * <p>Decoding accepts only methods of the {@link ReplicatedMethods} registry and decodes each argument into the
 * declared type, so no payload can make a replica instantiate anything else. The {@linkplain #identity identity}
 * of an invocation is a hash of method and arguments, without the time stamp: a retry of the same call has the
 * same identity.
 *
 * <p>Thread-safe ({@link Jsonb} is).
 */
public final class InvocationCodec {

    private static final int STAMP_BYTES = 8;

    private final Jsonb jsonb;
    private final ReplicatedMethods methods;
    /** Looked up once: each {@code Json.createReader} call looks the provider up again through the class loader. */
    private final JsonProvider jsonp = JsonProvider.provider();

    public InvocationCodec(Jsonb jsonb, ReplicatedMethods methods) {
        this.jsonb = jsonb;
        this.methods = methods;
    }

    /** A decoded invocation. */
    public record Invocation(ReplicatedMethod method, Object[] args, Instant timestamp) {
    }

    /**
     * @throws IllegalArgumentException when the encoding exceeds {@value TentativeAssignment#MAX_PAYLOAD_BYTES}
     *                                  bytes: such a call is refused before it is ordered
     */
    public byte[] encode(ReplicatedMethod method, Object[] args, Instant timestamp) {
        Type[] types = method.method().getGenericParameterTypes();
        StringBuilder json = new StringBuilder(64).append("{\"m\":")
                .append(jsonp.createValue(method.id()).toString()).append(",\"a\":[");
        for (int i = 0; i < types.length; i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append(args[i] == null ? "null" : jsonb.toJson(args[i], types[i]));
        }
        json.append("]}");
        byte[] body = json.toString().getBytes(StandardCharsets.UTF_8);
        if (STAMP_BYTES + body.length > TentativeAssignment.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("the call of " + method.id() + " encodes to " + (STAMP_BYTES
                    + body.length) + " bytes, more than the limit of " + TentativeAssignment.MAX_PAYLOAD_BYTES);
        }
        return ByteBuffer.allocate(STAMP_BYTES + body.length).putLong(timestamp.toEpochMilli()).put(body).array();
    }

    public Invocation decode(byte[] payload) throws UndecodableInvocationException {
        if (payload.length <= STAMP_BYTES) {
            throw new UndecodableInvocationException("payload of " + payload.length + " bytes is too short");
        }
        ByteBuffer buffer = ByteBuffer.wrap(payload);
        Instant timestamp = Instant.ofEpochMilli(buffer.getLong());
        String text;
        try {
            text = StrictUtf8.decode(buffer, buffer.remaining());
        } catch (CharacterCodingException e) {
            throw new UndecodableInvocationException("payload is not UTF-8", e);
        }
        try {
            InvocationText json = new InvocationText(text);
            json.expect('{');
            json.expectKey("m");
            String id = json.string();
            ReplicatedMethod method = methods.byId(id);
            if (method == null) {
                throw new UndecodableInvocationException("payload names " + id
                        + ", which is not a replicated method of this application");
            }
            json.expect(',');
            json.expectKey("a");
            json.expect('[');
            Type[] types = method.method().getGenericParameterTypes();
            Object[] args = new Object[types.length];
            int n = 0;
            if (!json.next(']')) {
                do {
                    if (n == types.length) {
                        throw new UndecodableInvocationException("payload carries more than the " + types.length
                                + " arguments of " + method.id());
                    }
                    String v = json.value();
                    args[n] = "null".equals(v) ? null : jsonb.fromJson(v, types[n]);
                    if (args[n] == null && method.method().getParameterTypes()[n].isPrimitive()) {
                        throw new UndecodableInvocationException("argument " + (n + 1) + " of " + method.id()
                                + " is null for a primitive parameter");
                    }
                    n++;
                } while (json.next(','));
                json.expect(']');
            }
            if (n != types.length) {
                throw new UndecodableInvocationException("payload does not carry the " + types.length
                        + " arguments of " + method.id());
            }
            json.expect('}');
            json.end();
            return new Invocation(method, args, timestamp);
        } catch (JsonException | IllegalStateException e) {
            throw new UndecodableInvocationException("payload is not a valid invocation: " + e.getMessage(), e);
        } catch (RuntimeException e) {       // JSON-B reports mapping failures as its own runtime exceptions
            throw new UndecodableInvocationException("an argument does not decode: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the one form {@link #encode} writes, {@code {"m":<string>,"a":[<value>,...]}} (white space allowed
     * between tokens), in one pass: each argument's JSON text is handed to JSON-B as it stands, instead of being
     * parsed into a JSON-P tree, printed again and parsed a third time (the apply thread's largest cost after the
     * method itself). Structure is checked here — the keys in this order and no others, every string and bracket
     * closed, nothing after the object — and each argument's own syntax by JSON-B. Not thread-safe: one per decode.
     */
    private final class InvocationText {

        private final String text;
        private int at;

        InvocationText(String text) {
            this.text = text;
        }

        void expect(char c) throws UndecodableInvocationException {
            if (!next(c)) {
                throw invalid("expected '" + c + "'");
            }
        }

        /** Skips white space; consumes {@code c} and returns true if it comes next. */
        boolean next(char c) {
            skipSpace();
            if (at < text.length() && text.charAt(at) == c) {
                at++;
                return true;
            }
            return false;
        }

        void expectKey(String key) throws UndecodableInvocationException {
            int from = at;
            if (!key.equals(string())) {
                at = from;
                throw invalid("expected the key \"" + key + "\"");
            }
            expect(':');
        }

        /** A JSON string's value. */
        String string() throws UndecodableInvocationException {
            skipSpace();
            int from = at;
            if (at >= text.length() || text.charAt(at) != '"') {
                throw invalid("expected a string");
            }
            boolean escaped = skipString();
            String token = text.substring(from, at);
            if (!escaped) {
                return token.substring(1, token.length() - 1);
            }
            try (JsonReader reader = jsonp.createReader(new StringReader("[" + token + "]"))) {
                return reader.readArray().getString(0);
            }
        }

        /** The JSON text of the value that comes next: a string, an object or array up to its closing bracket, or
         *  a literal up to the next delimiter. */
        String value() throws UndecodableInvocationException {
            skipSpace();
            int from = at;
            if (at >= text.length()) {
                throw invalid("expected a value");
            }
            char c = text.charAt(at);
            if (c == '"') {
                skipString();
            } else if (c == '{' || c == '[') {
                int depth = 0;
                do {
                    if (at >= text.length()) {
                        throw invalid("unclosed '" + c + "'");
                    }
                    char d = text.charAt(at);
                    if (d == '"') {
                        skipString();
                        continue;
                    }
                    if (d == '{' || d == '[') {
                        depth++;
                    } else if (d == '}' || d == ']') {
                        depth--;
                    }
                    at++;
                } while (depth > 0);
            } else {
                while (at < text.length() && ",]} \t\r\n".indexOf(text.charAt(at)) < 0) {
                    at++;
                }
                if (at == from) {
                    throw invalid("expected a value");
                }
            }
            return text.substring(from, at);
        }

        void end() throws UndecodableInvocationException {
            skipSpace();
            if (at != text.length()) {
                throw invalid("text after the invocation");
            }
        }

        /** From an opening quote to past its closing one; returns whether the string holds an escape. */
        private boolean skipString() throws UndecodableInvocationException {
            boolean escaped = false;
            at++;
            while (true) {
                if (at >= text.length()) {
                    throw invalid("unterminated string");
                }
                char c = text.charAt(at);
                if (c == '"') {
                    at++;
                    return escaped;
                }
                if (c < 0x20) {
                    throw invalid("control character in a string");
                }
                if (c == '\\') {
                    escaped = true;
                    at++;
                }
                at++;
            }
        }

        private void skipSpace() {
            while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
        }

        private UndecodableInvocationException invalid(String what) {
            return new UndecodableInvocationException("payload is not a valid invocation: " + what + " at offset "
                    + at);
        }
    }

    public String encodeResult(ReplicatedMethod method, Object value) {
        return value == null ? "null" : jsonb.toJson(value, method.method().getGenericReturnType());
    }

    public Object decodeResult(ReplicatedMethod method, String json) {
        Class<?> returnType = method.method().getReturnType();
        if (returnType == void.class || "null".equals(json)) {
            return null;
        }
        return jsonb.fromJson(json, method.method().getGenericReturnType());
    }

    /**
     * An exception the method threw, as every replica records it: {@code {"type": <class name>, "message": ...}}.
     * The message is the exception's own, so replicas that threw alike record alike.
     */
    public String encodeThrown(Throwable thrown) {
        return jsonp.createObjectBuilder().add("type", thrown.getClass().getName())
                .add("message", thrown.getMessage() == null ? JsonValue.NULL : jsonp.createValue(thrown.getMessage()))
                .build().toString();
    }

    /**
     * The exception to throw for a recorded {@link #encodeThrown} on a replica that did not throw it itself: an
     * instance of the recorded type when that type is one {@code method} declares (or a subclass of one), or an
     * unchecked exception of the application's own classes, with a public constructor taking the message; else a
     * {@link ReplicatedMethodException} naming the type. Never loads a class outside the application's.
     */
    public Exception decodeThrown(ReplicatedMethod method, String encoded) {
        String type;
        String message;
        try (JsonReader reader = jsonp.createReader(new StringReader(encoded))) {
            JsonObject o = reader.readObject();
            type = o.getString("type");
            message = o.isNull("message") ? null : o.getString("message");
        } catch (JsonException | ClassCastException | NullPointerException e) {
            return new ReplicatedMethodException("unknown", encoded);
        }
        ClassLoader loader = method.beanClass().getClassLoader();
        try {
            Class<?> c = Class.forName(type, false, loader);
            boolean declared = false;
            for (Class<?> d : method.method().getExceptionTypes()) {
                declared |= d.isAssignableFrom(c);
            }
            boolean ownUnchecked = RuntimeException.class.isAssignableFrom(c) && c.getClassLoader() == loader;
            if ((declared || ownUnchecked) && Exception.class.isAssignableFrom(c)) {
                return (Exception) c.getConstructor(String.class).newInstance(message);
            }
        } catch (ReflectiveOperationException | LinkageError e) {
            // not rebuildable here: described instead
        }
        return new ReplicatedMethodException(type, message);
    }

    /** SHA-256 of the invocation without its time stamp, in hex. */
    public static String identity(byte[] payload) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(payload, Math.min(STAMP_BYTES, payload.length), Math.max(0, payload.length - STAMP_BYTES));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
