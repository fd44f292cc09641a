package net.totalorder.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import net.totalorder.replication.beans.InvalidUses;
import net.totalorder.replication.beans.Ledger;
import net.totalorder.replication.cdi.ReplicatedExtension;
import net.totalorder.replication.cluster.TestCluster;
import net.totalorder.replication.core.InMemorySnapshotStore;
import net.totalorder.replication.core.NodeSettings;
import net.totalorder.replication.core.ReplicationNode;
import net.totalorder.replication.core.StateMachine;
import net.totalorder.replication.core.ThreadedRuntime;
import net.totalorder.sequencer.core.InMemoryLog;
import net.totalorder.sequencer.core.SequencerConfig;
import net.totalorder.replication.cdi.ClusterBinding;
import net.totalorder.replication.cdi.ReadMode;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

/** Every invalid use of {@code @Replicated} fails the deployment with a message naming the method and the fault. */
class ReplicatedDeploymentTest {

    /** Deployment must fail before the application starts, so the binding is never connected. */
    private static final ClusterBinding NEVER_CONNECTED = new ClusterBinding() {
        @Override
        public ReplicationNode connect(StateMachine stateMachine) {
            throw new AssertionError("an invalid deployment must not start");
        }

        @Override
        public void disconnect() {
        }

        @Override
        public ReadMode reads() {
            return ReadMode.LINEARIZABLE;
        }
    };

    private static void deploymentFails(Class<?> bean, String method, String... words) {
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> TestCluster.container("bad", NEVER_CONNECTED, bean).initialize().shutdown());
        String message = String.valueOf(e.getMessage());
        assertTrue(message.contains(method), "message does not name " + method + ": " + message);
        for (String w : words) {
            assertTrue(message.contains(w), "message does not say '" + w + "': " + message);
        }
    }

    @Test
    void timeoutOnAReplicatedMethod_failsDeployment_becauseItWouldFireWhereTheCallIsApplied() {
        deploymentFails(InvalidUses.TimeoutOnReplicated.class, "TimeoutOnReplicated.change(String)", "@Timeout",
                "on every server by its own clock", "put it on the caller");
    }

    @Test
    void retryOnAnyExceptionOnAReplicatedMethod_failsDeployment_becauseItWouldRetryTheApplication() {
        deploymentFails(InvalidUses.RetryOnAnyException.class, "RetryOnAnyException.change(String)",
                "@Retry on java.lang.Exception", "retry only on ReplicationUnavailableException");
    }

    @Test
    void requestScopedBean_failsDeployment() {
        deploymentFails(InvalidUses.RequestScopedBean.class, "RequestScopedBean.change(String)", "@RequestScoped",
                "@ApplicationScoped or a @Singleton EJB");
    }

    @Test
    void dependentBean_failsDeployment() {
        deploymentFails(InvalidUses.DependentBean.class, "DependentBean.change(String)", "@Dependent");
    }

    @Test
    void parameterTheCodecCannotEncode_failsDeployment() {
        deploymentFails(InvalidUses.UnencodableParameter.class, "UnencodableParameter.upload(InputStream)",
                "parameter 1", "java.io.InputStream", "abstract class");
    }

    @Test
    void returnTypeTheCodecCannotEncode_failsDeployment() {
        deploymentFails(InvalidUses.UnencodableReturn.class, "UnencodableReturn.anything(String)",
                "return type java.lang.Object");
    }

    @Test
    void rawCollectionParameter_failsDeployment() {
        deploymentFails(InvalidUses.RawCollection.class, "RawCollection.addAll(List)", "without its element type");
    }

    @Test
    void nonPublicMethod_failsDeployment() {
        deploymentFails(InvalidUses.NonPublicMethod.class, "NonPublicMethod.change(String)", "not public");
    }

    @Test
    void beanWithoutReplicatedState_failsDeployment() {
        deploymentFails(InvalidUses.NoState.class, "NoState", "does not implement ReplicatedState<S>",
                "snapshots");
    }

    @Test
    void stateTypeTheCodecCannotEncode_failsDeployment() {
        deploymentFails(InvalidUses.UnencodableState.class, "UnencodableState", "ReplicatedState<java.lang.Object>",
                "cannot be encoded");
    }

    @Test
    void validBean_deploysAndRegistersItsReplicatedMethods() {
        ClusterBinding binding = new ClusterBinding() {
            @Override
            public ReplicationNode connect(StateMachine stateMachine) {
                return new ReplicationNode(NodeSettings.defaults(List.of("solo"), "solo"),
                        SequencerConfig.of(List.of("solo"), "solo"), new ThreadedRuntime("solo"), (to, m) -> { },
                        stateMachine, new InMemoryLog(), new InMemorySnapshotStore());
            }

            @Override
            public void disconnect() {
            }

            @Override
            public ReadMode reads() {
                return ReadMode.LINEARIZABLE;
            }
        };
        WeldContainer c = TestCluster.container("good", binding, Ledger.class).initialize();
        try {
            assertEquals(7, c.select(ReplicatedExtension.class).get().methods().size(),
                    "append, appendUntilOrdered, stamp, appendTwice, breakDown, entries, total");
            assertEquals(1, c.select(ReplicatedExtension.class).get().beans().size());
        } finally {
            c.shutdown();
        }
    }
}
