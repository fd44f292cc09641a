package net.totalorder.sequencer.storage;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.zip.CRC32C;

import net.totalorder.sequencer.core.DurableLog;
import net.totalorder.sequencer.core.HardState;
import net.totalorder.sequencer.core.LogStorage;
import net.totalorder.sequencer.core.StrictUtf8;
import net.totalorder.sequencer.core.SequencerObserver;
import net.totalorder.sequencer.core.TentativeAssignment;

/**
 * A sequencer replica's log and hard state on disk, for durable mode. Reads are served from memory ({@link DurableLog});
 * writes go to disk.
 *
 * <h2>Layout of the storage directory</h2>
 * <pre>
 * member                 the marker ({@link MemberMarker}): new, or joined
 * state                  hard state and compacted base: "TOST", version (2), promised epoch (8), promised to
 *                        (4 + UTF-8, length -1 for none), state epoch (8), install floor (8), base seq (8), base epoch (8),
 *                        CRC-32C (4) of all before; replaced atomically (temp file, fsync, rename, fsync of the dir)
 * log/&lt;first seq&gt;.seg    segments: "TOLOG", version (2), first seq (8); then records: length (4) and CRC-32C (4) of the
 *                        payload, payload = seq (8), epoch (8), request id (4 + UTF-8), payload (4 + bytes); the
 *                        active (last) one is preallocated to the segment size, zeros after its records
 *                        ({@link #preallocate}); a closed one ends with its last record
 * </pre>
 *
 * <h2>Durability</h2>
 * Appends collect in memory and reach the file on {@link #sync()}, which writes them and, with {@code fsync} on, forces
 * them to disk once for all of them (group commit: one fsync per batch of a WriteMaj). The hard state is written and
 * forced by {@link #saveHardState} after syncing the log, so a state epoch on disk never runs ahead of the log it
 * describes. Compaction writes the new base first, then deletes the segments it covers. A truncation cuts the file.
 *
 * <h2>Opening</h2>
 * The segments are read in order and every record is checked; the records of the last one end where only zeros
 * follow. A torn or corrupt <em>last</em> record of the last segment — what a crash in the middle of a write
 * leaves — is cut off (logged). Anything else that does not read (a corrupt record with more data after it, a bad
 * header, a wrong version, a gap in the seqs) refuses to open with a {@link StorageException} naming the file and
 * offset: never silently accepted. A directory another process (or this one) has open is refused too
 * ({@link StorageLock}): two servers must never write one log.
 *
 * <p>Not thread-safe: the replica's executor (opening: the thread that constructs it).
 */
public final class FileLog extends DurableLog {

    private static final System.Logger LOG = System.getLogger(FileLog.class.getName());
    private static final byte[] SEGMENT_MAGIC = "TOLOG".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STATE_MAGIC = "TOST".getBytes(StandardCharsets.US_ASCII);
    private static final short VERSION = 1;
    private static final int SEGMENT_HEADER = SEGMENT_MAGIC.length + 2 + 8;
    private static final int MAX_RECORD = 16 + 4 + TentativeAssignment.MAX_REQUEST_ID_BYTES + 4
            + TentativeAssignment.MAX_PAYLOAD_BYTES;

    private final Path dir;
    private final Path logDir;
    private final String member;
    private final boolean fsync;
    private final long segmentBytes;
    private Origin origin;
    private final StorageLock lock;
    private boolean joined;
    private SequencerObserver observer = SequencerObserver.NONE;
    private HardState hardState = HardState.NONE;
    /** Segment files by first seq; the last one is active. */
    private final TreeMap<Long, Path> segments = new TreeMap<>();
    private FileChannel active;
    private long activeFirstSeq;
    /** Bytes of the active segment on disk (written), not counting {@link #pending}: where its records end. */
    private long activeWritten;
    /** Where the records of the last segment replayed at opening end (its zeros, if preallocated, after). */
    private long replayedEnd;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(1 << 16);
    private final DataOutputStream pendingData = new DataOutputStream(pending);
    /** A record's payload is put together here before its checksum; grows to the largest record (MAX_RECORD). */
    private ByteBuffer record = ByteBuffer.allocate(1 << 10);
    private final CRC32C recordSum = new CRC32C();
    /** Offset, in its segment, of every held entry: index seq - base - 1. */
    private final LongList positions = new LongList();

    /**
     * Opens (or starts) the storage of {@code member} in {@code dir}.
     *
     * @param fsync        force written records to disk on every {@link #sync()} (off: a power failure or OS crash
     *                     can lose what was acknowledged; a process crash cannot)
     * @param segmentBytes a segment is closed and a new one started past this size
     * @throws StorageException when the storage cannot be read as it is (the message says why and where)
     */
    public FileLog(Path dir, String member, boolean fsync, long segmentBytes) {
        if (segmentBytes < 1024) {
            throw new IllegalArgumentException("segment size must be at least 1024 bytes, was " + segmentBytes);
        }
        this.dir = dir;
        this.logDir = dir.resolve("log");
        this.member = member;
        this.fsync = fsync;
        this.segmentBytes = segmentBytes;
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new StorageException("cannot create " + logDir + ": " + e.getMessage(), e);
        }
        lock = StorageLock.acquire(dir);
        try {
            open();
        } catch (RuntimeException e) {
            lock.release();
            throw e;
        }
    }

    private void open() {
        MemberMarker.Status status = MemberMarker.read(dir, member);
        Path stateFile = dir.resolve("state");
        if (status == null) {
            if (Files.exists(stateFile) || hasSegments()) {
                throw new StorageException(dir + " holds a replica's state but no marker file '" + MemberMarker.FILE
                        + "': refusing to guess whose it is");
            }
            origin = Origin.LOST;
        } else if (status == MemberMarker.Status.NEW) {
            origin = Origin.NEW;
        } else {
            origin = Origin.RESTORED;
            joined = true;
        }
        if (Files.exists(stateFile)) {
            readState(stateFile);
        } else if (origin == Origin.RESTORED) {
            throw new StorageException(stateFile + " is missing although " + dir + " says its member joined");
        }
        replaySegments();
        durableLastSeq = held.lastSeq();
        if (segments.isEmpty()) {
            startSegment(held.lastSeq() + 1);
        } else {
            openActive();
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // What it found at open

    @Override
    public Origin origin() {
        return origin;
    }

    @Override
    public HardState hardState() {
        return hardState;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Writes: to disk

    @Override
    public void append(TentativeAssignment ta) {
        held.append(ta);
        positions.add(activeWritten + pending.size());
        writeRecord(ta);
        if (activeWritten + pending.size() >= segmentBytes) {
            sync();
            startSegment(ta.seq() + 1);
        }
    }

    @Override
    public void observe(SequencerObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    @Override
    public void sync() {
        try {
            if (pending.size() > 0) {
                long began = System.nanoTime();
                pending.writeTo(Channels.newOutputStream(active));     // from its buffer, not a copy of it
                activeWritten += pending.size();
                pending.reset();
                if (fsync) {
                    active.force(false);
                }
                observer.logSynced(System.nanoTime() - began);
            }
            durableLastSeq = held.lastSeq();
        } catch (IOException e) {
            throw new StorageException("cannot write to " + segments.lastEntry().getValue() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void saveHardState(HardState state) {
        sync();                                   // the log it describes reaches the disk first
        hardState = state;
        writeState();
        if (!joined) {
            MemberMarker.write(dir, member, MemberMarker.Status.JOINED);
            joined = true;
        }
    }

    @Override
    public void truncateFrom(long seq) {
        sync();
        held.truncateFrom(seq);                     // checks seq is above the base
        long offset = positions.get((int) (seq - held.baseSeq() - 1));
        long segment = segments.floorKey(seq);
        try {
            for (Map.Entry<Long, Path> later : List.copyOf(segments.tailMap(segment, false).entrySet())) {
                Files.delete(later.getValue());
                segments.remove(later.getKey());
            }
            if (segment != activeFirstSeq) {
                active.close();
                activeFirstSeq = segment;
                active = FileChannel.open(segments.get(segment), StandardOpenOption.WRITE);
            }
            active.truncate(offset);
            preallocate();                            // zeros, not the records cut, after the offset
            active.position(offset);
            activeWritten = offset;
            if (fsync) {
                active.force(true);
                Durable.syncDirectory(logDir);
            }
        } catch (IOException e) {
            throw new StorageException("cannot truncate the log at seq " + seq + ": " + e.getMessage(), e);
        }
        positions.truncate((int) (seq - held.baseSeq() - 1));
        durableLastSeq = Math.min(durableLastSeq, held.lastSeq());
    }

    @Override
    public void compactUpTo(long seq) {
        long before = held.baseSeq();
        if (seq <= before) {
            return;
        }
        sync();
        held.compactUpTo(seq);
        positions.dropFirst((int) (seq - before));
        writeState();                              // the new base first; then what it covers may go
        deleteCoveredSegments();
    }

    @Override
    public void resetTo(long seq, long epoch) {
        pending.reset();
        held.resetTo(seq, epoch);
        positions.clear();
        writeState();
        try {
            active.close();
            active = null;
            for (Path p : segments.values()) {
                Files.delete(p);
            }
            segments.clear();
        } catch (IOException e) {
            throw new StorageException("cannot reset the log to seq " + seq + ": " + e.getMessage(), e);
        }
        startSegment(seq + 1);
        durableLastSeq = seq;
    }

    /** What a kill -9 leaves (tests): what was not synced is dropped, the files are let go unwritten. */
    void crash() {
        pending.reset();
        try {
            active.close();
        } catch (IOException e) {
            // a crashed process does not close anything either
        } finally {
            lock.release();
        }
    }

    /** Closes the active segment (what was not synced is written, not forced) and lets another process open it. */
    @Override
    public void close() {
        try {
            if (pending.size() > 0) {
                active.write(ByteBuffer.wrap(pending.toByteArray()));
                pending.reset();
            }
            active.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing " + dir + " failed: " + e.getMessage());
        } finally {
            lock.release();
        }
    }

    // ------------------------------------------------------------------------------------------------------------

    private void writeRecord(TentativeAssignment ta) {
        byte[] id = ta.reqId().getBytes(StandardCharsets.UTF_8);
        int length = 8 + 8 + 4 + id.length + 4 + ta.payload().length;
        if (record.capacity() < length) {
            record = ByteBuffer.allocate(Math.max(length, 2 * record.capacity()));
        }
        record.clear();
        record.putLong(ta.seq()).putLong(ta.epoch()).putInt(id.length).put(id).putInt(ta.payload().length)
                .put(ta.payload());
        recordSum.reset();
        recordSum.update(record.array(), 0, length);
        try {
            pendingData.writeInt(length);
            pendingData.writeInt((int) recordSum.getValue());
            pendingData.write(record.array(), 0, length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);     // cannot happen: writes to memory
        }
    }

    private void startSegment(long firstSeq) {
        Path file = logDir.resolve(String.format("%020d.seg", firstSeq));
        try {
            if (active != null) {
                active.truncate(activeWritten);       // a closed segment ends with its last record
                if (fsync) {
                    active.force(true);               // before the next one exists: only the last may hold zeros
                }
                active.close();
            }
            active = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            ByteBuffer header = ByteBuffer.allocate(SEGMENT_HEADER).put(SEGMENT_MAGIC).putShort(VERSION)
                    .putLong(firstSeq).flip();
            while (header.hasRemaining()) {
                active.write(header);
            }
            preallocate();
            if (fsync) {
                active.force(true);
                Durable.syncDirectory(logDir);
            }
        } catch (IOException e) {
            throw new StorageException("cannot start the segment " + file + ": " + e.getMessage(), e);
        }
        segments.put(firstSeq, file);
        activeFirstSeq = firstSeq;
        activeWritten = SEGMENT_HEADER;
        deleteCoveredSegments();
    }

    private void openActive() {
        Map.Entry<Long, Path> last = segments.lastEntry();
        try {
            active = FileChannel.open(last.getValue(), StandardOpenOption.WRITE);
            activeFirstSeq = last.getKey();
            activeWritten = replayedEnd;
            preallocate();
            if (fsync) {
                active.force(true);
            }
            active.position(activeWritten);
        } catch (IOException e) {
            throw new StorageException("cannot open " + last.getValue() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Extends the active segment to its full size with zeros (a hole: no block is written), so that the syncs of its
     * appends need not change the file's size: on ext4 an {@code fdatasync} after an append that grows the file
     * commits the journal, and one inside the file does not (measured on this project's machines: 130 against 90
     * µs per sync alone, 245 against 198 µs with three members syncing at once). The records end where the zeros
     * begin; opening finds that place ({@link #replay}).
     */
    private void preallocate() throws IOException {
        if (active.size() < segmentBytes) {
            active.write(ByteBuffer.allocate(1), segmentBytes - 1);
        }
    }

    /** Deletes the segments (not the active one) whose every entry is at or below the base. */
    private void deleteCoveredSegments() {
        Long next = null;
        for (Long first : List.copyOf(segments.descendingKeySet())) {
            if (next != null && next - 1 <= held.baseSeq()) {
                delete(segments.remove(first));
            }
            next = first;
        }
    }

    private boolean hasSegments() {
        try (var files = Files.list(logDir.toFile().exists() ? logDir : dir)) {
            return logDir.toFile().exists() && files.anyMatch(p -> p.toString().endsWith(".seg"));
        } catch (IOException e) {
            return false;
        }
    }

    private void writeState() {
        HardState s = hardState;
        byte[] to = s.promisedTo() == null ? null : s.promisedTo().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + 2 + 8 + 4 + (to == null ? 0 : to.length) + 8 + 8 + 8 + 8 + 4);
        b.put(STATE_MAGIC).putShort(VERSION).putLong(s.promisedEpoch()).putInt(to == null ? -1 : to.length);
        if (to != null) {
            b.put(to);
        }
        b.putLong(s.stateEpoch()).putLong(s.installFloor()).putLong(held.baseSeq()).putLong(held.baseEpoch());
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        Durable.replace(dir.resolve("state"), b.array());
    }

    private void readState(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new StorageException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            byte[] magic = new byte[4];
            b.get(magic);
            if (!java.util.Arrays.equals(magic, STATE_MAGIC)) {
                throw new StorageException(file + " is not a replica's state file");
            }
            short version = b.getShort();
            if (version != VERSION) {
                throw new StorageException(file + " has format version " + version + "; this version reads " + VERSION);
            }
            CRC32C crc = new CRC32C();
            crc.update(bytes, 0, bytes.length - 4);
            if ((int) crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt()) {
                throw new StorageException(file + " is corrupt (checksum mismatch)");
            }
            long promised = b.getLong();
            int toLength = b.getInt();
            String to = toLength < 0 ? null : utf8(b, toLength, file);
            long stateEpoch = b.getLong();
            long floor = b.getLong();
            long base = b.getLong();
            long baseEpoch = b.getLong();
            hardState = new HardState(promised, to, stateEpoch, floor);
            held.resetTo(base, baseEpoch);
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new StorageException(file + " is truncated");
        }
    }

    private static String utf8(ByteBuffer b, int length, Path file) {
        if (length < 0 || length > b.remaining() || length > 4096) {
            throw new StorageException(file + " holds a string of " + length + " bytes, beyond its end");
        }
        try {
            return StrictUtf8.decode(b, length);
        } catch (CharacterCodingException e) {
            throw new StorageException(file + " holds a string that is not UTF-8");
        }
    }

    /** Reads every segment; cuts a torn tail of the last one; refuses anything else that does not read. */
    private void replaySegments() {
        try (var files = Files.list(logDir)) {
            files.filter(p -> p.getFileName().toString().endsWith(".seg")).forEach(p -> {
                String name = p.getFileName().toString();
                try {
                    segments.put(Long.parseLong(name.substring(0, name.length() - 4)), p);
                } catch (NumberFormatException e) {
                    throw new StorageException("unexpected file " + p + " in the log directory");
                }
            });
        } catch (IOException e) {
            throw new StorageException("cannot list " + logDir + ": " + e.getMessage(), e);
        }
        Map.Entry<Long, Path> last = segments.lastEntry();
        for (Map.Entry<Long, Path> segment : List.copyOf(segments.entrySet())) {
            replay(segment.getKey(), segment.getValue(), segment == last || segment.getKey().equals(last.getKey()));
        }
        // segments wholly below the base (a crash between writing the base and deleting them) go now
        deleteCoveredSegments();
    }

    private void replay(long firstSeq, Path file, boolean isLast) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new StorageException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length < SEGMENT_HEADER) {
            if (isLast) {
                LOG.log(System.Logger.Level.WARNING, file + ": a segment created just before a crash, without its "
                        + "header; removed");
                delete(file);
                segments.remove(firstSeq);
                return;
            }
            throw new StorageException(file + " is truncated inside its header");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte[] magic = new byte[SEGMENT_MAGIC.length];
        b.get(magic);
        short version = b.getShort();
        long headerSeq = b.getLong();
        if (!java.util.Arrays.equals(magic, SEGMENT_MAGIC)) {
            throw new StorageException(file + " is not a log segment (bad header)");
        }
        if (version != VERSION) {
            throw new StorageException(file + " has format version " + version + "; this version reads " + VERSION);
        }
        if (headerSeq != firstSeq) {
            throw new StorageException(file + " says it starts at seq " + headerSeq + ", its name at " + firstSeq);
        }
        replayedEnd = bytes.length;
        while (b.hasRemaining()) {
            int at = b.position();
            if (isLast && bytes[at] == 0 && zerosFrom(bytes, at)) {
                replayedEnd = at;                  // the preallocated rest of the active segment
                return;
            }
            String problem = null;
            boolean torn = false;                  // nothing can follow it: the record is the file's last
            int after = at + 8;                    // where what follows a bad record begins, as far as known
            TentativeAssignment ta = null;
            if (b.remaining() < 8) {
                problem = "a record header cut short";
                torn = true;
            } else {
                int length = b.getInt();
                int sum = b.getInt();
                if (length < 24 || length > MAX_RECORD) {
                    problem = "a record length of " + length;
                } else if (length > b.remaining()) {
                    problem = "a record cut short (" + b.remaining() + " of " + length + " bytes)";
                    torn = true;
                } else {
                    CRC32C crc = new CRC32C();
                    crc.update(bytes, b.position(), length);
                    b.position(b.position() + length);
                    if ((int) crc.getValue() != sum) {
                        problem = "a record whose checksum does not match";
                        torn = !b.hasRemaining();
                        after = b.position();
                    } else {
                        b.position(b.position() - length);
                        ta = decode(b, length, file, at);
                    }
                }
            }
            if (problem != null) {
                // a crash in the middle of a write leaves the last record short, or garbled and followed by zeros
                // (the rest of a preallocated segment, or a payload that never reached the disk)
                if (!isLast || !(torn || zerosFrom(bytes, after))) {
                    throw new StorageException(file + " holds " + problem + " at offset " + at + ", followed by more "
                            + "data: the log is corrupt (not a torn write), refusing to start from it");
                }
                LOG.log(System.Logger.Level.WARNING, file + ": " + problem + " at offset " + at + ", the tail a crash"
                        + " in the middle of a write leaves; cut there");
                cut(file, at);
                replayedEnd = at;
                return;
            }
            if (ta.seq() <= held.baseSeq()) {
                continue;                          // compacted: its content is no longer needed
            }
            if (ta.seq() != held.lastSeq() + 1) {
                throw new StorageException(file + " holds seq " + ta.seq() + " at offset " + at + " after seq "
                        + held.lastSeq() + ": a gap, the log is corrupt");
            }
            held.append(ta);
            positions.add(at);
        }
    }

    private TentativeAssignment decode(ByteBuffer b, int length, Path file, int at) {
        int end = b.position() + length;
        try {
            long seq = b.getLong();
            long epoch = b.getLong();
            int idLength = b.getInt();
            String id = utf8(b, idLength, file);
            int payloadLength = b.getInt();
            if (payloadLength < 0 || b.position() + payloadLength != end) {
                throw new StorageException(file + ": the record at offset " + at + " does not add up");
            }
            byte[] payload = new byte[payloadLength];
            b.get(payload);
            return new TentativeAssignment(id, seq, epoch, payload);
        } catch (IllegalArgumentException | java.nio.BufferUnderflowException e) {
            throw new StorageException(file + ": the record at offset " + at + " is invalid: " + e.getMessage());
        }
    }

    private static boolean zerosFrom(byte[] bytes, int from) {
        for (int i = Math.max(0, from); i < bytes.length; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private void cut(Path file, long offset) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(offset);
            ch.force(true);
        } catch (IOException e) {
            throw new StorageException("cannot cut " + file + " at " + offset + ": " + e.getMessage(), e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new StorageException("cannot delete " + file + ": " + e.getMessage(), e);
        }
    }

    /** A growable list of longs that can drop its head and cut its tail. */
    private static final class LongList {
        private long[] a = new long[1024];
        private int head;
        private int size;

        void add(long v) {
            if (head + size == a.length) {
                long[] b = new long[Math.max(1024, size * 2)];
                System.arraycopy(a, head, b, 0, size);
                a = b;
                head = 0;
            }
            a[head + size++] = v;
        }

        long get(int i) {
            return a[head + i];
        }

        void truncate(int newSize) {
            size = Math.max(0, Math.min(size, newSize));
        }

        void dropFirst(int n) {
            int k = Math.min(n, size);
            head += k;
            size -= k;
        }

        void clear() {
            head = 0;
            size = 0;
        }
    }
}
