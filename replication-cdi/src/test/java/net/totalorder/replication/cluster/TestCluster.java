package net.totalorder.replication.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.inject.Singleton;

import net.totalorder.replication.api.IdempotencyKey;
import net.totalorder.replication.api.ReplicationReceipt;
import net.totalorder.replication.cdi.ClusterBinding;
import net.totalorder.replication.cdi.ReplicatedExtension;
import net.totalorder.replication.cdi.ReplicationService;
import net.totalorder.replication.interceptor.ReplicatedInterceptor;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * Several servers in one JVM: one Weld SE container per server, each with its own instances of the application's
 * beans and its own replication node, connected by an {@link InJvmNetwork}. Server i is named {@code node<i>}
 * (1-based); node1 leads the sequencer unless a test says otherwise.
 */
public final class TestCluster implements AutoCloseable {

    private final InJvmNetwork network;
    private final List<InJvmBinding> bindings = new ArrayList<>();
    private final List<WeldContainer> containers = new ArrayList<>();

    private TestCluster(long seed) {
        this.network = new InJvmNetwork(seed);
    }

    /** Starts {@code servers} containers with the engine and {@code applicationClasses}. */
    public static TestCluster start(int servers, long seed, Class<?>... applicationClasses) {
        TestCluster cluster = new TestCluster(seed);
        List<String> members = new ArrayList<>();
        for (int i = 1; i <= servers; i++) {
            members.add("node" + i);
        }
        for (String name : members) {
            InJvmBinding binding = new InJvmBinding(cluster.network, name, members);
            cluster.bindings.add(binding);
            cluster.containers.add(container(name, binding, applicationClasses).initialize());
        }
        cluster.network.setLeader("node1");
        return cluster;
    }

    /** A Weld container for one server: discovery off, only the engine, the binding and the given classes. */
    public static Weld container(String name, ClusterBinding binding, Class<?>... applicationClasses) {
        return new Weld(name).disableDiscovery()
                .addBeanClasses(ReplicationService.class, ReplicatedInterceptor.class, IdempotencyKey.class,
                        ReplicationReceipt.class)
                .addBeanClasses(applicationClasses)
                .addExtension(new ReplicatedExtension())
                .addExtension(new BindingExtension(binding));
    }

    public InJvmNetwork network() {
        return network;
    }

    /** The bean {@code type} on server {@code i} (1-based). */
    public <T> T bean(int i, Class<T> type) {
        return containers.get(i - 1).select(type).get();
    }

    public InJvmBinding binding(int i) {
        return bindings.get(i - 1);
    }

    public int size() {
        return bindings.size();
    }

    /** Runs {@code call} on server {@code i} inside a request whose Idempotency-Key is {@code key}. */
    public <T> T inRequest(int i, String key, Callable<T> call) throws Exception {
        RequestContextController request = containers.get(i - 1).select(RequestContextController.class).get();
        request.activate();
        try {
            if (key != null) {
                containers.get(i - 1).select(IdempotencyKey.class).get().set(key);
            }
            return call.call();
        } finally {
            request.deactivate();
        }
    }

    /** Waits until {@code condition} holds, failing after {@code timeout}. */
    public static void eventually(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            LockSupport.parkNanos(5_000_000);   // poll every 5 ms until the deadline
        }
    }

    @Override
    public void close() {
        for (WeldContainer c : containers) {
            if (c.isRunning()) {
                c.shutdown();
            }
        }
        network.close();
    }

    /** Makes a given {@link ClusterBinding} instance the container's binding bean. */
    static final class BindingExtension implements Extension {
        private final ClusterBinding binding;

        BindingExtension(ClusterBinding binding) {
            this.binding = binding;
        }

        void addBinding(@Observes AfterBeanDiscovery event) {
            event.addBean().types(ClusterBinding.class, Object.class).scope(Singleton.class)
                    .createWith(c -> binding);
        }
    }
}
