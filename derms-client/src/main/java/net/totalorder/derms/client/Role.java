package net.totalorder.derms.client;

import java.util.Optional;

/** The two DERMS roles; a user ID's 4th character is its role letter ({@code MTLR1111}, {@code QUEC2222}). */
enum Role {
    RESPONDER('R'),
    COORDINATOR('C');

    private static final int ROLE_LETTER_INDEX = 3;

    private final char letter;

    Role(char letter) {
        this.letter = letter;
    }

    /** The role named by {@code userId}'s role letter (either case); empty if it names none. */
    static Optional<Role> of(String userId) {
        if (userId.length() <= ROLE_LETTER_INDEX) {
            return Optional.empty();
        }
        char letter = Character.toUpperCase(userId.charAt(ROLE_LETTER_INDEX));
        for (Role role : values()) {
            if (role.letter == letter) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    String displayName() {
        return name().toLowerCase();
    }
}
