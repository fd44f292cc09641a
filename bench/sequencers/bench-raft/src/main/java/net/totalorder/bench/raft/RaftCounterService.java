package net.totalorder.bench.raft;

import org.jgroups.JChannel;
import org.jgroups.View;
import org.jgroups.raft.blocks.CounterService;
import org.jgroups.raft.blocks.RaftSyncCounter;

import net.totalorder.bench.member.MemberOptions;
import net.totalorder.bench.member.SequenceService;

/**
 * System B: one member of a jgroups-raft cluster (RAFT with an in-memory log, or in durable mode its
 * {@code FileBasedLog} with {@code log_use_fsync=true}; see jgroups-raft-loopback.xml) and
 * its {@link CounterService}. Each operation is {@code incrementAndGet} on one counter, called from the load
 * thread; on a follower, REDIRECT forwards it to the leader.
 *
 * <p>Threading: {@link #next} may be called by many threads at once (the counter is thread-safe); the counter is
 * created by the first call, once a leader exists to commit its creation.
 */
final class RaftCounterService implements SequenceService {

    private static final String STACK = "jgroups-raft-loopback.xml";
    private static final String COUNTER = "bench";

    private final MemberOptions options;
    private JChannel channel;
    private CounterService counters;
    private volatile RaftSyncCounter counter;

    RaftCounterService(MemberOptions options) {
        this.options = options;
    }

    @Override
    public void start() throws Exception {
        System.setProperty("raft.members", String.join(",", options.members()));
        System.setProperty("raft.id", options.self());
        if (options.storage() != null) {
            // durable mode: jgroups-raft's file log, every append forced to disk (log_use_fsync)
            java.nio.file.Files.createDirectories(options.storage());
            System.setProperty("raft.log_class", "org.jgroups.protocols.raft.FileBasedLog");
            System.setProperty("raft.log_dir", options.storage().toString());
            System.setProperty("raft.log_use_fsync", "true");
        }
        channel = new JChannel(STACK).name(options.self());
        // jgroups-raft 1.1 reads the local state by default (allow_dirty_reads): the benchmark's stale-read check
        // caught it ("stale read: 2, but 3 was obtained before the load began"); a linearizable get goes through the log
        counters = new CounterService(channel).allowDirtyReads(false);
        channel.connect(options.cluster());
    }

    @Override
    public int membersSeen() {
        View view = channel.getView();
        return view == null ? 0 : view.size();
    }

    @Override
    public long next() throws Exception {
        return counter().incrementAndGet();
    }

    /** The counter's {@code get()}: jgroups-raft's linearizable read, a command through the Raft log. */
    @Override
    public long read() throws Exception {
        return counter().get();
    }

    private RaftSyncCounter counter() throws Exception {
        RaftSyncCounter c = counter;
        if (c == null) {
            synchronized (this) {
                if (counter == null) {
                    counter = counters.getOrCreateCounter(COUNTER, 0);
                }
                c = counter;
            }
        }
        return c;
    }
}
