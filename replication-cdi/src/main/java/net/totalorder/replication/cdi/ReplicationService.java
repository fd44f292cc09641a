package net.totalorder.replication.cdi;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.LongFunction;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

import net.totalorder.replication.api.IdempotencyKeyReusedException;
import net.totalorder.replication.api.ReplicaStatus;
import net.totalorder.replication.api.ReplicatedState;
import net.totalorder.replication.api.ReplicationContext;
import net.totalorder.replication.api.ReplicationMonitor;
import net.totalorder.replication.api.ReplicationReceipt;
import net.totalorder.replication.api.ReplicationUnavailableException;
import net.totalorder.replication.api.ReplyExpiredException;
import net.totalorder.replication.codec.InvocationCodec;
import net.totalorder.replication.codec.ReplicatedBeans;
import net.totalorder.replication.codec.ReplicatedMethod;
import net.totalorder.replication.codec.StateCodec;
import net.totalorder.replication.codec.UndecodableInvocationException;
import net.totalorder.replication.core.CallRefusedException;
import net.totalorder.replication.core.NodeStatus;
import net.totalorder.replication.core.ReplicaFailedException;
import net.totalorder.replication.core.Reply;
import net.totalorder.replication.core.ReplicationNode;
import net.totalorder.replication.core.StateMachine;
import net.totalorder.replication.interceptor.CallLedger;
import net.totalorder.replication.interceptor.RequestCalls;
import net.totalorder.replication.spi.Replicator;
import net.totalorder.sequencer.core.TentativeAssignment;

/**
 * The engine behind {@code @Replicated}: for a caller, encodes the call, orders it, waits for the local replica to
 * apply it and returns its reply; as this server's {@link StateMachine}, applies an ordered invocation to the
 * server's bean instance (through its CDI proxy, so the bean's other interceptors run, with the request context
 * active and the {@link ReplicationContext} set), and captures and restores the beans' {@link ReplicatedState}s for
 * snapshots; as the {@link ReplicationMonitor}, reports the replica's status.
 *
 * <p>Started with the application. Thread-safe: callers on any thread; the {@link StateMachine} methods on the apply
 * thread only.
 */
@ApplicationScoped
public class ReplicationService implements Replicator, StateMachine, ReplicationMonitor {

    @Inject
    ReplicatedExtension extension;
    @Inject
    BeanManager beanManager;
    @Inject
    Instance<RequestCalls> requestCalls;
    @Inject
    Instance<ReplicationReceipt> receipt;
    @Inject
    ClusterBinding binding;
    @Inject
    RequestContextController requestContext;   // used by the apply thread only

    private final Map<Class<?>, Object> references = new ConcurrentHashMap<>();
    private Jsonb jsonb;
    private InvocationCodec codec;
    private StateCodec stateCodec;
    private ReplicationNode node;

    void startWithTheApplication(@Observes @Initialized(ApplicationScoped.class) Object event) {
        // observing the event is what starts the service (and joins the cluster) at deployment
    }

    @PostConstruct
    void start() {
        jsonb = JsonbBuilder.create();
        codec = new InvocationCodec(jsonb, extension.methods());
        stateCodec = new StateCodec(jsonb, extension.beans());
        node = binding.connect(this);
    }

    @PreDestroy
    void stop() {
        binding.disconnect();
        try {
            jsonb.close();
        } catch (Exception e) {
            System.getLogger(ReplicationService.class.getName()).log(System.Logger.Level.WARNING,
                    "closing JSON-B failed", e);
        }
    }

    /** This server's replication node (tests). */
    public ReplicationNode node() {
        return node;
    }

    @Override
    public Object invoke(Method method, Object[] args, Callable<Object> local) throws Exception {
        ReplicatedMethod m = extension.methods().of(method);
        if (m == null) {
            throw new IllegalStateException(method + " was not registered as @Replicated at deployment");
        }
        if (!binding.replicated() || (m.readOnly() && binding.reads() == ReadMode.LOCAL_STALE)) {
            return node.readLocally(local);
        }
        if (m.readOnly() && binding.reads() == ReadMode.LINEARIZABLE) {
            long[] seen = new long[1];
            Object result;
            try {
                result = node.read(() -> {
                    Object r = local.call();
                    seen[0] = node.appliedSeq();      // the apply thread: the state read is the one after this seq
                    return r;
                });
            } catch (TimeoutException | ReplicaFailedException | CallRefusedException e) {
                throw new ReplicationUnavailableException(e.getMessage());
            }
            if (RequestCalls.active(beanManager)) {
                receipt.get().record(seen[0]);
            }
            return result;
        }
        byte[] payload = codec.encode(m, args, Instant.now());
        String identity = InvocationCodec.identity(payload);     // once: the ledger and the reply's check need it
        boolean inRequest = RequestCalls.active(beanManager);
        CallLedger ledger = CallLedger.bound();      // an attempt of a retried method runs here, maybe on FT's thread
        if (ledger == null && inRequest) {
            ledger = requestCalls.get().ledger();
        }
        String requestId = ledger == null ? freshRequestId()
                : ledger.requestIdFor(() -> identity, this::freshRequestId);
        Reply reply;
        try {
            reply = node.call(requestId, payload);
        } catch (TimeoutException | ReplicaFailedException | CallRefusedException e) {
            throw new ReplicationUnavailableException(e.getMessage());
        }
        if (inRequest) {
            receipt.get().record(reply.seq());
        }
        if (reply.outcome() == Reply.Outcome.EXPIRED) {
            throw new ReplyExpiredException(reply.seq(), reply.value());
        }
        if (!reply.identity().equals(identity)) {
            throw new IdempotencyKeyReusedException("request " + requestId + " was already used for a different "
                    + "invocation (at seq " + reply.seq() + ")");
        }
        switch (reply.outcome()) {
            case RETURNED:
                return codec.decodeResult(m, reply.value());
            case THREW:
                throw reply.exception() instanceof Exception e ? e : codec.decodeThrown(m, reply.value());
            default:
                throw new IllegalStateException("invocation " + requestId + " was rejected: " + reply.value());
        }
    }

    /**
     * Runs {@code read} on this server's replica between two ordered invocations, without ordering it: it sees
     * the state after some applied seq, consistently (status pages, digests).
     */
    public <T> T readLocally(Callable<T> read) throws Exception {
        return node.readLocally(read);
    }

    @Override
    public <T> T readApplied(LongFunction<T> read) throws Exception {
        return node.readLocally(() -> read.apply(node.appliedSeq()));
    }

    @Override
    public ReplicaStatus status() {
        NodeStatus s = node.status();
        return new ReplicaStatus(s.node(), binding.replicated() ? s.role() : "DISABLED", s.epoch(), s.leader(),
                !binding.replicated() || s.ready(), binding.replicated() ? s.waiting() : null, s.storage(), s.failure(),
                node.appliedSeq(), s.definitiveUpTo(), s.logBase(),
                s.logLast(), s.snapshotSeq(), s.snapshotsTaken(), s.snapshotsInstalled(), s.installingSnapshot(),
                s.droppedMessages(),
                s.members().stream().map(m -> new ReplicaStatus.Member(m.name(), m.inView(), m.live(), m.role(),
                        m.epoch(), m.eligible(), m.appliedSeq(), m.definitiveUpTo(), m.heardMillisAgo())).toList(),
                s.leaderChanges().stream().map(c -> new ReplicaStatus.LeaderChange(c.primary(), c.epoch(),
                        c.millisAgo())).toList());
    }

    // ------------------------------------------------------------------------------------------------------------
    // The state machine (apply thread)

    /**
     * Applies the ordered invocation {@code ta} to this server's bean. An exception of the method is a reply; an
     * {@link Error} it throws is not: it propagates, and the replica stops.
     */
    @Override
    public Reply apply(TentativeAssignment ta) {
        String identity = InvocationCodec.identity(ta.payload());
        InvocationCodec.Invocation invocation;
        try {
            invocation = codec.decode(ta.payload());
        } catch (UndecodableInvocationException e) {
            return Reply.rejected(ta.seq(), ta.reqId(), identity, e.getMessage());
        }
        ReplicatedMethod m = invocation.method();
        Object bean = reference(m.beanClass());
        requestContext.activate();
        try {
            Object result = ReplicationContext.applying(ta.seq(), ta.reqId(), invocation.timestamp(),
                    () -> m.method().invoke(bean, invocation.args()));
            return Reply.returned(ta.seq(), ta.reqId(), identity, codec.encodeResult(m, result), m.readOnly());
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Error error) {
                throw error;                      // fail-stop: the bean's state cannot be trusted any more
            }
            return Reply.threw(ta.seq(), ta.reqId(), identity, codec.encodeThrown(e.getCause()), e.getCause(),
                    m.readOnly());
        } catch (Exception e) {
            return Reply.rejected(ta.seq(), ta.reqId(), identity, "cannot invoke " + m.id() + ": " + e);
        } finally {
            requestContext.deactivate();
        }
    }

    @Override
    public Capture capture() {
        Map<String, Object> states = new LinkedHashMap<>();
        inRequest(() -> {
            for (ReplicatedBeans.Bean b : extension.beans().all()) {
                states.put(b.beanClass().getName(), ((ReplicatedState<?>) reference(b.beanClass())).captureState());
            }
        });
        return out -> stateCodec.write(states, out);
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void restore(InputStream in) throws IOException {
        Map<String, Object> states = stateCodec.read(in);
        inRequest(() -> {
            for (ReplicatedBeans.Bean b : extension.beans().all()) {
                ((ReplicatedState) reference(b.beanClass())).restoreState(states.get(b.beanClass().getName()));
            }
        });
    }

    private void inRequest(Runnable work) {
        requestContext.activate();
        try {
            work.run();
        } finally {
            requestContext.deactivate();
        }
    }

    private Object reference(Class<?> beanClass) {
        return references.computeIfAbsent(beanClass, c -> {
            Bean<?> bean = beanManager.resolve(beanManager.getBeans(c));
            return beanManager.getReference(bean, c, beanManager.createCreationalContext(bean));
        });
    }

    private String freshRequestId() {
        return "g:" + node.name() + ":" + UUID.randomUUID();
    }
}
