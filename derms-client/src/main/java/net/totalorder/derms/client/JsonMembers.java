package net.totalorder.derms.client;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Typed access to the members of a JSON object parsed by {@link JsonReader}; a member of the wrong type is an
 * {@link IllegalArgumentException} naming it. Stateless.
 */
final class JsonMembers {

    private JsonMembers() {
    }

    static String requiredString(Map<String, Object> object, String name) {
        String value = optionalString(object, name);
        if (value == null) {
            throw new IllegalArgumentException("member \"" + name + "\" is missing");
        }
        return value;
    }

    /** The string member {@code name}, or null if it is absent or JSON null. */
    static String optionalString(Map<String, Object> object, String name) {
        Object value = object.get(name);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new IllegalArgumentException("member \"" + name + "\" is not a string");
    }

    static long requiredLong(Map<String, Object> object, String name) {
        Object value = object.get(name);
        if (value instanceof Long) {
            return (Long) value;
        }
        if (value instanceof BigDecimal) {
            try {
                return ((BigDecimal) value).longValueExact();
            } catch (ArithmeticException notALong) {
                throw new IllegalArgumentException("member \"" + name + "\" is not a 64-bit integer", notALong);
            }
        }
        throw new IllegalArgumentException("member \"" + name + "\" is " + (value == null ? "missing" : "not an integer"));
    }

    /** The array-of-objects member {@code name}, or null if it is absent or JSON null. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> optionalObjects(Map<String, Object> object, String name) {
        Object value = object.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof List)) {
            throw new IllegalArgumentException("member \"" + name + "\" is not an array");
        }
        List<Map<String, Object>> elements = new ArrayList<>();
        for (Object element : (List<Object>) value) {
            if (!(element instanceof Map)) {
                throw new IllegalArgumentException("member \"" + name + "\" has an element that is not an object");
            }
            elements.add((Map<String, Object>) element);
        }
        return elements;
    }
}
