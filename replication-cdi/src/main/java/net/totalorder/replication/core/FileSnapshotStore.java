package net.totalorder.replication.core;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Snapshots as files, for durable mode: {@code <dir>/<seq>.snap}, each written to a temporary file, forced to disk,
 * renamed into place and the directory forced, so that a crash leaves a whole snapshot or none. The latest two are
 * kept (a member may be pulling the older one); older ones are deleted once a newer one is in place — after which
 * the log may be compacted up to it. A snapshot being served stays readable by whoever opened it.
 *
 * <p>Thread-safe: saved from the background thread, read from the protocol executor.
 */
public final class FileSnapshotStore implements SnapshotStore {

    private final Path dir;
    private final boolean fsync;
    private volatile Stored latest;

    /** A snapshot file. Reads open the file each time; a deleted one fails with an unchecked I/O error. */
    private record OnDisk(long seq, long size, Path file) implements Stored {
        @Override
        public byte[] read(long offset, int max) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer b = ByteBuffer.allocate((int) Math.min(max, size - offset));
                while (b.hasRemaining() && ch.read(b, offset + b.position()) >= 0) {
                    // until full
                }
                return b.array();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the snapshot " + file, e);
            }
        }
    }

    /** @param fsync force each snapshot to disk before it counts (off: a power failure can lose it) */
    public FileSnapshotStore(Path dir, boolean fsync) {
        this.dir = dir;
        this.fsync = fsync;
        try {
            Files.createDirectories(dir);
            for (Path stale : list()) {
                if (stale.getFileName().toString().endsWith(".tmp")) {
                    Files.delete(stale);           // a snapshot a crash interrupted
                }
            }
            List<Path> kept = snapshots();
            if (!kept.isEmpty()) {
                Path newest = kept.get(kept.size() - 1);
                latest = new OnDisk(seqOf(newest), Files.size(newest), newest);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the snapshot directory " + dir, e);
        }
    }

    @Override
    public void save(long seq, ChunkedBytes bytes) {
        Stored current = latest;
        if (current != null && current.seq() >= seq) {
            return;
        }
        Path file = dir.resolve(String.format("%020d.snap", seq));
        Path temp = dir.resolve(file.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING); OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                bytes.input(0, bytes.size()).transferTo(out);
                out.flush();
                if (fsync) {
                    ch.force(true);
                }
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (fsync) {
                try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                    d.force(true);
                }
            }
            latest = new OnDisk(seq, bytes.size(), file);
            List<Path> all = snapshots();
            for (int i = 0; i < all.size() - 2; i++) {
                Files.delete(all.get(i));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the snapshot at seq " + seq + " in " + dir, e);
        }
    }

    @Override
    public Stored latest() {
        return latest;
    }

    @Override
    public Stored previous() {
        List<Path> all;
        try {
            all = snapshots();
            if (all.size() < 2) {
                return null;
            }
            Path p = all.get(all.size() - 2);
            return new OnDisk(seqOf(p), Files.size(p), p);
        } catch (IOException e) {
            return null;
        }
    }

    private List<Path> list() throws IOException {
        try (var files = Files.list(dir)) {
            return new ArrayList<>(files.toList());
        }
    }

    private List<Path> snapshots() throws IOException {
        List<Path> all = new ArrayList<>(list().stream().filter(p -> p.getFileName().toString().endsWith(".snap"))
                .toList());
        all.sort(null);
        return all;
    }

    private static long seqOf(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring(0, name.length() - ".snap".length()));
    }
}
