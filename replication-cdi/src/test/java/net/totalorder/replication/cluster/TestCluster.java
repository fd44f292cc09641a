package net.totalorder.replication.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.inject.Singleton;

import io.smallrye.config.inject.ConfigExtension;
import io.smallrye.faulttolerance.FaultToleranceExtension;

import net.totalorder.replication.api.IdempotencyKey;
import net.totalorder.replication.api.ReplicationReceipt;
import net.totalorder.replication.cdi.ClusterBinding;
import net.totalorder.replication.cdi.ReplicatedExtension;
import net.totalorder.replication.cdi.ReplicationService;
import net.totalorder.replication.core.NodeSettings;
import net.totalorder.replication.interceptor.ReplicatedInterceptor;
import net.totalorder.replication.interceptor.RequestCalls;
import net.totalorder.replication.interceptor.RetryBoundaryInterceptor;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * Several servers in one JVM: one Weld SE container per server, each with its own instances of the application's
 * beans and its own replication node, connected by an {@link InJvmNetwork}. Server i is named {@code node<i>}
 * (1-based); node1, the first member, leads the sequencer while it is up. A server can be stopped and started
 * again with an empty state, as a restarted process.
 */
public final class TestCluster implements AutoCloseable {

    private final InJvmNetwork network;
    private final List<String> members = new ArrayList<>();
    private final List<InJvmBinding> bindings = new ArrayList<>();
    private final List<WeldContainer> containers = new ArrayList<>();
    private final UnaryOperator<NodeSettings> settings;
    private final Class<?>[] applicationClasses;

    private TestCluster(long seed, UnaryOperator<NodeSettings> settings, Class<?>[] applicationClasses) {
        this.network = new InJvmNetwork(seed);
        this.settings = settings;
        this.applicationClasses = applicationClasses;
    }

    /** Starts {@code servers} containers with the engine and {@code applicationClasses}. */
    public static TestCluster start(int servers, long seed, Class<?>... applicationClasses) {
        return start(servers, seed, UnaryOperator.identity(), applicationClasses);
    }

    /** As {@link #start(int, long, Class[])}, each node's settings changed by {@code settings}. */
    public static TestCluster start(int servers, long seed, UnaryOperator<NodeSettings> settings,
                                    Class<?>... applicationClasses) {
        TestCluster cluster = new TestCluster(seed, settings, applicationClasses);
        for (int i = 1; i <= servers; i++) {
            cluster.members.add("node" + i);
        }
        for (String name : cluster.members) {
            InJvmBinding binding = new InJvmBinding(cluster.network, name, cluster.members, settings);
            cluster.bindings.add(binding);
            cluster.containers.add(container(name, binding, applicationClasses).initialize());
        }
        return cluster;
    }

    /** Stops server {@code i}: its container shuts down and its node leaves the network (its state is gone). */
    public void stop(int i) {
        containers.get(i - 1).shutdown();
    }

    /** Starts server {@code i} again, with an empty state, as a restarted process. */
    public void restart(int i) {
        if (containers.get(i - 1).isRunning()) {
            throw new IllegalStateException("node" + i + " is running");
        }
        String name = members.get(i - 1);
        InJvmBinding binding = new InJvmBinding(network, name, members, settings);
        bindings.set(i - 1, binding);
        containers.set(i - 1, container(name, binding, applicationClasses).initialize());
    }

    /** A Weld container for one server: discovery off, only the engine, the binding and the given classes. */
    public static Weld container(String name, ClusterBinding binding, Class<?>... applicationClasses) {
        return new Weld(name).disableDiscovery()
                .addBeanClasses(ReplicationService.class, ReplicatedInterceptor.class, IdempotencyKey.class,
                        ReplicationReceipt.class, RequestCalls.class, RetryBoundaryInterceptor.class)
                .addBeanClasses(applicationClasses)
                .addExtension(new ConfigExtension())                // MicroProfile Config and Fault Tolerance,
                .addExtension(new FaultToleranceExtension())        // as on Liberty
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
