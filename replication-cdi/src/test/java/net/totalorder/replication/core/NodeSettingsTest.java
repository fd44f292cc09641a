package net.totalorder.replication.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Settings a server is given: bad values are refused with a message naming them, and nothing is built. */
class NodeSettingsTest {

    private static final NodeSettings DEFAULTS = NodeSettings.defaults(List.of("a", "b", "c"), "a");

    @Test
    void snapshotWriteFactor_defaultsToFour_zeroTurnsItOff_negativeIsRefused() {
        assertEquals(4, DEFAULTS.snapshotWriteFactor());
        assertEquals(0, DEFAULTS.withSnapshotWriteFactor(0).snapshotWriteFactor());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DEFAULTS.withSnapshotWriteFactor(-1));
        assertTrue(e.getMessage().contains("snapshot write factor must not be negative, was -1"), e.getMessage());
    }

    @Test
    void snapshotInterval_mustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DEFAULTS.withSnapshots(0, 1 << 20, 1 << 10));
        assertTrue(e.getMessage().contains("snapshot interval"), e.getMessage());
    }
}
