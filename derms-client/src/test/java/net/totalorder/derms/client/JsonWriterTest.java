package net.totalorder.derms.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JsonWriterTest {

    @Test
    void quotesAndBackslashes_areEscaped() {
        assertEquals("\"say \\\"hi\\\" to C:\\\\temp\"", quoted("say \"hi\" to C:\\temp"));
    }

    @Test
    void controlCharacters_areEscaped() {
        assertEquals("\"\\b\\f\\n\\r\\t\\u0000\\u001f\"", quoted("\b\f\n\r\t\u0000\u001f"));
    }

    @Test
    void nonAsciiAndSurrogatePairs_passThrough_butUnpairedSurrogatesAreEscaped() {
        assertEquals("\"Québec \uD83D\uDE91\"", quoted("Québec \uD83D\uDE91"));
        assertEquals("\"\\ud83d x \\ude91\"", quoted("\uD83D x \uDE91"));
    }

    @Test
    void members_areWrittenInOrder_withEscapedNames() {
        String json = new JsonWriter().string("userId", "MTLR1111").number("duration", -5).string("a\"b", "").toJson();

        assertEquals("{\"userId\":\"MTLR1111\",\"duration\":-5,\"a\\\"b\":\"\"}", json);
    }

    @Test
    void writtenStrings_readBackUnchanged() {
        String awkward = "\"\\/\b\f\n\r\t\u0001\u007f é \uD83D\uDE91";

        assertEquals(awkward, JsonReader.parseObject(new JsonWriter().string("s", awkward).toJson()).get("s"));
    }

    @Test
    void emptyObject_isBraces() {
        assertEquals("{}", new JsonWriter().toJson());
    }

    /** How the writer writes {@code text} as a member value. */
    private static String quoted(String text) {
        String json = new JsonWriter().string("s", text).toJson();
        return json.substring("{\"s\":".length(), json.length() - 1);
    }
}
