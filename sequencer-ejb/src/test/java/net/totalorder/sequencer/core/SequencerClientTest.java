package net.totalorder.sequencer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import net.totalorder.sequencer.core.SequencerMessage.GetSeq;
import net.totalorder.sequencer.core.SequencerMessage.NotPrimary;
import net.totalorder.sequencer.core.SequencerMessage.Seq;
import org.junit.jupiter.api.Test;

/**
 * The client's sending and retrying: every request leaves when it is made, even while others to the same replica
 * are unanswered; a silent replica's requests go on to the next one, each on its own timer; answers, redirects and
 * cancellations end a request once.
 */
class SequencerClientTest {

    private static final long TIMEOUT = 100;
    private static final long BACKOFF = 10;

    /** What was sent, as "to:reqId". */
    private final List<String> sent = new ArrayList<>();
    private final Transport transport = (to, m) -> sent.add(to + ":" + ((GetSeq) m).reqId());
    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<String> answers = new ArrayList<>();
    private final SequencerClient client = new SequencerClient(List.of("r1", "r2", "r3"), transport, scheduler,
            TIMEOUT, BACKOFF);

    private void ask(String reqId) {
        client.getSeq(reqId, new byte[] {1}, seq -> answers.add(reqId + "=" + seq));
    }

    @Test
    void everyRequestLeavesWhenItIsMade_evenWhileEarlierOnesAreUnanswered() {
        ask("a");
        ask("b");
        ask("c");
        assertEquals(List.of("r1:a", "r1:b", "r1:c"), sent, "none waits for a's answer");
        client.onMessage("r1", new Seq("b", 2));
        client.onMessage("r1", new Seq("a", 1));
        client.onMessage("r1", new Seq("c", 3));
        assertEquals(List.of("b=2", "a=1", "c=3"), answers, "each answered once, in the order the answers came");
        assertEquals(0, client.pendingCount());
        assertEquals(3, sent.size(), "nothing was sent again");
    }

    @Test
    void aSecondCallForAPendingRequest_joinsIt_withoutSendingAgain() {
        ask("a");
        ask("a");
        assertEquals(List.of("r1:a"), sent);
        client.onMessage("r1", new Seq("a", 7));
        assertEquals(List.of("a=7", "a=7"), answers);
    }

    @Test
    void aSilentReplica_sendsEachRequestOnToTheNext_eachOnItsOwnTimer() {
        ask("a");
        scheduler.advance(TIMEOUT / 2);
        ask("b");
        assertEquals(List.of("r1:a", "r1:b"), sent);

        scheduler.advance(TIMEOUT / 2);       // r1 is silent: a goes on to r2; b has half its timeout left
        assertEquals(List.of("r1:a", "r1:b", "r2:a"), sent);
        client.onMessage("r2", new Seq("a", 1));
        scheduler.advance(TIMEOUT / 2 - 1);
        assertEquals(3, sent.size(), "b's timeout counts from its own sending");
        scheduler.advance(1);
        assertEquals("r2:b", sent.get(3), "b timed out at r1 and went on to the next replica");
        client.onMessage("r2", new Seq("b", 2));
        assertEquals(List.of("a=1", "b=2"), answers);
        ask("c");
        assertEquals("r2:c", sent.get(4), "a new request goes to the replica that answered last");
    }

    @Test
    void afterATimeout_newRequestsGoToTheNextReplica_notToTheSilentOne() {
        ask("a");
        scheduler.advance(TIMEOUT);
        client.cancel("a");
        ask("b");
        assertEquals(List.of("r1:a", "r2:a", "r2:b"), sent);
    }

    @Test
    void aCancelledRequest_isNeitherAnsweredNorSentAgain() {
        ask("a");
        client.cancel("a");
        client.onMessage("r1", new Seq("a", 1));   // a late answer for a cancelled request
        scheduler.advance(10 * TIMEOUT);
        assertEquals(List.of("r1:a"), sent);
        assertEquals(List.of(), answers);
        assertEquals(0, client.pendingCount());
    }

    @Test
    void aNotPrimaryAnswer_followsItsHint_orWithoutOneWaitsTheBackoffForTheNextReplica() {
        ask("a");
        ask("b");
        client.onMessage("r1", new NotPrimary("a", "r3"));
        assertEquals(List.of("r1:a", "r1:b", "r3:a"), sent, "a follows the hint at once");
        client.onMessage("r3", new Seq("a", 1));
        client.onMessage("r1", new NotPrimary("b", null));
        assertEquals(3, sent.size(), "no hint: b waits the backoff");
        scheduler.advance(BACKOFF);
        assertEquals("r2:b", sent.get(3), "then tries the next replica");
        client.onMessage("r3", new NotPrimary("b", "r1"));          // not from r2, where b waits: ignored
        assertEquals(4, sent.size());
        client.onMessage("r2", new Seq("b", 2));
        assertEquals(List.of("a=1", "b=2"), answers);
    }

    /** Timers in manual time; a due task runs when time is advanced past it. */
    private static final class ManualScheduler implements Scheduler {
        private final List<long[]> dueAt = new ArrayList<>();
        private final List<Runnable> tasks = new ArrayList<>();
        private long now;

        @Override
        public long nowMillis() {
            return now;
        }

        @Override
        public Cancellable schedule(long delayMillis, Runnable task) {
            long[] at = {now + delayMillis};
            dueAt.add(at);
            tasks.add(task);
            return () -> at[0] = Long.MAX_VALUE;
        }

        void advance(long millis) {
            now += millis;
            boolean ran = true;
            while (ran) {
                ran = false;
                Iterator<long[]> at = dueAt.iterator();
                Iterator<Runnable> task = tasks.iterator();
                while (at.hasNext()) {
                    long[] a = at.next();
                    Runnable t = task.next();
                    if (a[0] <= now) {
                        at.remove();
                        task.remove();
                        t.run();
                        ran = true;
                        break;                // the task may have scheduled more: iterate afresh
                    }
                }
            }
        }
    }
}
