package net.totalorder.derms.rest;

import java.io.StringReader;

import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import net.totalorder.derms.domain.InvalidInputException;

/**
 * A request body: one JSON object. Fields are read by name; a missing or null field reads as null (the domain then
 * reports it as missing), a field of the wrong JSON type is invalid input naming the field. Immutable.
 */
final class JsonBody {

    /** Looked up once: each {@code Json.createReader} call looks the provider up again through the class loader. */
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
        try (JsonReader reader = JSON.createReader(new StringReader(text))) {
            if (reader.read() instanceof JsonObject object) {
                return new JsonBody(object);
            }
            throw new InvalidInputException("body", "the request body is not a JSON object");
        } catch (JsonException | IllegalStateException e) {
            throw new InvalidInputException("body", "the request body is not a JSON object");
        }
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
