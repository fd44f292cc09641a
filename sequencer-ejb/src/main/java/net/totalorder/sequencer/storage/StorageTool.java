package net.totalorder.sequencer.storage;

import java.nio.file.Files;
import java.nio.file.Path;

import net.totalorder.sequencer.core.HardState;

/**
 * The operator's view of a replica's storage, from the command line (the server must be stopped):
 * <pre>
 * java -cp sequencer-ejb.jar net.totalorder.sequencer.storage.StorageTool inspect DIR MEMBER
 *   prints: MEMBER status new|joined|lost state-epoch E promised P base B last L
 * java -cp sequencer-ejb.jar net.totalorder.sequencer.storage.StorageTool provision DIR MEMBER
 *   creates DIR (which must not exist, or be empty) for a new member
 * </pre>
 * {@code ./cluster restart-from-survivor} uses it to find the most advanced survivor when a majority lost its disks.
 * Exit status 0, or 1 with the reason on standard error.
 */
public final class StorageTool {

    private StorageTool() {
    }

    public static void main(String[] args) {
        if (args.length != 3 || !(args[0].equals("inspect") || args[0].equals("provision"))) {
            System.err.println("usage: StorageTool inspect|provision DIR MEMBER");
            System.exit(64);
        }
        Path dir = Path.of(args[1]);
        String member = args[2];
        try {
            if (args[0].equals("provision")) {
                MemberMarker.provision(dir, member);
                System.out.println(member + " provisioned in " + dir);
                return;
            }
            if (!Files.exists(dir.resolve(MemberMarker.FILE))) {
                System.out.println(member + " status lost state-epoch 0 promised 0 base 0 last 0");
                return;
            }
            FileLog log = new FileLog(dir, member, true, 64L << 20);
            HardState h = log.hardState();
            System.out.println(member + " status " + (log.origin() == FileLog.Origin.NEW ? "new" : "joined")
                    + " state-epoch " + h.stateEpoch() + " promised " + h.promisedEpoch() + " base " + log.baseSeq()
                    + " last " + log.lastSeq());
            log.close();
        } catch (StorageException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }
}
