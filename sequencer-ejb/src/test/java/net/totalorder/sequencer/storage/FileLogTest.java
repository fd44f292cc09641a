package net.totalorder.sequencer.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import net.totalorder.sequencer.core.HardState;
import net.totalorder.sequencer.core.LogStorage;
import net.totalorder.sequencer.core.TentativeAssignment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log files: what was synced comes back after a restart; a torn or corrupt tail is cut; a flipped byte before
 * the tail, a truncated header, an unknown version or a corrupt state file is refused with a message naming the file;
 * compaction deletes the segments it covers; the marker tells a new member, a lost disk and a restored one apart.
 */
class FileLogTest {

    @TempDir
    Path dir;

    private static TentativeAssignment ta(long seq, long epoch) {
        return new TentativeAssignment("req-" + seq, seq, epoch, ("payload of " + seq).getBytes(StandardCharsets.UTF_8));
    }

    private FileLog open() {
        return new FileLog(dir, "node1", true, 1 << 20);
    }

    private FileLog provisionedWith(int entries) {
        MemberMarker.provision(dir, "node1");
        FileLog log = open();
        log.saveHardState(new HardState(3, "node2", 3, 0));
        for (long s = 1; s <= entries; s++) {
            log.append(ta(s, 3));
        }
        log.sync();
        log.close();
        return log;
    }

    private Path lastSegment() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("log"))) {
            return files.filter(p -> p.toString().endsWith(".seg")).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }

    /** Where the records of a segment end: the zeros of its preallocated rest, or the end of the file. */
    private static long recordsEnd(Path segment) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(segment));
        b.position(5 + 2 + 8);                          // magic, version, first seq
        while (b.remaining() >= 8 && b.getInt(b.position()) != 0) {
            b.position(b.position() + 8 + b.getInt(b.position()));
        }
        return b.position();
    }

    private static void flipByte(Path file, long at) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, at);
            one.put(0, (byte) (one.get(0) ^ 0x40)).rewind();
            ch.write(one, at);
        }
    }

    @Test
    void whatWasSynced_comesBackAfterARestart_withTheHardStateAndTheMarker() {
        MemberMarker.provision(dir, "node1");
        FileLog log = open();
        assertEquals(LogStorage.Origin.NEW, log.origin());
        log.saveHardState(new HardState(5, "node3", 4, 2));
        for (long s = 1; s <= 100; s++) {
            log.append(ta(s, 4));
        }
        log.sync();
        log.append(ta(101, 4));                         // never synced: a crash loses it
        log.crash();
        FileLog again = open();
        assertEquals(LogStorage.Origin.RESTORED, again.origin());
        assertEquals(new HardState(5, "node3", 4, 2), again.hardState());
        assertEquals(100, again.lastSeq());
        assertEquals(ta(57, 4), again.get(57));
        assertEquals(57L, again.seqOf("req-57"));
    }

    @Test
    void noMarker_isALostDisk_andStateWithoutMarkerIsRefused(@TempDir Path empty) throws IOException {
        FileLog lost = new FileLog(empty, "node1", true, 1 << 20);
        assertEquals(LogStorage.Origin.LOST, lost.origin());
        lost.close();
        provisionedWith(3);
        Files.delete(dir.resolve("member"));
        StorageException e = assertThrows(StorageException.class, this::open);
        assertTrue(e.getMessage().contains("no marker"), e.getMessage());
    }

    @Test
    void aTornLastRecord_isCut_andTheRestIsKept() throws IOException {
        provisionedWith(10);
        Path seg = lastSegment();
        long end = recordsEnd(seg);
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 60, 1, 2, 3, 4, 9, 9}), end);   // a record cut short
        }
        FileLog log = open();
        assertEquals(10, log.lastSeq());
        assertEquals(end, recordsEnd(seg), "the torn tail was cut off");
        assertEquals(0, ByteBuffer.wrap(Files.readAllBytes(seg), (int) end, 10).getLong(), "zeros where it was");
        log.append(ta(11, 3));
        log.sync();
        log.crash();
        assertEquals(11, open().lastSeq());
    }

    @Test
    void aFlippedByteInTheLastRecord_isCutAsATornWrite() throws IOException {
        provisionedWith(10);
        Path seg = lastSegment();
        flipByte(seg, recordsEnd(seg) - 3);
        assertEquals(9, open().lastSeq());
    }

    @Test
    void aFlippedByteBeforeTheTail_isRefused_namingTheFileAndOffset() throws IOException {
        provisionedWith(10);
        Path seg = lastSegment();
        flipByte(seg, 40);
        StorageException e = assertThrows(StorageException.class, this::open);
        assertTrue(e.getMessage().contains(seg.getFileName().toString()) && e.getMessage().contains("offset")
                && e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    void aSegmentTruncatedInsideItsRecords_losesOnlyItsTail() throws IOException {
        provisionedWith(10);
        Path seg = lastSegment();
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.truncate(recordsEnd(seg) - 7);
        }
        assertEquals(9, open().lastSeq());
    }

    @Test
    void anUnknownVersion_orAnotherMembersStorage_orACorruptStateFile_isRefused() throws IOException {
        provisionedWith(5);
        Path seg = lastSegment();
        byte[] bytes = Files.readAllBytes(seg);
        bytes[5] = 0;
        bytes[6] = 9;                                   // version 9
        Files.write(seg, bytes);
        assertTrue(assertThrows(StorageException.class, this::open).getMessage().contains("format version 9"));
        bytes[6] = 1;
        Files.write(seg, bytes);
        FileLog readable = open();
        assertEquals(5, readable.lastSeq());
        readable.close();
        assertTrue(assertThrows(StorageException.class, () -> new FileLog(dir, "node2", true, 1 << 20))
                .getMessage().contains("another member"));
        flipByte(dir.resolve("state"), 8);
        assertTrue(assertThrows(StorageException.class, this::open).getMessage().contains("checksum"));
    }

    @Test
    void compaction_deletesTheSegmentsItCovers_andARestartKeepsTheBase() throws IOException {
        MemberMarker.provision(dir, "node1");
        FileLog log = new FileLog(dir, "node1", true, 4096);
        log.saveHardState(new HardState(1, "node1", 1, 0));
        for (long s = 1; s <= 400; s++) {
            log.append(ta(s, 1));
        }
        log.sync();
        long before;
        try (Stream<Path> files = Files.list(dir.resolve("log"))) {
            before = files.count();
        }
        assertTrue(before > 5, "several segments: " + before);
        log.compactUpTo(300);
        long after;
        try (Stream<Path> files = Files.list(dir.resolve("log"))) {
            after = files.count();
        }
        assertTrue(after < before, "segments below the base were deleted: " + before + " -> " + after);
        log.crash();
        FileLog again = new FileLog(dir, "node1", true, 4096);
        assertEquals(300, again.baseSeq());
        assertEquals(1, again.baseEpoch());
        assertEquals(400, again.lastSeq());
        assertNull(again.get(300));
        assertEquals(ta(301, 1), again.get(301));
    }

    @Test
    void truncation_andAReset_survive_aRestart() {
        FileLog log = provisionedWith(0);
        log = open();
        for (long s = 1; s <= 20; s++) {
            log.append(ta(s, 3));
        }
        log.truncateFrom(15);
        log.append(ta(15, 4));
        log.sync();
        log.crash();
        FileLog again = open();
        assertEquals(15, again.lastSeq());
        assertEquals(4, again.epochAt(15));
        again.resetTo(500, 6);
        again.append(ta(501, 6));
        again.sync();
        again.crash();
        FileLog reset = open();
        assertEquals(500, reset.baseSeq());
        assertEquals(501, reset.lastSeq());
        assertEquals(List.of(ta(501, 6)), reset.range(1, 1000, Long.MAX_VALUE));
    }

    /**
     * The active segment is preallocated (its syncs then change no file size): a restart finds where its records
     * end, cuts nothing and appends there; a closed segment ends with its last record.
     */
    @Test
    void theActiveSegmentIsPreallocated_aRestartFindsWhereItsRecordsEnd_andClosedSegmentsEndWithTheirLastRecord()
            throws IOException {
        MemberMarker.provision(dir, "node1");
        FileLog log = new FileLog(dir, "node1", true, 4096);
        log.saveHardState(new HardState(1, "node1", 1, 0));
        for (long s = 1; s <= 150; s++) {
            log.append(ta(s, 1));
            if (s % 10 == 0) {
                log.sync();
            }
        }
        log.crash();
        List<Path> segments;
        try (Stream<Path> files = Files.list(dir.resolve("log"))) {
            segments = files.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
        assertTrue(segments.size() >= 2, "segments: " + segments);
        for (Path closed : segments.subList(0, segments.size() - 1)) {
            assertEquals(recordsEnd(closed), Files.size(closed), closed + " ends with its last record");
        }
        Path active = segments.get(segments.size() - 1);
        long end = recordsEnd(active);
        assertEquals(4096, Files.size(active), "the active segment has its full size");
        assertTrue(end < 4096, "records end at " + end);

        FileLog again = new FileLog(dir, "node1", true, 4096);
        assertEquals(150, again.lastSeq());
        assertEquals(4096, Files.size(active), "nothing was cut");
        again.append(ta(151, 1));
        again.sync();
        again.crash();
        assertTrue(recordsEnd(active) > end, "the append went where the records ended");
        FileLog third = new FileLog(dir, "node1", true, 4096);
        assertEquals(151, third.lastSeq());
        assertEquals(ta(151, 1), third.get(151));
        assertEquals(ta(1, 1), third.get(1));
        third.close();
    }

    /** Two servers configured with one directory would interleave their writes: the second open is refused. */
    @Test
    void aDirectoryInUse_isRefused_untilItsLogIsClosed() {
        provisionedWith(2);
        FileLog first = open();
        StorageException refused = assertThrows(StorageException.class, this::open);
        assertTrue(refused.getMessage().contains("is in use"), refused.getMessage());
        assertEquals(2, first.lastSeq(), "the refused open changed nothing");
        first.close();
        FileLog again = open();
        assertEquals(2, again.lastSeq());
        again.close();
    }
}
