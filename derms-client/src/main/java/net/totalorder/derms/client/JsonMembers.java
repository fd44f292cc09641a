package net.totalorder.derms.client;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;

/**
 * A server's JSON answers read through Jakarta JSON-P: an answer that is not one JSON object, or a member of the
 * wrong type, is an {@link IllegalArgumentException} naming what is wrong (callers report the answer as outside the
 * API contract). Stateless.
 */
final class JsonMembers {

    private JsonMembers() {
    }

    /**
     * Duplicate member names are refused rather than resolved: an answer that has them is not the API's. (Parsson's
     * own setting: the JSON-P 2.1 key strategy is not read by its parser.)
     */
    private static final JsonParserFactory PARSERS =
            Json.createParserFactory(Map.of("org.eclipse.parsson.rejectDuplicateKeys", Boolean.TRUE));

    /** {@code text} as one JSON object, with nothing but white space after it. */
    static JsonObject parseObject(String text) {
        try (JsonParser parser = PARSERS.createParser(new StringReader(text))) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object: it does not begin with '{'");
            }
            JsonObject object = parser.getObject();
            if (parser.hasNext()) {
                throw new IllegalArgumentException("not a JSON object: something follows it");
            }
            return object;
        } catch (JsonException | IllegalStateException malformed) {
            throw new IllegalArgumentException("not a JSON object: " + malformed.getMessage(), malformed);
        } catch (RuntimeException tooDeep) {       // Parsson refuses nesting beyond its limit with a bare one
            throw new IllegalArgumentException("not a JSON object: " + tooDeep.getMessage(), tooDeep);
        }
    }

    static String requiredString(JsonObject object, String name) {
        String value = optionalString(object, name);
        if (value == null) {
            throw new IllegalArgumentException("member \"" + name + "\" is missing");
        }
        return value;
    }

    /** The string member {@code name}, or null if it is absent or JSON null. */
    static String optionalString(JsonObject object, String name) {
        JsonValue value = object.get(name);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (value instanceof JsonString string) {
            return string.getString();
        }
        throw new IllegalArgumentException("member \"" + name + "\" is not a string");
    }

    static long requiredLong(JsonObject object, String name) {
        JsonValue value = object.get(name);
        if (!(value instanceof JsonNumber number)) {
            throw new IllegalArgumentException("member \"" + name + "\" is "
                    + (value == null ? "missing" : "not an integer"));
        }
        try {
            return number.longValueExact();
        } catch (ArithmeticException notALong) {
            throw new IllegalArgumentException("member \"" + name + "\" is not a 64-bit integer", notALong);
        }
    }

    /** The array-of-objects member {@code name}, or null if it is absent or JSON null. */
    static List<JsonObject> optionalObjects(JsonObject object, String name) {
        JsonValue value = object.get(name);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (value.getValueType() != JsonValue.ValueType.ARRAY) {
            throw new IllegalArgumentException("member \"" + name + "\" is not an array");
        }
        List<JsonObject> elements = new ArrayList<>();
        for (JsonValue element : value.asJsonArray()) {
            if (element.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new IllegalArgumentException("member \"" + name + "\" has an element that is not an object");
            }
            elements.add(element.asJsonObject());
        }
        return elements;
    }
}
