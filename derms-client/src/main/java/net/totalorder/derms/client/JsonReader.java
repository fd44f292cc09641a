package net.totalorder.derms.client;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses one JSON document (RFC 8259) into plain Java values: an object becomes an unmodifiable
 * {@code Map<String, Object>} in member order, an array an unmodifiable {@code List<Object>}, a string a
 * {@code String}, an integer of at most 18 digits a {@code Long}, any other number a {@code BigDecimal},
 * {@code true}/{@code false} a {@code Boolean} and {@code null} Java null. Strict: trailing content, duplicate member
 * names, unescaped control characters in strings and nesting deeper than {@value #MAX_DEPTH} are errors, reported
 * as {@link IllegalArgumentException} with the offset.
 *
 * <p>The static methods are safe from any thread: each parse has its own instance, which is not shared.
 */
public final class JsonReader {

    private static final int MAX_DEPTH = 64;
    private static final int MAX_LONG_DIGITS = 18;

    private final String text;
    private int position;

    private JsonReader(String text) {
        this.text = text;
    }

    /** The value of the JSON document {@code text}. */
    public static Object parse(String text) {
        JsonReader reader = new JsonReader(text);
        reader.skipWhitespace();
        Object value = reader.value(0);
        reader.skipWhitespace();
        if (reader.position != text.length()) {
            throw reader.error("unexpected content after the value");
        }
        return value;
    }

    /** The members of the JSON document {@code text}, which must be an object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object value = parse(text);
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("the JSON document is not an object");
        }
        return (Map<String, Object>) value;
    }

    private Object value(int depth) {
        if (position >= text.length()) {
            throw error("unexpected end of input");
        }
        char c = text.charAt(position);
        switch (c) {
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case '"':
                return string();
            case 't':
                literal("true");
                return Boolean.TRUE;
            case 'f':
                literal("false");
                return Boolean.FALSE;
            case 'n':
                literal("null");
                return null;
            default:
                if (c == '-' || isDigit(c)) {
                    return number();
                }
                throw error("unexpected character '" + c + "'");
        }
    }

    private Map<String, Object> object(int depth) {
        checkDepth(depth);
        position++;
        Map<String, Object> members = new LinkedHashMap<>();
        skipWhitespace();
        if (next('}')) {
            return Collections.unmodifiableMap(members);
        }
        do {
            skipWhitespace();
            if (!at('"')) {
                throw error("expected a member name");
            }
            String name = string();
            if (members.containsKey(name)) {
                throw error("duplicate member \"" + name + "\"");
            }
            skipWhitespace();
            expect(':');
            skipWhitespace();
            members.put(name, value(depth));
            skipWhitespace();
        } while (next(','));
        expect('}');
        return Collections.unmodifiableMap(members);
    }

    private List<Object> array(int depth) {
        checkDepth(depth);
        position++;
        List<Object> elements = new ArrayList<>();
        skipWhitespace();
        if (next(']')) {
            return Collections.unmodifiableList(elements);
        }
        do {
            skipWhitespace();
            elements.add(value(depth));
            skipWhitespace();
        } while (next(','));
        expect(']');
        return Collections.unmodifiableList(elements);
    }

    private String string() {
        position++;
        StringBuilder result = new StringBuilder();
        while (true) {
            if (position >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(position++);
            if (c == '"') {
                return result.toString();
            }
            if (c < 0x20) {
                throw error("unescaped control character in a string");
            }
            if (c != '\\') {
                result.append(c);
                continue;
            }
            if (position >= text.length()) {
                throw error("unterminated escape");
            }
            char escaped = text.charAt(position++);
            switch (escaped) {
                case '"', '\\', '/' -> result.append(escaped);
                case 'b' -> result.append('\b');
                case 'f' -> result.append('\f');
                case 'n' -> result.append('\n');
                case 'r' -> result.append('\r');
                case 't' -> result.append('\t');
                case 'u' -> result.append(hexCodeUnit());
                default -> throw error("invalid escape \\" + escaped);
            }
        }
    }

    private char hexCodeUnit() {
        if (position + 4 > text.length()) {
            throw error("incomplete \\u escape");
        }
        int unit = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(position++), 16);
            if (digit < 0) {
                throw error("invalid hex digit in a \\u escape");
            }
            unit = unit * 16 + digit;
        }
        return (char) unit;
    }

    private Object number() {
        int start = position;
        next('-');
        if (!next('0')) {
            digits();
        }
        boolean integral = true;
        if (next('.')) {
            integral = false;
            digits();
        }
        if (next('e') || next('E')) {
            integral = false;
            if (!next('+')) {
                next('-');
            }
            digits();
        }
        String literal = text.substring(start, position);
        int digitCount = literal.startsWith("-") ? literal.length() - 1 : literal.length();
        if (integral && digitCount <= MAX_LONG_DIGITS) {
            return Long.parseLong(literal);
        }
        return new BigDecimal(literal);
    }

    private void digits() {
        if (position >= text.length() || !isDigit(text.charAt(position))) {
            throw error("expected a digit");
        }
        while (position < text.length() && isDigit(text.charAt(position))) {
            position++;
        }
    }

    private void literal(String word) {
        if (!text.startsWith(word, position)) {
            throw error("expected " + word);
        }
        position += word.length();
    }

    private void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH);
        }
    }

    private void skipWhitespace() {
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            position++;
        }
    }

    private boolean at(char expected) {
        return position < text.length() && text.charAt(position) == expected;
    }

    /** Consumes {@code expected} if it is the next character. */
    private boolean next(char expected) {
        if (at(expected)) {
            position++;
            return true;
        }
        return false;
    }

    private void expect(char expected) {
        if (!next(expected)) {
            throw error("expected '" + expected + "'");
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private IllegalArgumentException error(String problem) {
        return new IllegalArgumentException("invalid JSON at offset " + position + ": " + problem);
    }
}
