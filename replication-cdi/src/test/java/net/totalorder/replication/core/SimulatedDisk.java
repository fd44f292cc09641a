package net.totalorder.replication.core;

import java.util.List;

import net.totalorder.sequencer.core.DurableLog;
import net.totalorder.sequencer.core.HardState;
import net.totalorder.sequencer.core.LogStorage;
import net.totalorder.sequencer.core.TentativeAssignment;

/**
 * A server's disk in the simulation: what survives a crash of its process — the marker, the hard state, the log as
 * of its last sync, and the stored snapshots. The log reaches it only on a sync (a crash loses the rest); the hard
 * state is written at once after a sync of the log, as {@code FileLog} does. A whole disk can be lost.
 *
 * <p>Planted bugs, for the tests that show the simulation catches them: {@code lazy} (a sync reaches the disk only
 * every fifth time, so answers leave before what they acknowledge is durable).
 *
 * <p>Single-threaded, like the world.
 */
final class SimulatedDisk {

    enum Marker { NONE, NEW, JOINED }

    private Marker marker;
    private final boolean lazy;
    private HardState hard = HardState.NONE;
    private long base;
    private long baseEpoch;
    private List<TentativeAssignment> entries = List.of();
    private final InMemorySnapshotStore snapshots = new InMemorySnapshotStore();
    private int syncs;

    private SimulatedDisk(Marker marker, boolean lazy) {
        this.marker = marker;
        this.lazy = lazy;
    }

    /** A disk provisioned for a new member. */
    static SimulatedDisk provisioned(boolean lazy) {
        return new SimulatedDisk(Marker.NEW, lazy);
    }

    /** What a server finds after its disk was lost: nothing, not even a marker. */
    static SimulatedDisk lost(boolean lazy) {
        return new SimulatedDisk(Marker.NONE, lazy);
    }

    SnapshotStore snapshots() {
        return snapshots;
    }

    /** The log an incarnation opens on this disk. */
    LogStorage open() {
        return new DiskLog();
    }

    private final class DiskLog extends DurableLog {
        private final Origin origin;

        DiskLog() {
            origin = switch (marker) {
                case NONE -> Origin.LOST;
                case NEW -> Origin.NEW;
                case JOINED -> Origin.RESTORED;
            };
            held.resetTo(base, baseEpoch);
            entries.forEach(held::append);
            held.saveHardState(hard);
            durableLastSeq = held.lastSeq();
        }

        @Override
        public void sync() {
            durableLastSeq = held.lastSeq();          // what the replica believes is on disk
            if (!lazy || ++syncs % 5 == 0) {
                persist();
            }
        }

        private void persist() {
            base = held.baseSeq();
            baseEpoch = held.baseEpoch();
            entries = held.range(base + 1, held.lastSeq(), Long.MAX_VALUE);
        }

        @Override
        public void saveHardState(HardState state) {
            sync();
            persist();                                // FileLog syncs the log before it writes the hard state
            held.saveHardState(state);
            hard = state;
            marker = Marker.JOINED;
        }

        @Override
        public Origin origin() {
            return origin;
        }

        @Override
        public HardState hardState() {
            return held.hardState();
        }

        @Override
        public void append(TentativeAssignment ta) {
            held.append(ta);
        }

        @Override
        public void truncateFrom(long seq) {
            held.truncateFrom(seq);
            durableLastSeq = Math.min(durableLastSeq, held.lastSeq());
            persist();                                // FileLog syncs, cuts the file and forces it at once
        }

        @Override
        public void compactUpTo(long seq) {
            held.compactUpTo(seq);
            persist();                                // FileLog writes the base at once (what it covers is in a snapshot)
        }

        @Override
        public void resetTo(long seq, long epoch) {
            held.resetTo(seq, epoch);
            persist();
            durableLastSeq = seq;
        }

    }
}
