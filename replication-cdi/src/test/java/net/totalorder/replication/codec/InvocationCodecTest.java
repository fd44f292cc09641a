package net.totalorder.replication.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The invocation codec decodes what it encodes, and refuses — with {@link UndecodableInvocationException}, which
 * the replicas turn into the same rejected reply — every payload that is not exactly one call of a replicated
 * method with its declared arguments.
 */
class InvocationCodecTest {

    public record Item(String name, int count, List<String> tags) {
    }

    /** The replicated methods the payloads name. */
    public static final class Bean {
        public String book(String who, int seat, List<Integer> extras, Item item) {
            return who;
        }

        public int count() {
            return 0;
        }
    }

    private static Jsonb jsonb;
    private static InvocationCodec codec;
    private static ReplicatedMethod book;
    private static ReplicatedMethod count;

    @BeforeAll
    static void codec() throws Exception {
        jsonb = JsonbBuilder.create();
        ReplicatedMethods methods = new ReplicatedMethods();
        book = method("book", String.class, int.class, List.class, Item.class);
        count = method("count");
        methods.add(book);
        methods.add(count);
        codec = new InvocationCodec(jsonb, methods);
    }

    @AfterAll
    static void close() throws Exception {
        jsonb.close();
    }

    private static ReplicatedMethod method(String name, Class<?>... parameters) throws NoSuchMethodException {
        Method m = Bean.class.getMethod(name, parameters);
        return new ReplicatedMethod(ReplicatedMethod.idOf(Bean.class, m), Bean.class, m, false);
    }

    @Test
    void decodesWhatItEncodes_nullsQuotesAndEscapesIncluded() throws Exception {
        Instant at = Instant.ofEpochMilli(1_700_000_000_123L);
        Object[] args = {"ana \"the\" \\ booker\n\u00e9\u4e2d", 7, List.of(1, 2, 3),
            new Item("seat, [row] {A}", 2, List.of("a\"]", "}b"))};
        InvocationCodec.Invocation decoded = codec.decode(codec.encode(book, args, at));
        assertSame(book, decoded.method());
        assertArrayEquals(args, decoded.args());
        assertEquals(at, decoded.timestamp());

        Object[] nulls = {null, 0, null, null};
        assertArrayEquals(nulls, codec.decode(codec.encode(book, nulls, at)).args());

        InvocationCodec.Invocation none = codec.decode(codec.encode(count, new Object[0], at));
        assertSame(count, none.method());
        assertEquals(0, none.args().length);
    }

    @Test
    void acceptsWhiteSpaceBetweenTokens() throws Exception {
        InvocationCodec.Invocation decoded = codec.decode(payload(" {\n \"m\" : \"" + book.id() + "\" ,\t\"a\" : [ "
                + "\"bo\" , 3 , [ 4 ] , { \"name\" : \"n\", \"count\" : 1, \"tags\" : [] } ] } \r\n"));
        assertArrayEquals(new Object[] {"bo", 3, List.of(4), new Item("n", 1, List.of())}, decoded.args());
    }

    @Test
    void refusesEveryPayloadThatIsNotExactlyOneCallOfAReplicatedMethod() {
        String m = "\"m\":\"" + book.id() + "\"";
        String args = "\"bo\",3,[4],{\"name\":\"n\",\"count\":1,\"tags\":[]}";
        // each: the payload's text -> what the refusal says
        String[][] cases = {
            {"{\"a\":[" + args + "]," + m + "}", "expected the key \"m\""},
            {"{" + m + ",\"x\":1,\"a\":[" + args + "]}", "expected the key \"a\""},
            {"{" + m + ",\"a\":[" + args + "],\"x\":1}", "expected '}'"},
            {"{" + m + ",\"a\":[" + args + "]}x", "text after the invocation"},
            {"{" + m + ",\"a\":[" + args + "]}{}", "text after the invocation"},
            {"{" + m + ",\"a\":[" + args + "]", "expected '}'"},
            {"{" + m + ",\"a\":[\"bo\",3,[4],]}", "expected a value"},
            {"{" + m + ",\"a\":[" + args + " 5]}", "expected ']'"},
            {"{" + m + ",\"a\":[" + args + ",5]}", "more than the 4 arguments"},
            {"{" + m + ",\"a\":[\"bo\",3,[4]]}", "does not carry the 4 arguments"},
            {"{" + m + ",\"a\":[]}", "does not carry the 4 arguments"},
            {"{" + m + ",\"a\":[\"bo,3,[4],null]}", "unterminated string"},
            {"{" + m + ",\"a\":[\"b\no\",3,[4],null]}", "control character"},
            {"{" + m + ",\"a\":[\"bo\",3,[4,{\"name\":\"n\"", "unclosed '['"},
            {"{" + m + ",\"a\":[\"bo\",3,[4,{\"name\":\"n\"]}", "does not decode"},
            {"{" + m + ",\"a\":[\"bo\",null,[4],null]}", "null for a primitive parameter"},
            {"{" + m + ",\"a\":[\"bo\",\"three\",[4],null]}", "does not decode"},
            {"{" + m + ",\"a\":[\"bo\",3,[4],{\"name\":}]}", "does not decode"},
            {"{" + m + ",\"a\":[\"bo\",3,[4],{\"name\":\"n\"]]}", "does not decode"},
            {"{\"m\":\"java.lang.Runtime#exec(java.lang.String)\",\"a\":[\"rm\"]}", "not a replicated method"},
            {"{\"m\":\"\\q\",\"a\":[]}", "not a valid invocation"},
            {"{\"m\":7,\"a\":[]}", "expected a string"},
            {"[]", "expected '{'"},
            {" ", "expected '{'"},
        };
        for (String[] c : cases) {
            UndecodableInvocationException e = assertThrows(UndecodableInvocationException.class,
                    () -> codec.decode(payload(c[0])), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
        byte[] notUtf8 = ByteBuffer.allocate(10).putLong(1).put((byte) 0xC3).put((byte) 0x28).array();
        assertTrue(assertThrows(UndecodableInvocationException.class, () -> codec.decode(notUtf8)).getMessage()
                .contains("not UTF-8"));
        assertTrue(assertThrows(UndecodableInvocationException.class, () -> codec.decode(new byte[8])).getMessage()
                .contains("too short"));
    }

    @Test
    void anEscapedMethodIdIsReadAsItsValue() throws Exception {
        String escaped = book.id().replace(".", "\\u002e");
        InvocationCodec.Invocation decoded =
                codec.decode(payload("{\"m\":\"" + escaped + "\",\"a\":[null,1,null,null]}"));
        assertSame(book, decoded.method());
        assertNull(decoded.args()[0]);
    }

    private static byte[] payload(String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + body.length).putLong(42).put(body).array();
    }
}
