package net.totalorder.replication.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshot files: written whole or not at all, the latest two kept, found again after a restart. */
class FileSnapshotStoreTest {

    @TempDir
    Path dir;

    private static ChunkedBytes bytes(String s) {
        return ChunkedBytes.of(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(SnapshotStore.Stored s) {
        return new String(s.read(0, (int) s.size()), StandardCharsets.UTF_8);
    }

    @Test
    void keepsTheLatestTwo_andFindsThemAfterARestart() throws IOException {
        FileSnapshotStore store = new FileSnapshotStore(dir, true);
        assertNull(store.latest());
        store.save(10, bytes("ten"));
        store.save(20, bytes("twenty"));
        store.save(30, bytes("thirty"));
        assertEquals(30, store.latest().seq());
        assertEquals("thirty", text(store.latest()));
        assertEquals(20, store.previous().seq());
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "only the latest two snapshots stay on disk");
        }

        FileSnapshotStore reopened = new FileSnapshotStore(dir, true);
        assertEquals(30, reopened.latest().seq());
        assertEquals("twenty", text(reopened.previous()));
        assertArrayEquals("hir".getBytes(StandardCharsets.UTF_8), reopened.latest().read(1, 3));
    }

    @Test
    void anOlderSnapshot_isIgnored() {
        FileSnapshotStore store = new FileSnapshotStore(dir, false);
        store.save(20, bytes("twenty"));
        store.save(10, bytes("ten"));
        assertEquals(20, store.latest().seq());
        assertNull(store.previous());
    }

    /** A crash while writing leaves a temporary file: it is not a snapshot, and it is removed at the next start. */
    @Test
    void aSnapshotACrashInterrupted_isDiscarded() throws IOException {
        new FileSnapshotStore(dir, true).save(10, bytes("ten"));
        Files.writeString(dir.resolve(String.format("%020d.snap.tmp", 20)), "half a snap");
        FileSnapshotStore reopened = new FileSnapshotStore(dir, true);
        assertEquals(10, reopened.latest().seq());
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.toString().endsWith(".tmp")));
        }
    }

    /** A member pulling a snapshot that two newer ones replaced reads an error (it then starts over on the newest). */
    @Test
    void aDeletedSnapshot_failsToRead() {
        FileSnapshotStore store = new FileSnapshotStore(dir, true);
        store.save(10, bytes("ten"));
        SnapshotStore.Stored pinned = store.latest();
        for (long seq : List.of(20L, 30L)) {
            store.save(seq, bytes("newer"));
        }
        assertThrows(UncheckedIOException.class, () -> pinned.read(0, 3));
    }
}
