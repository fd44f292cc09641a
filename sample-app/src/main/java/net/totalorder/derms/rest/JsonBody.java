package net.totalorder.derms.rest;

import java.io.StringReader;

import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;

import net.totalorder.derms.domain.InvalidInputException;

/**
 * A request body: one JSON object. Fields are read by name; a missing or null field reads as null (the domain then
 * reports it as missing), a field of the wrong JSON type is invalid input naming the field. Whatever the text, parsing
 * ends in a body or in {@link InvalidInputException} (HTTP 400): a body longer than {@value #MAX_CHARS} characters
 * or nested deeper than {@value #MAX_DEPTH} levels is refused before the parser sees it (a deep one would otherwise
 * exhaust the parser's stack). Immutable.
 */
final class JsonBody {

    /** DERMS bodies are a few flat fields: far below both bounds. */
    static final int MAX_CHARS = 16 * 1024;
    static final int MAX_DEPTH = 8;

    /** Looked up once: each {@code Json.createParser} call looks the provider up again through the class loader. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private final JsonObject object;

    private JsonBody(JsonObject object) {
        this.object = object;
    }

    /** @throws InvalidInputException naming {@code body} when the text is not one JSON object */
    static JsonBody parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("body", "the request body is missing");
        }
        if (text.length() > MAX_CHARS) {
            throw new InvalidInputException("body", "the request body is longer than " + MAX_CHARS + " characters");
        }
        if (depth(text) > MAX_DEPTH) {
            throw new InvalidInputException("body", "the request body is nested deeper than " + MAX_DEPTH + " levels");
        }
        try (JsonParser parser = JSON.createParser(new StringReader(text))) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                throw new InvalidInputException("body", "the request body is not a JSON object");
            }
            JsonObject object = parser.getObject();
            if (parser.hasNext()) {
                throw new InvalidInputException("body", "the request body goes on after its JSON object");
            }
            return new JsonBody(object);
        } catch (JsonException | IllegalStateException | NumberFormatException | ArithmeticException e) {
            throw new InvalidInputException("body", "the request body is not a JSON object");
        }
    }

    /** The deepest nesting of objects and arrays in {@code text}, brackets inside strings not counted. */
    static int depth(String text) {
        int depth = 0;
        int deepest = 0;
        boolean inString = false;
        boolean escaped = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                deepest = Math.max(deepest, ++depth);
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return deepest;
    }

    String string(String field) {
        JsonValue v = object.get(field);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (!(v instanceof JsonString s)) {
            throw new InvalidInputException(field, field + " must be a string");
        }
        return s.getString();
    }

    Integer integer(String field) {
        JsonValue v = object.get(field);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (!(v instanceof JsonNumber n) || !n.isIntegral()) {
            throw new InvalidInputException(field, field + " must be an integer");
        }
        try {
            return n.intValueExact();
        } catch (ArithmeticException e) {
            throw new InvalidInputException(field, field + " is out of range");
        }
    }
}
