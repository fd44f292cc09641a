package net.totalorder.bench.ratis;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;

import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * The replicated counter of system D: every log entry is an increment, answered with the counter's new value; a
 * read-only query answers the current value. Snapshots (a file holding the value, named by Ratis after its term and
 * index) let Ratis purge its log, so that a long run's log stays bounded in memory mode too.
 *
 * <p>Invariant: {@code value} is the number of increments applied, and the last applied term-index is the entry of
 * the last of them. Threading: Ratis applies transactions on one thread per group, but queries and snapshots come
 * from others; the state is read and written under this object's lock.
 */
final class CounterStateMachine extends BaseStateMachine {

    /** The one command of the log: increment. Reads are queries, outside the log. */
    static final Message INCREMENT = Message.valueOf(ByteString.copyFrom(new byte[] {'I'}));
    static final Message GET = Message.valueOf(ByteString.copyFrom(new byte[] {'G'}));

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private long value;

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        reinitialize();
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    /** Loads the latest snapshot, if any: the value it holds, at the term-index its file name gives. */
    @Override
    public synchronized void reinitialize() throws IOException {
        SingleFileSnapshotInfo snapshot = storage.getLatestSnapshot();
        if (snapshot == null) {
            return;
        }
        File file = snapshot.getFile().getPath().toFile();
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file.toPath()))) {
            value = in.readLong();
        }
        updateLastAppliedTermIndex(SimpleStateMachineStorage.getTermIndexFromSnapshotFile(file));
    }

    @Override
    public synchronized long takeSnapshot() {
        TermIndex applied = getLastAppliedTermIndex();
        File file = storage.getSnapshotFile(applied.getTerm(), applied.getIndex());
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file.toPath()))) {
            out.writeLong(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the snapshot " + file, e);
        }
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), null), applied));
        return applied.getIndex();
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        long incremented;
        synchronized (this) {
            incremented = ++value;
            updateLastAppliedTermIndex(TermIndex.valueOf(trx.getLogEntry()));
        }
        return CompletableFuture.completedFuture(encode(incremented));
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        synchronized (this) {
            return CompletableFuture.completedFuture(encode(value));
        }
    }

    static long decode(Message message) {
        return message.getContent().asReadOnlyByteBuffer().getLong();
    }

    private static Message encode(long number) {
        return Message.valueOf(ByteString.copyFrom(ByteBuffer.allocate(Long.BYTES).putLong(0, number)));
    }
}
