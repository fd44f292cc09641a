package net.totalorder.bench.ispn;

import java.util.List;

import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.counter.EmbeddedCounterManagerFactory;
import org.infinispan.counter.api.CounterConfiguration;
import org.infinispan.counter.api.CounterManager;
import org.infinispan.counter.api.CounterType;
import org.infinispan.counter.api.StrongCounter;
import org.infinispan.counter.configuration.CounterManagerConfigurationBuilder;
import org.infinispan.counter.configuration.Reliability;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.remoting.transport.Address;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;

import net.totalorder.bench.member.MemberOptions;
import net.totalorder.bench.member.SequenceService;

/**
 * System C: one member of an embedded Infinispan cluster, on the same JGroups stack as OURS, and a
 * {@link StrongCounter} of type {@code UNBOUNDED_STRONG}. Each operation is {@code incrementAndGet().join()},
 * called from the load thread. The counters' cache keeps {@value #OWNERS} copies of the value, so that it survives
 * the crash of one member of three (the fault tolerance of the other two systems), and is {@code CONSISTENT}: a
 * minority partition refuses updates, as the other two systems do.
 *
 * <p>Threading: {@link #next} may be called by many threads at once (the counter is thread-safe); the counter is
 * defined by the first call, once the cluster has formed.
 */
final class IspnCounterService implements SequenceService {

    private static final String STACK = "jgroups-loopback-fork.xml";
    private static final String COUNTER = "bench";
    private static final int OWNERS = 2;

    private final MemberOptions options;
    private DefaultCacheManager cacheManager;
    private CounterManager counterManager;
    private volatile StrongCounter counter;

    IspnCounterService(MemberOptions options) {
        this.options = options;
    }

    @Override
    public void start() {
        GlobalConfigurationBuilder global = GlobalConfigurationBuilder.defaultClusteredBuilder();
        global.cacheManagerName("bench-" + options.self());
        global.jmx().enabled(false);
        global.transport().clusterName(options.cluster()).nodeName(options.self())
                .addProperty(JGroupsTransport.CONFIGURATION_FILE, STACK);
        global.addModule(CounterManagerConfigurationBuilder.class).numOwner(OWNERS)
                .reliability(Reliability.CONSISTENT);
        cacheManager = new DefaultCacheManager(global.build(), true);
        counterManager = EmbeddedCounterManagerFactory.asCounterManager(cacheManager);
    }

    @Override
    public int membersSeen() {
        List<Address> members = cacheManager.getMembers();
        return members == null ? 0 : members.size();
    }

    @Override
    public long next() {
        return counter().incrementAndGet().join();
    }

    /** The strong counter's {@code getValue()}. */
    @Override
    public long read() {
        return counter().getValue().join();
    }

    private StrongCounter counter() {
        StrongCounter c = counter;
        if (c == null) {
            synchronized (this) {
                if (counter == null) {
                    counterManager.defineCounter(COUNTER,
                            CounterConfiguration.builder(CounterType.UNBOUNDED_STRONG).initialValue(0).build());
                    counter = counterManager.getStrongCounter(COUNTER);
                }
                c = counter;
            }
        }
        return c;
    }
}
