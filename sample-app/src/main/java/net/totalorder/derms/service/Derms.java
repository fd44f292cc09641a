package net.totalorder.derms.service;

import jakarta.enterprise.context.ApplicationScoped;

import net.totalorder.derms.domain.AddResource;
import net.totalorder.derms.domain.DermsState;
import net.totalorder.derms.domain.FindResource;
import net.totalorder.derms.domain.ListResourceAvailability;
import net.totalorder.derms.domain.RemoveResource;
import net.totalorder.derms.domain.RequestResource;
import net.totalorder.derms.domain.Result;
import net.totalorder.derms.domain.ReturnResource;
import net.totalorder.derms.domain.SwapResource;
import net.totalorder.replication.api.Replicated;
import net.totalorder.replication.api.ReplicatedState;

/**
 * This server's replica of the DERMS state of all three cities. Every operation is {@code @Replicated}: applied by
 * every server in one total order, exactly once; the reads are ordered too, so they are linearizable. The commands
 * arrive validated and authorized (their constructors check), so nothing invalid is ever ordered.
 *
 * <p>Snapshots capture the whole state as a {@link DermsState.Snapshot} (a copy, taken between two invocations)
 * and restore it on a server that catches up.
 *
 * <p>Threading: the replicated methods and the snapshot methods run on the replication engine's apply thread, one at
 * a time; {@link #digest()} must be called through {@code ReplicationMonitor.readApplied}.
 */
@ApplicationScoped
public class Derms implements ReplicatedState<DermsState.Snapshot> {

    private final DermsState state = new DermsState();

    @Replicated
    public Result addResource(AddResource command) {
        return state.addResource(command);
    }

    @Replicated
    public Result removeResource(RemoveResource command) {
        return state.removeResource(command);
    }

    @Replicated(readOnly = true)
    public Result listResourceAvailability(ListResourceAvailability command) {
        return state.listResourceAvailability(command);
    }

    @Replicated
    public Result requestResource(RequestResource command) {
        return state.requestResource(command);
    }

    @Replicated(readOnly = true)
    public Result findResource(FindResource command) {
        return state.findResource(command);
    }

    @Replicated
    public Result returnResource(ReturnResource command) {
        return state.returnResource(command);
    }

    @Replicated
    public Result swapResource(SwapResource command) {
        return state.swapResource(command);
    }

    @Override
    public DermsState.Snapshot captureState() {
        return state.snapshot();
    }

    @Override
    public void restoreState(DermsState.Snapshot snapshot) {
        state.restore(snapshot);
    }

    /** SHA-256 of the canonical state of this replica (not replicated: read it between two applied invocations). */
    public String digest() {
        return state.digest();
    }
}
