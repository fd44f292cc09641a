package net.totalorder.replication.cdi;

import net.totalorder.replication.core.ReplicationNode;
import net.totalorder.replication.core.StateMachine;

/**
 * Connects this server's application replica to its cluster: on Liberty the JGroups channel of the embedded
 * Infinispan, in tests an in-JVM network. The engine provides the {@link StateMachine}; the binding creates,
 * connects and starts the {@link ReplicationNode}. A CDI bean.
 */
public interface ClusterBinding {

    /** Creates, connects and starts this server's node; called once, at application start. */
    ReplicationNode connect(StateMachine stateMachine);

    /** Leaves the cluster and stops the node; called once, at application stop. */
    void disconnect();

    /** {@code replication.reads}: how read-only methods run. */
    ReadMode reads();

    /**
     * {@code replication.enabled=false}: no cluster; every call runs on the local replica, one at a time, unordered
     * (a single server, e.g. the baseline the benchmarks compare replication against).
     */
    default boolean replicated() {
        return true;
    }
}
