package net.totalorder.replication.interceptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

class CallLedgerTest {

    private final AtomicInteger made = new AtomicInteger();
    private final Supplier<String> fresh = () -> "g:" + made.incrementAndGet();

    @Test
    void withAKey_idsFollowTheCallsPositionInTheRequest() {
        CallLedger ledger = new CallLedger("abc");
        assertEquals("k:abc#1", ledger.requestIdFor(() -> "x", fresh));
        assertEquals("k:abc#2", ledger.requestIdFor(() -> "x", fresh));
        assertEquals(0, made.get());
    }

    @Test
    void withoutARetriedMethod_everyCallGetsAFreshId_evenTheSameInvocation() {
        CallLedger ledger = new CallLedger(null);
        assertNotEquals(ledger.requestIdFor(() -> "x", fresh), ledger.requestIdFor(() -> "x", fresh));
    }

    @Test
    void outsideARetriedMethod_theInvocationIsNeverDigested() {
        CallLedger ledger = new CallLedger("k");
        AtomicInteger digests = new AtomicInteger();
        Supplier<String> identity = () -> "x" + digests.incrementAndGet();
        assertEquals("k:k#1", ledger.requestIdFor(identity, fresh));
        assertEquals("k:k#2", ledger.requestIdFor(identity, fresh));
        assertEquals(0, digests.get(), "no call to compare, nothing to digest");
        ledger.firstAttemptBegins();
        ledger.requestIdFor(identity, fresh);
        assertEquals(1, digests.get(), "remembered for a retry");
    }

    @Test
    void aRetriedAttempt_makesTheSameCallsUnderTheFirstAttemptsIds() {
        CallLedger ledger = new CallLedger(null);
        String before = ledger.requestIdFor(() -> "setup", fresh);
        int first = ledger.firstAttemptBegins();
        String a = ledger.requestIdFor(() -> "a", fresh);
        String b = ledger.requestIdFor(() -> "b", fresh);
        ledger.attemptEnds();                      // timed out
        ledger.retryBegins(first);
        assertEquals(a, ledger.requestIdFor(() -> "a", fresh));
        assertEquals(b, ledger.requestIdFor(() -> "b", fresh));
        String c = ledger.requestIdFor(() -> "c", fresh);   // further than the first attempt got: new
        ledger.attemptEnds();
        assertEquals(4, made.get(), "setup, a, b, c");
        assertTrue(!c.equals(a) && !c.equals(b) && !before.equals(a));
    }

    @Test
    void aRetriedAttemptThatTakesAnotherPath_getsFreshIdsFromWhereItDiverged() {
        CallLedger ledger = new CallLedger(null);
        int first = ledger.firstAttemptBegins();
        String a = ledger.requestIdFor(() -> "a", fresh);
        String b = ledger.requestIdFor(() -> "b", fresh);
        ledger.attemptEnds();
        ledger.retryBegins(first);
        assertEquals(a, ledger.requestIdFor(() -> "a", fresh));
        String other = ledger.requestIdFor(() -> "other arguments", fresh);
        assertNotEquals(b, other);
        ledger.attemptEnds();
        ledger.retryBegins(first);                 // the third attempt follows the second, not the first
        assertEquals(a, ledger.requestIdFor(() -> "a", fresh));
        assertEquals(other, ledger.requestIdFor(() -> "other arguments", fresh));
    }

    @Test
    void anInnerRetry_rewindsToItsOwnStart_andAnOuterRetryToTheOuterStart() {
        CallLedger ledger = new CallLedger("key");
        int outer = ledger.firstAttemptBegins();
        String a = ledger.requestIdFor(() -> "a", fresh);
        int inner = ledger.firstAttemptBegins();
        String b = ledger.requestIdFor(() -> "b", fresh);
        ledger.attemptEnds();
        ledger.retryBegins(inner);
        assertEquals(b, ledger.requestIdFor(() -> "b", fresh));
        ledger.attemptEnds();
        String c = ledger.requestIdFor(() -> "c", fresh);
        ledger.attemptEnds();
        ledger.retryBegins(outer);
        assertEquals(a, ledger.requestIdFor(() -> "a", fresh));
        assertEquals(b, ledger.requestIdFor(() -> "b", fresh));
        assertEquals(c, ledger.requestIdFor(() -> "c", fresh));
        assertEquals("k:key#3", c);
    }

    @Test
    void aRetriedMethodMakingMoreCallsThanTheBound_isRefusedItsNextCall_andTheLedgerIsUnchanged() {
        CallLedger ledger = new CallLedger(null);
        int first = ledger.firstAttemptBegins();
        for (int i = 0; i < CallLedger.MAX_REMEMBERED; i++) {
            String call = "call " + i;
            ledger.requestIdFor(() -> call, fresh);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ledger.requestIdFor(() -> "one too many", fresh));
        assertTrue(e.getMessage().contains("more than " + CallLedger.MAX_REMEMBERED), e.getMessage());
        assertEquals(CallLedger.MAX_REMEMBERED, made.get(), "no id was made for the refused call");
        ledger.attemptEnds();
        ledger.retryBegins(first);
        assertEquals("g:1", ledger.requestIdFor(() -> "call 0", fresh));
    }

    @Test
    void aNewOutermostRetriedMethod_forgetsTheCallsOfThePreviousOne() {
        CallLedger ledger = new CallLedger(null);
        ledger.firstAttemptBegins();
        String a = ledger.requestIdFor(() -> "a", fresh);
        ledger.attemptEnds();
        int next = ledger.firstAttemptBegins();
        String again = ledger.requestIdFor(() -> "a", fresh);
        assertNotEquals(a, again, "a second call of the same method is a new call");
        ledger.attemptEnds();
        ledger.retryBegins(next);
        assertEquals(again, ledger.requestIdFor(() -> "a", fresh));
    }
}
