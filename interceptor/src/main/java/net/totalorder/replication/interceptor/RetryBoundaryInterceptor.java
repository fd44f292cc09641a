package net.totalorder.replication.interceptor;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

import net.totalorder.replication.api.ReplicationContext;

/**
 * Tells the {@link CallLedger} where each attempt of a retried method begins, so that a later attempt makes its
 * replicated calls under the request ids of the first and none of them is applied twice.
 *
 * <p>Runs inside MicroProfile Fault Tolerance's interceptor ({@code PLATFORM_AFTER + 10}), which calls
 * {@link InvocationContext#proceed()} once per attempt on one invocation context, and outside
 * {@link ReplicatedInterceptor} ({@code PLATFORM_AFTER + 100}). The first attempt leaves its ledger and starting
 * point in the context's data, where every later attempt of the same invocation finds them, on whichever thread
 * it runs. The ledger is the enclosing attempt's, else the request's, else one of this invocation's own (no request
 * context: a timer, or a thread of the application's). Stateless and thread-safe.
 */
@RetryBoundary
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_AFTER + 20)
public class RetryBoundaryInterceptor {

    private static final String FIRST_ATTEMPT = RetryBoundaryInterceptor.class.getName() + ".firstAttempt";

    private record FirstAttempt(CallLedger ledger, int at) {
    }

    private final RequestCalls requestCalls;
    private final BeanManager beans;

    @Inject
    public RetryBoundaryInterceptor(RequestCalls requestCalls, BeanManager beans) {
        this.requestCalls = requestCalls;
        this.beans = beans;
    }

    @AroundInvoke
    public Object attempt(InvocationContext invocation) throws Exception {
        if (ReplicationContext.isApplying()) {
            return invocation.proceed();            // applying a call: nothing is ordered from here
        }
        FirstAttempt first = (FirstAttempt) invocation.getContextData().get(FIRST_ATTEMPT);
        CallLedger ledger;
        if (first == null) {
            ledger = CallLedger.bound();
            if (ledger == null) {
                ledger = RequestCalls.active(beans) ? requestCalls.ledger() : new CallLedger(null);
            }
            invocation.getContextData().put(FIRST_ATTEMPT, new FirstAttempt(ledger, ledger.firstAttemptBegins()));
        } else {
            ledger = first.ledger();
            ledger.retryBegins(first.at());
        }
        CallLedger outside = CallLedger.bind(ledger);
        try {
            return invocation.proceed();
        } finally {
            ledger.attemptEnds();
            CallLedger.bind(outside);
        }
    }
}
