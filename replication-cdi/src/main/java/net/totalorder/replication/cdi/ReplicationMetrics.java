package net.totalorder.replication.cdi;

import java.time.Duration;
import java.util.function.ToLongFunction;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import net.totalorder.replication.api.ReplicaStatus;
import net.totalorder.replication.api.ReplicationMonitor;
import net.totalorder.replication.core.NodeObserver;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Histogram;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Timer;

/**
 * This server's replication as MicroProfile Metrics (served by Liberty's {@code mpMetrics-5.1} at {@code /metrics}
 * in the Prometheus text format): counters and timers fed by the node as it works, gauges read from its status
 * when scraped. Names and meanings: the README's "Metrics" section.
 *
 * <p>Not a bean unless MicroProfile Metrics is there: {@link ReplicatedExtension} adds it (a singleton) only
 * when the API is on the class path, and {@link GroupClusterBinding} hands it to the node. Thread-safe: the metrics
 * are.
 */
public class ReplicationMetrics implements NodeObserver {

    @Inject
    MetricRegistry registry;
    @Inject
    Instance<ReplicationMonitor> monitor;

    private Counter calls;
    private Counter timeouts;
    private Counter applied;
    private Counter replyCacheHits;
    private Counter leaderChanges;
    private Timer rounds;
    private Histogram batchSizes;
    private Timer logSyncs;
    private Timer snapshotsTaken;
    private Timer snapshotsInstalled;
    private Histogram snapshotBytes;

    @PostConstruct
    void register() {
        calls = registry.counter(meta("replication.calls", "replicated calls made on this server", MetricUnits.NONE));
        timeouts = registry.counter(meta("replication.call.timeouts",
                "calls without a reply within replication.call.timeout-ms (they may still be applied)",
                MetricUnits.NONE));
        applied = registry.counter(meta("replication.calls.applied", "calls this replica executed", MetricUnits.NONE));
        replyCacheHits = registry.counter(meta("replication.reply.cache.hits",
                "calls answered from the reply cache without executing them again (retries)", MetricUnits.NONE));
        leaderChanges = registry.counter(meta("replication.leader.changes",
                "times this server's sequencer replica became primary", MetricUnits.NONE));
        rounds = registry.timer(meta("replication.writemaj.round",
                "time from sending a WriteMaj round to its being definitive (on the primary)", MetricUnits.SECONDS));
        batchSizes = registry.histogram(meta("replication.writemaj.batch",
                "assignments per WriteMaj round (on the primary)", MetricUnits.NONE));
        logSyncs = registry.timer(meta("replication.log.sync",
                "time to write the log's new records and, with fsync on, force them to disk", MetricUnits.SECONDS));
        snapshotsTaken = registry.timer(meta("replication.snapshot.take",
                "time to capture, encode and store a snapshot", MetricUnits.SECONDS));
        snapshotsInstalled = registry.timer(meta("replication.snapshot.install",
                "time from asking another member for a snapshot to having installed it (catch-up)",
                MetricUnits.SECONDS));
        snapshotBytes = registry.histogram(meta("replication.snapshot.size",
                "size of each snapshot taken or installed here", MetricUnits.BYTES));
        gauge("replication.applied.seq", "the last seq applied here", ReplicaStatus::appliedSeq);
        gauge("replication.definitive.seq", "the highest seq this server knows to be definitive",
                ReplicaStatus::definitiveUpTo);
        gauge("replication.apply.lag", "definitive seqs not yet applied here",
                s -> Math.max(0, s.definitiveUpTo() - s.appliedSeq()));
        gauge("replication.epoch", "the epoch of this server's sequencer replica (grows with each leader change)",
                ReplicaStatus::epoch);
        gauge("replication.primary", "1 while this server's sequencer replica is primary",
                s -> "PRIMARY".equals(s.role()) ? 1 : 0);
        gauge("replication.ready", "1 while this server is ready (recovered, caught up, a leader known)",
                s -> s.ready() ? 1 : 0);
        gauge("replication.log.entries", "assignments held in the log (compacted up to the latest snapshot)",
                s -> Math.max(0, s.logLast() - s.logBase()));
        gauge("replication.dropped.messages", "malformed or unexpected protocol frames dropped",
                ReplicaStatus::droppedMessages);
    }

    private static Metadata meta(String name, String description, String unit) {
        return Metadata.builder().withName(name).withDescription(description).withUnit(unit).build();
    }

    /** A gauge read from this server's status when scraped; -1 while the node is not up. */
    private void gauge(String name, String description, ToLongFunction<ReplicaStatus> read) {
        registry.gauge(meta(name, description, MetricUnits.NONE), this, m -> {
            ReplicaStatus s = m.status();
            return s == null ? -1L : read.applyAsLong(s);
        });
    }

    private ReplicaStatus status() {
        try {
            return monitor.get().status();
        } catch (RuntimeException notUpYet) {
            return null;
        }
    }

    @Override
    public void callMade() {
        calls.inc();
    }

    @Override
    public void callTimedOut() {
        timeouts.inc();
    }

    @Override
    public void callApplied() {
        applied.inc();
    }

    @Override
    public void answeredFromReplyCache() {
        replyCacheHits.inc();
    }

    @Override
    public void roundDefinitive(long assignments, long millis) {
        rounds.update(Duration.ofMillis(millis));
        batchSizes.update(assignments);
    }

    @Override
    public void becamePrimary(long epoch) {
        leaderChanges.inc();
    }

    @Override
    public void logSynced(long nanos) {
        logSyncs.update(Duration.ofNanos(nanos));
    }

    @Override
    public void snapshotTaken(long bytes, long millis) {
        snapshotsTaken.update(Duration.ofMillis(millis));
        snapshotBytes.update(bytes);
    }

    @Override
    public void snapshotInstalled(long bytes, long millis) {
        snapshotsInstalled.update(Duration.ofMillis(millis));
        snapshotBytes.update(bytes);
    }
}
