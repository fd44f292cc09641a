package net.totalorder.sequencer.core;

/**
 * The one subtle rule of deleting from an open-addressing table with linear probing and no tombstones, shared by
 * the request-id indexes of the log and of the reply cache. Stateless.
 */
public final class LinearProbing {

    private LinearProbing() {
    }

    /**
     * Whether the entry at {@code at}, whose home is {@code home}, stays where it is when the slot {@code hole}
     * before it in the same probe run is emptied: it does when its home lies cyclically in {@code (hole, at]}, so
     * that a lookup from its home still reaches it without crossing the hole; otherwise it moves into the hole.
     */
    public static boolean staysPut(int hole, int at, int home) {
        return hole <= at ? (hole < home && home <= at) : (hole < home || home <= at);
    }
}
