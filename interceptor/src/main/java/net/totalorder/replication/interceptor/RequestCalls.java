package net.totalorder.replication.interceptor;

import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;

import net.totalorder.replication.api.IdempotencyKey;

/**
 * The {@link CallLedger} of the current request, made at its first replicated call with the request's
 * {@link IdempotencyKey} (set before the request's first call). Request-scoped.
 */
@RequestScoped
public class RequestCalls {

    private final IdempotencyKey key;
    private CallLedger ledger;

    @Inject
    public RequestCalls(IdempotencyKey key) {
        this.key = key;
    }

    /** For CDI's proxy. */
    protected RequestCalls() {
        this.key = null;
    }

    /** Whether a request context is active on this thread, so that this request's calls can be told apart. */
    public static boolean active(BeanManager beans) {
        try {
            return beans.getContext(RequestScoped.class).isActive();
        } catch (ContextNotActiveException e) {
            return false;
        }
    }

    /** This request's ledger. */
    public synchronized CallLedger ledger() {
        if (ledger == null) {
            ledger = new CallLedger(key.value());
        }
        return ledger;
    }
}
