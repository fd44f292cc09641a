package net.totalorder.sequencer.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The text file {@code member} in a replica's storage directory, written when the storage is provisioned and
 * updated once the member took part:
 * <pre>
 * totalorder-storage 1
 * member node1
 * status new        (provisioned, never promised or acknowledged anything)
 * status joined     (has taken part: its hard state and log are what matter)
 * </pre>
 * A storage directory without it is a lost disk (or never provisioned): the member must recover from the others.
 * Operators provision a new member's storage with {@link #provision} ({@code ./cluster} does it for the local cluster
 * on its first start). Stateless; methods do their own I/O.
 */
public final class MemberMarker {

    static final String FILE = "member";
    private static final String HEADER = "totalorder-storage 1";

    /** What the marker says. */
    public enum Status { NEW, JOINED }

    private MemberMarker() {
    }

    /** Creates {@code dir} with a marker saying {@code member} is new; refuses a directory that holds anything. */
    public static void provision(Path dir, String member) {
        try {
            Files.createDirectories(dir);
            try (var entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new StorageException("cannot provision " + dir + " for " + member + ": it is not empty");
                }
            }
            write(dir, member, Status.NEW);
        } catch (IOException e) {
            throw new StorageException("cannot provision " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The marker's status, or null when there is no marker. */
    static Status read(Path dir, String member) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return null;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StorageException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (lines.size() < 3 || !lines.get(0).equals(HEADER)) {
            throw new StorageException(file + " is not a totalorder storage marker (or of an unknown version): "
                    + "expected '" + HEADER + "' first");
        }
        if (!lines.get(1).equals("member " + member)) {
            throw new StorageException(file + " belongs to another member ('" + lines.get(1) + "'), not " + member);
        }
        return switch (lines.get(2)) {
            case "status new" -> Status.NEW;
            case "status joined" -> Status.JOINED;
            default -> throw new StorageException(file + " has an unknown status line: " + lines.get(2));
        };
    }

    /** Writes the marker atomically (temp file, fsync, rename, fsync of the directory). */
    static void write(Path dir, String member, Status status) {
        Durable.replace(dir.resolve(FILE), (HEADER + "\nmember " + member + "\nstatus "
                + status.name().toLowerCase(java.util.Locale.ROOT) + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
