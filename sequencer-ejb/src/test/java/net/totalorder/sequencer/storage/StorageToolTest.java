package net.totalorder.sequencer.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import net.totalorder.sequencer.core.HardState;
import net.totalorder.sequencer.core.LogStorage;
import net.totalorder.sequencer.core.TentativeAssignment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's storage commands: inspect tells new, joined and lost apart; copy starts a member from another's. */
class StorageToolTest {

    @TempDir
    Path root;

    private Path joined(String member, int entries) {
        Path dir = root.resolve(member);
        MemberMarker.provision(dir, member);
        FileLog log = new FileLog(dir, member, true, 1 << 20);
        log.saveHardState(new HardState(7, "node2", 6, 0));
        for (long s = 1; s <= entries; s++) {
            log.append(new TentativeAssignment("r" + s, s, 6, ("p" + s).getBytes(StandardCharsets.UTF_8)));
        }
        log.compactUpTo(Math.min(3, entries));
        log.sync();
        log.close();
        return dir;
    }

    @Test
    void inspect_tellsNewJoinedAndLostApart() {
        Path fresh = root.resolve("fresh");
        MemberMarker.provision(fresh, "node3");
        assertEquals("node3 status new state-epoch 0 promised 0 base 0 last 0", StorageTool.inspect(fresh, "node3"));
        assertEquals("node1 status joined state-epoch 6 promised 7 base 3 last 10",
                StorageTool.inspect(joined("node1", 10), "node1"));
        assertEquals("node2 status lost state-epoch 0 promised 0 base 0 last 0",
                StorageTool.inspect(root.resolve("nothing"), "node2"));
    }

    @Test
    void copy_givesAnotherMemberTheSameLogAndHardState() throws IOException {
        Path source = joined("node1", 10);
        Files.createDirectories(source.resolve("snapshots"));
        Files.writeString(source.resolve("snapshots").resolve("00000000000000000003.snap"), "state at 3");
        Path target = root.resolve("node2");
        StorageTool.copy(source, "node1", target, "node2");
        FileLog copied = new FileLog(target, "node2", true, 1 << 20);
        assertEquals(LogStorage.Origin.RESTORED, copied.origin());
        assertEquals(new HardState(7, "node2", 6, 0), copied.hardState());
        assertEquals(3, copied.baseSeq());
        assertEquals(10, copied.lastSeq());
        copied.close();
        assertEquals("state at 3", Files.readString(target.resolve("snapshots").resolve("00000000000000000003.snap")));
        assertEquals("node1 status joined state-epoch 6 promised 7 base 3 last 10", StorageTool.inspect(source, "node1"),
                "the source is unchanged");
    }

    /** Bad input changes nothing: an existing target, a source that never joined, a source in use. */
    @Test
    void copy_refusesAnExistingTarget_aSourceThatNeverJoined_andOneInUse() {
        Path source = joined("node1", 5);
        Path existing = root.resolve("existing");
        MemberMarker.provision(existing, "node2");
        assertTrue(assertThrows(StorageException.class, () -> StorageTool.copy(source, "node1", existing, "node2"))
                .getMessage().contains("exists"));
        Path fresh = root.resolve("fresh");
        MemberMarker.provision(fresh, "node3");
        Path target = root.resolve("target");
        assertTrue(assertThrows(StorageException.class, () -> StorageTool.copy(fresh, "node3", target, "node2"))
                .getMessage().contains("nothing to start from"));
        assertFalse(Files.exists(target));
        FileLog running = new FileLog(source, "node1", true, 1 << 20);
        assertTrue(assertThrows(StorageException.class, () -> StorageTool.copy(source, "node1", target, "node2"))
                .getMessage().contains("in use"));
        running.close();
        assertFalse(Files.exists(target));
    }
}
