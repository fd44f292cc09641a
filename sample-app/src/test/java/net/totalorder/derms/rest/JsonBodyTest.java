package net.totalorder.derms.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import net.totalorder.derms.domain.InvalidInputException;
import org.junit.jupiter.api.Test;

/** Whatever the text, a body parses or is refused as invalid input naming "body" (HTTP 400): never anything else. */
class JsonBodyTest {

    private static String refused(String text) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> JsonBody.parse(text),
                "accepted: " + text.substring(0, Math.min(60, text.length())));
        assertEquals("body", e.field());
        return e.getMessage();
    }

    @Test
    void aFlatObject_isRead() {
        JsonBody b = JsonBody.parse("{\"userId\":\"MTLR1111\",\"duration\":3,\"note\":\"[[[{{{\\\"\"}");
        assertEquals("MTLR1111", b.string("userId"));
        assertEquals(3, b.integer("duration"));
        assertNull(b.string("missing"));
    }

    /** 100,000 levels used to reach the parser and end in HTTP 500. */
    @Test
    void deepNesting_isRefusedBeforeParsing() {
        String deep = "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertEquals("the request body is longer than 16384 characters", refused(deep));
        String nine = "{\"a\":" + "[".repeat(8) + "]".repeat(8) + "}";
        assertEquals("the request body is nested deeper than 8 levels", refused(nine));
        assertEquals(9, JsonBody.depth(nine));
        assertEquals(1, JsonBody.depth("{\"a\":\"[[[[[[[[[[[[\"}"), "brackets in strings do not count");
    }

    @Test
    void everyKindOfMalformedText_isInvalidInput() {
        for (String text : List.of("", " ", "{", "}", "[]", "42", "\"s\"", "null", "{\"a\":}", "{\"a\":1,}",
                "{\"a\":1}{\"b\":2}", "{\"a\":\"\\u12\"}", "\u0000", "{'a':1}",
                "{\"a\":NaN}", "{\"a\":01}", "{\"a\":\"unterminated}")) {
            refused(text);
        }
    }

    @Test
    void wrongTypesAndHugeNumbers_nameTheirField() {
        JsonBody b = JsonBody.parse("{\"duration\":1e999999999,\"userId\":7,\"big\":99999999999}");
        assertEquals("duration", assertThrows(InvalidInputException.class, () -> b.integer("duration")).field());
        assertEquals("userId", assertThrows(InvalidInputException.class, () -> b.string("userId")).field());
        assertEquals("big is out of range",
                assertThrows(InvalidInputException.class, () -> b.integer("big")).getMessage());
    }
}
