package net.totalorder.replication.core;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import net.totalorder.sequencer.core.TentativeAssignment;

/**
 * The application of the simulated servers: it executes a request by folding its id and payload into a running
 * hash and counting it; a read ({@code read:} ids) changes nothing. Its reply names the execution ({@code count:hash}),
 * so two replies are equal only when they are the same execution. Every execution is reported to the
 * {@link NodeChecker}. Deterministic; the apply thread (an event of its server) only.
 */
final class FoldingStateMachine implements StateMachine {

    private final String server;
    private final NodeChecker checker;
    private long count;
    private long hash = 17;

    FoldingStateMachine(String server, NodeChecker checker) {
        this.server = server;
        this.checker = checker;
    }

    @Override
    public Reply apply(TentativeAssignment ta) {
        String identity = Long.toHexString(Arrays.hashCode(ta.payload()));
        boolean read = ta.reqId().startsWith("read:");
        if (!read) {
            count++;
            hash = (hash * 31 + ta.reqId().hashCode()) * 1_000_003L + Arrays.hashCode(ta.payload());
            checker.onExecuted(server, ta.seq(), ta.reqId(), state());
        }
        return Reply.returned(ta.seq(), ta.reqId(), identity, state(), read);
    }

    String state() {
        return count + ":" + Long.toHexString(hash);
    }

    @Override
    public Capture capture() {
        long c = count;
        long h = hash;
        return out -> {
            DataOutputStream data = new DataOutputStream(out);
            data.writeLong(c);
            data.writeLong(h);
            data.flush();
        };
    }

    @Override
    public void restore(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        count = data.readLong();
        hash = data.readLong();
    }
}
