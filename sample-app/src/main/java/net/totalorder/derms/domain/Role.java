package net.totalorder.derms.domain;

/**
 * The role of a user, written as the fourth character of the user ID ({@code MTLR1111} is a responder).
 * Immutable; safe to share between threads.
 */
public enum Role {
    RESPONDER('R'),
    COORDINATOR('C');

    private final char letter;

    Role(char letter) {
        this.letter = letter;
    }

    /** The letter that stands for this role in a user ID. */
    public char letter() {
        return letter;
    }

    /** The role named by the letter of a well-formed user ID. */
    public static Role ofUserId(String userId) {
        char letter = userId.charAt(3);
        for (Role role : values()) {
            if (role.letter == letter) {
                return role;
            }
        }
        throw new IllegalArgumentException("no role letter in user ID " + userId);
    }
}
