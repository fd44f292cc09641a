package net.totalorder.sequencer.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import net.totalorder.sequencer.core.HardState;
import net.totalorder.sequencer.core.LogStorage;

/**
 * The operator's view of a replica's storage, from the command line (its server must be stopped: the storage is
 * locked while it runs):
 * <pre>
 * StorageTool inspect DIR MEMBER
 *   prints: MEMBER status new|joined|lost state-epoch E promised P base B last L
 *   (opening cuts a torn last record, as the server's start would)
 * StorageTool provision DIR MEMBER
 *   creates DIR (which must not exist, or be empty) for a new member
 * StorageTool copy FROM_DIR FROM_MEMBER TO_DIR TO_MEMBER
 *   makes TO_DIR (which must not exist) a copy of a joined member's storage — log, hard state, snapshots — for
 *   TO_MEMBER: the way to start afresh from the most advanced survivor when a majority lost its disks
 * </pre>
 * (run as {@code java -cp sequencer-ejb.jar net.totalorder.sequencer.storage.StorageTool ...}; {@code ./cluster}
 * does for the local cluster). Exit status 0, 64 on a usage error, or 1 with the reason on standard error.
 */
public final class StorageTool {

    private StorageTool() {
    }

    public static void main(String[] args) {
        boolean two = args.length == 3 && List.of("inspect", "provision").contains(args[0]);
        boolean copy = args.length == 5 && args[0].equals("copy");
        if (!two && !copy) {
            System.err.println("usage: StorageTool inspect|provision DIR MEMBER\n"
                    + "       StorageTool copy FROM_DIR FROM_MEMBER TO_DIR TO_MEMBER");
            System.exit(64);
        }
        try {
            switch (args[0]) {
                case "provision" -> {
                    MemberMarker.provision(Path.of(args[1]), args[2]);
                    System.out.println(args[2] + " provisioned in " + args[1]);
                }
                case "inspect" -> System.out.println(inspect(Path.of(args[1]), args[2]));
                default -> {
                    copy(Path.of(args[1]), args[2], Path.of(args[3]), args[4]);
                    System.out.println(args[4] + " in " + args[3] + " now holds the storage of " + args[2]);
                }
            }
        } catch (StorageException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }

    /** One line: the member, its status, and what its hard state and log say. */
    static String inspect(Path dir, String member) {
        if (!Files.exists(dir.resolve(MemberMarker.FILE))) {
            return member + " status lost state-epoch 0 promised 0 base 0 last 0";
        }
        FileLog log = new FileLog(dir, member, true, 64L << 20);
        try {
            HardState h = log.hardState();
            return member + " status " + (log.origin() == LogStorage.Origin.NEW ? "new" : "joined") + " state-epoch "
                    + h.stateEpoch() + " promised " + h.promisedEpoch() + " base " + log.baseSeq() + " last "
                    + log.lastSeq();
        } finally {
            log.close();
        }
    }

    /**
     * Copies the storage of {@code fromMember} (which must have joined, and must not be in use) to {@code to}, for
     * {@code toMember}; every file is forced to disk before the marker that makes it count is written.
     */
    static void copy(Path from, String fromMember, Path to, String toMember) {
        if (Files.exists(to)) {
            throw new StorageException("cannot copy to " + to + ": it exists (move it aside first)");
        }
        FileLog source = new FileLog(from, fromMember, true, 64L << 20);   // validates it, and holds its lock
        try {
            if (source.origin() != LogStorage.Origin.RESTORED) {
                throw new StorageException(from + " is not the storage of a member that took part (" + source.origin()
                        + "): nothing to start from");
            }
            try (Stream<Path> files = Files.walk(from)) {
                for (Path p : files.toList()) {
                    Path rel = from.relativize(p);
                    String name = rel.toString();
                    if (name.equals(MemberMarker.FILE) || name.equals(StorageLock.FILE) || name.endsWith(".tmp")) {
                        continue;
                    }
                    Path target = to.resolve(rel);
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target);
                        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
                            ch.force(true);
                        }
                    }
                }
            }
            try (Stream<Path> dirs = Files.walk(to)) {
                for (Path d : dirs.filter(Files::isDirectory).toList()) {
                    Durable.syncDirectory(d);
                }
            }
            MemberMarker.write(to, toMember, MemberMarker.Status.JOINED);
        } catch (IOException e) {
            throw new StorageException("cannot copy " + from + " to " + to + ": " + e.getMessage(), e);
        } finally {
            source.close();
        }
    }
}
