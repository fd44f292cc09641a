package net.totalorder.replication.cdi;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

import net.totalorder.replication.api.IdempotencyKey;
import net.totalorder.replication.api.IdempotencyKeyReusedException;
import net.totalorder.replication.api.ReplicationContext;
import net.totalorder.replication.api.ReplicationReceipt;
import net.totalorder.replication.api.ReplicationUnavailableException;
import net.totalorder.replication.codec.InvocationCodec;
import net.totalorder.replication.codec.ReplicatedMethod;
import net.totalorder.replication.codec.UndecodableInvocationException;
import net.totalorder.replication.core.Reply;
import net.totalorder.replication.core.ReplicationNode;
import net.totalorder.replication.spi.Replicator;
import net.totalorder.sequencer.core.TentativeAssignment;

/**
 * The engine behind {@code @Replicated}: for a caller, encodes the call, orders it, waits for the local replica to
 * apply it and returns its reply; for the delivery engine, applies an ordered invocation to this server's bean
 * instance (through its CDI proxy, so the bean's other interceptors run, with the request context active and the
 * {@link ReplicationContext} set).
 *
 * <p>Started with the application. Thread-safe: callers on any thread; {@link #apply} on the apply thread only.
 */
@ApplicationScoped
public class ReplicationService implements Replicator {

    @Inject
    ReplicatedExtension extension;
    @Inject
    BeanManager beanManager;
    @Inject
    Instance<IdempotencyKey> idempotencyKey;
    @Inject
    Instance<ReplicationReceipt> receipt;
    @Inject
    ClusterBinding binding;
    @Inject
    RequestContextController requestContext;   // used by the apply thread only

    private final Map<Class<?>, Object> references = new ConcurrentHashMap<>();
    private Jsonb jsonb;
    private InvocationCodec codec;
    private ReplicationNode node;

    void startWithTheApplication(@Observes @Initialized(ApplicationScoped.class) Object event) {
        // observing the event is what starts the service (and joins the cluster) at deployment
    }

    @PostConstruct
    void start() {
        jsonb = JsonbBuilder.create();
        codec = new InvocationCodec(jsonb, extension.methods());
        node = binding.connect(this::apply);
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

    /** This server's replication node (status, tests). */
    public ReplicationNode node() {
        return node;
    }

    @Override
    public Object invoke(Method method, Object[] args, Callable<Object> local) throws Exception {
        ReplicatedMethod m = extension.methods().of(method);
        if (m == null) {
            throw new IllegalStateException(method + " was not registered as @Replicated at deployment");
        }
        if (!binding.replicated() || (m.readOnly() && binding.localReads())) {
            return node.readLocally(local);
        }
        byte[] payload = codec.encode(m, args, Instant.now());
        String requestId = nextRequestId();
        Reply reply;
        try {
            reply = node.call(requestId, payload);
        } catch (TimeoutException e) {
            throw new ReplicationUnavailableException(e.getMessage());
        }
        if (requestContextActive()) {
            receipt.get().record(reply.seq());
        }
        if (!reply.identity().equals(InvocationCodec.identity(payload))) {
            throw new IdempotencyKeyReusedException("request " + requestId + " was already used for a different "
                    + "invocation (at seq " + reply.seq() + ")");
        }
        switch (reply.outcome()) {
            case RETURNED:
                return codec.decodeResult(m, reply.value());
            case THREW:
                if (reply.exception() instanceof Exception e) {
                    throw e;
                }
                throw (Error) reply.exception();
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

    /** Applies the ordered invocation {@code ta} to this server's bean; never throws. Apply thread only. */
    Reply apply(TentativeAssignment ta) {
        String identity = InvocationCodec.identity(ta.payload());
        InvocationCodec.Invocation invocation;
        try {
            invocation = codec.decode(ta.payload());
        } catch (UndecodableInvocationException e) {
            return Reply.rejected(ta.seq(), ta.reqId(), identity, e.getMessage());
        }
        ReplicatedMethod m = invocation.method();
        Object bean = references.computeIfAbsent(m.beanClass(), this::reference);
        requestContext.activate();
        try {
            Object result = ReplicationContext.applying(ta.seq(), ta.reqId(), invocation.timestamp(),
                    () -> m.method().invoke(bean, invocation.args()));
            return Reply.returned(ta.seq(), ta.reqId(), identity, codec.encodeResult(m, result));
        } catch (InvocationTargetException e) {
            return Reply.threw(ta.seq(), ta.reqId(), identity, e.getCause());
        } catch (Exception e) {
            return Reply.rejected(ta.seq(), ta.reqId(), identity, "cannot invoke " + m.id() + ": " + e);
        } finally {
            requestContext.deactivate();
        }
    }

    private Object reference(Class<?> beanClass) {
        Bean<?> bean = beanManager.resolve(beanManager.getBeans(beanClass));
        return beanManager.getReference(bean, beanClass, beanManager.createCreationalContext(bean));
    }

    private String nextRequestId() {
        if (requestContextActive()) {
            String id = idempotencyKey.get().nextRequestId();
            if (id != null) {
                return id;
            }
        }
        return "g:" + node.name() + ":" + UUID.randomUUID();
    }

    private boolean requestContextActive() {
        try {
            return beanManager.getContext(RequestScoped.class).isActive();
        } catch (ContextNotActiveException e) {
            return false;
        }
    }
}
