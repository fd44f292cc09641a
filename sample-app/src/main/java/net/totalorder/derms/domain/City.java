package net.totalorder.derms.domain;

/**
 * The three cities of DERMS. The city of a resource or a user is the three-letter prefix of its ID.
 * Immutable; safe to share between threads.
 */
public enum City {
    MTL, QUE, SHE;

    /** The city named by the prefix of a well-formed resource ID or user ID. */
    public static City ofId(String id) {
        return valueOf(id.substring(0, 3));
    }
}
