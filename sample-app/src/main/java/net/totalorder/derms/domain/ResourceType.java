package net.totalorder.derms.domain;

import java.util.Locale;
import java.util.Optional;

/**
 * The kinds of emergency resource. Immutable; safe to share between threads.
 */
public enum ResourceType {
    AMBULANCE, FIRETRUCK, PERSONNEL;

    /**
     * The type named by {@code text}, ignoring case; empty when {@code text} names no type.
     * Only ASCII letters are accepted, so that no locale-specific case mapping (such as the dotless {@code ı})
     * can turn a foreign word into a type name.
     */
    public static Optional<ResourceType> parse(String text) {
        if (text == null || !text.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
            return Optional.empty();
        }
        String upperCase = text.toUpperCase(Locale.ROOT);
        for (ResourceType type : values()) {
            if (type.name().equals(upperCase)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
