package net.totalorder.derms.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

class JsonMembersTest {

    @Test
    void businessResult_withResources_parsesIntoTypedMembers() {
        JsonObject result = JsonMembers.parseObject(" {\"status\" : \"SUCCESS\", \"message\": \"2 found\",\n"
                + "\"resources\": [{\"resourceId\":\"MTL1001\",\"type\":\"AMBULANCE\",\"duration\":10},"
                + " {\"resourceId\":\"SHE3003\",\"type\":\"AMBULANCE\",\"duration\":0}]}\r\n");

        assertEquals("SUCCESS", JsonMembers.requiredString(result, "status"));
        assertEquals("2 found", JsonMembers.optionalString(result, "message"));
        assertEquals(List.of(new Resource("MTL1001", "AMBULANCE", 10), new Resource("SHE3003", "AMBULANCE", 0)),
                JsonMembers.optionalObjects(result, "resources").stream().map(Resource::fromJson).toList());
    }

    @Test
    void businessResult_withEmptyResources_isAnEmptyList_andWithoutResourcesNull() {
        JsonObject empty = JsonMembers.parseObject("{\"status\":\"SUCCESS\",\"message\":\"\",\"resources\":[ ]}");
        JsonObject none = JsonMembers.parseObject("{\"status\":\"WAITLISTED\",\"message\":\"queued\"}");

        assertEquals(List.of(), JsonMembers.optionalObjects(empty, "resources"));
        assertNull(JsonMembers.optionalObjects(none, "resources"));
    }

    @Test
    void errorShape_withAndWithoutField_parses() {
        JsonObject withField = JsonMembers.parseObject("{\"error\":\"duration must be positive\",\"field\":\"duration\"}");
        JsonObject nullField = JsonMembers.parseObject("{\"error\":\"not a coordinator\",\"field\":null}");

        assertEquals("duration must be positive", JsonMembers.requiredString(withField, "error"));
        assertEquals("duration", JsonMembers.optionalString(withField, "field"));
        assertNull(JsonMembers.optionalString(nullField, "field"));
    }

    @Test
    void replicaShape_parses_withSeqsBeyond32Bits() {
        assertEquals(new ReplicaState("node2", 12345678901L, 12345678900L, "9f86d081"),
                ReplicaState.fromJson(JsonMembers.parseObject("{\"node\":\"node2\",\"appliedSeq\":12345678901,"
                        + "\"digestSeq\":12345678900,\"digest\":\"9f86d081\"}")));
    }

    @Test
    void stringEscapes_includingUnicodeAndSurrogatePairs_areDecoded() {
        assertEquals("a\"b\\c/d\b\f\n\r\t é \uD83D\uDE91", JsonMembers.requiredString(JsonMembers.parseObject(
                "{\"m\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t \\u00e9 \\ud83d\\ude91\"}"), "m"));
    }

    @Test
    void anythingButOneWellFormedObject_isRefused_withTheParsersReason() {
        for (String malformed : List.of("", "{", "{\"a\":1,}", "{\"a\" 1}", "[1, 2]", "\"text\"", "{\"a\":1} x",
                "{\"a\":\"tab\there\"}", "{\"a\":\"\\x\"}", "{\"a\":01}", "{\"a\":tru}", "{\"a\":1,\"a\":2}",
                "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}")) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> JsonMembers.parseObject(malformed), malformed.substring(0, Math.min(40, malformed.length())));
            assertTrue(error.getMessage().startsWith("not a JSON object: "), error.getMessage());
        }
    }

    @Test
    void memberOfTheWrongType_isAnErrorNamingIt() {
        for (String entry : List.of("{\"resourceId\":\"MTL1001\",\"type\":\"AMBULANCE\",\"duration\":\"10\"}",
                "{\"resourceId\":\"MTL1001\",\"type\":\"AMBULANCE\",\"duration\":1.5}",
                "{\"resourceId\":\"MTL1001\",\"type\":\"AMBULANCE\",\"duration\":12345678901234567890}",
                "{\"resourceId\":\"MTL1001\",\"type\":\"AMBULANCE\"}")) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> Resource.fromJson(JsonMembers.parseObject(entry)), entry);
            assertTrue(error.getMessage().contains("\"duration\""), error.getMessage());
        }
        IllegalArgumentException notAString = assertThrows(IllegalArgumentException.class,
                () -> JsonMembers.requiredString(JsonMembers.parseObject("{\"status\":7}"), "status"));
        assertTrue(notAString.getMessage().contains("\"status\""), notAString.getMessage());
        IllegalArgumentException notAnArray = assertThrows(IllegalArgumentException.class,
                () -> JsonMembers.optionalObjects(JsonMembers.parseObject("{\"resources\":{}}"), "resources"));
        assertTrue(notAnArray.getMessage().contains("\"resources\""), notAnArray.getMessage());
    }
}
