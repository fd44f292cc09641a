package net.totalorder.derms.client;

import java.util.Objects;

/**
 * Builds one flat JSON object whose members are strings and integers, the only shape of the DERMS request bodies.
 * Strings are escaped per RFC 8259: quotation mark, reverse solidus and every control character below U+0020, plus
 * unpaired surrogates, which have no UTF-8 encoding; the ones without a short form become six-character u-escapes.
 *
 * <p>Not thread-safe: one instance builds one body on one thread.
 */
public final class JsonWriter {

    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

    private final StringBuilder members = new StringBuilder();

    /** Appends the member {@code name: "value"}. */
    public JsonWriter string(String name, String value) {
        startMember(name);
        appendQuoted(members, Objects.requireNonNull(value, name));
        return this;
    }

    /** Appends the member {@code name: value}. */
    public JsonWriter number(String name, long value) {
        startMember(name);
        members.append(value);
        return this;
    }

    /** The object built so far, e.g. {@code {"userId":"MTLR1111","duration":5}}. */
    public String toJson() {
        return "{" + members + "}";
    }

    private void startMember(String name) {
        if (members.length() > 0) {
            members.append(',');
        }
        appendQuoted(members, name);
        members.append(':');
    }

    private static void appendQuoted(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || isUnpairedSurrogate(text, i)) {
                        appendUnicodeEscape(out, c);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean isUnpairedSurrogate(String text, int index) {
        char c = text.charAt(index);
        if (Character.isHighSurrogate(c)) {
            return index + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(index + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return index == 0 || !Character.isHighSurrogate(text.charAt(index - 1));
        }
        return false;
    }

    private static void appendUnicodeEscape(StringBuilder out, char c) {
        out.append("\\u")
                .append(HEX_DIGITS[(c >> 12) & 0xF])
                .append(HEX_DIGITS[(c >> 8) & 0xF])
                .append(HEX_DIGITS[(c >> 4) & 0xF])
                .append(HEX_DIGITS[c & 0xF]);
    }
}
