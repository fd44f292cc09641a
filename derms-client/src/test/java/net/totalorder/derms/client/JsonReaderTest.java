package net.totalorder.derms.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {

    @Test
    void businessResult_withResources_parsesIntoTypedMembers() {
        Map<String, Object> result = JsonReader.parseObject(" {\"status\" : \"SUCCESS\", \"message\": \"2 found\",\n"
                + "\"resources\": [{\"resourceId\":\"MTL1001\",\"type\":\"AMBULANCE\",\"duration\":10},"
                + " {\"resourceId\":\"SHE3003\",\"type\":\"AMBULANCE\",\"duration\":0}]}\r\n");

        assertEquals("SUCCESS", JsonMembers.requiredString(result, "status"));
        assertEquals("2 found", JsonMembers.optionalString(result, "message"));
        assertEquals(List.of(new Resource("MTL1001", "AMBULANCE", 10), new Resource("SHE3003", "AMBULANCE", 0)),
                JsonMembers.optionalObjects(result, "resources").stream().map(Resource::fromJson).toList());
    }

    @Test
    void businessResult_withEmptyResources_isAnEmptyList_andWithoutResourcesNull() {
        Map<String, Object> empty = JsonReader.parseObject("{\"status\":\"SUCCESS\",\"message\":\"\",\"resources\":[ ]}");
        Map<String, Object> none = JsonReader.parseObject("{\"status\":\"WAITLISTED\",\"message\":\"queued\"}");

        assertEquals(List.of(), JsonMembers.optionalObjects(empty, "resources"));
        assertNull(JsonMembers.optionalObjects(none, "resources"));
    }

    @Test
    void errorShape_withAndWithoutField_parses() {
        Map<String, Object> withField = JsonReader.parseObject("{\"error\":\"duration must be positive\",\"field\":\"duration\"}");
        Map<String, Object> nullField = JsonReader.parseObject("{\"error\":\"not a coordinator\",\"field\":null}");

        assertEquals("duration must be positive", JsonMembers.requiredString(withField, "error"));
        assertEquals("duration", JsonMembers.optionalString(withField, "field"));
        assertNull(JsonMembers.optionalString(nullField, "field"));
    }

    @Test
    void replicaShape_parses() {
        assertEquals(new ReplicaState("node2", 12345678901L, 12345678900L, "9f86d081"),
                ReplicaState.fromJson(JsonReader.parseObject("{\"node\":\"node2\",\"appliedSeq\":12345678901,\"digestSeq\":12345678900,\"digest\":\"9f86d081\"}")));
    }

    @Test
    void stringEscapes_includingUnicodeAndSurrogatePairs_areDecoded() {
        assertEquals("a\"b\\c/d\b\f\n\r\t é \uD83D\uDE91",
                JsonReader.parse("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t \\u00e9 \\ud83d\\ude91\""));
    }

    @Test
    void numbersAndLiterals_haveTheirJavaTypes() {
        assertEquals(Arrays.asList(-7L, new BigDecimal("1.5e3"), new BigDecimal("12345678901234567890"), true, false,
                null), JsonReader.parse("[-7, 1.5e3, 12345678901234567890, true, false, null]"));
    }

    @Test
    void malformedDocuments_areRejectedWithTheOffset() {
        for (String malformed : List.of("", "{", "{\"a\":1,}", "{\"a\" 1}", "[1 2]", "{\"a\":1} x", "\"open",
                "\"tab\there\"", "\"\\x\"", "\"\\u12\"", "01", "-", "1.", "1e", "tru", "{\"a\":1,\"a\":2}",
                "[".repeat(65) + "]".repeat(65))) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> JsonReader.parse(malformed), malformed);
            assertTrue(error.getMessage().startsWith("invalid JSON at offset "), error.getMessage());
        }
    }

    @Test
    void memberOfTheWrongType_isAnErrorNamingIt() {
        Map<String, Object> entry = JsonReader.parseObject("{\"resourceId\":\"MTL1001\",\"type\":\"AMBULANCE\",\"duration\":\"10\"}");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Resource.fromJson(entry));
        assertTrue(error.getMessage().contains("\"duration\""), error.getMessage());
    }
}
