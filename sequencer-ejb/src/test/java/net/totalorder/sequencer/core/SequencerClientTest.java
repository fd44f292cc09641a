package net.totalorder.sequencer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import net.totalorder.sequencer.core.SequencerMessage.GetSeq;
import net.totalorder.sequencer.core.SequencerMessage.NotPrimary;
import net.totalorder.sequencer.core.SequencerMessage.Seq;
import org.junit.jupiter.api.Test;

/**
 * The client's coalescing under load: an idle client sends at once; while a request to a member is unanswered, new
 * ones for it are held and leave together at the next answer or timeout; nothing held is lost, sent twice or sent
 * after it was cancelled.
 */
class SequencerClientTest {

    private static final long TIMEOUT = 100;
    private static final long BACKOFF = 10;

    /** What was sent, as "to:reqId". */
    private final List<String> sent = new ArrayList<>();
    private final Transport transport = (to, m) -> sent.add(to + ":" + ((GetSeq) m).reqId());
    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<String> answers = new ArrayList<>();

    private SequencerClient client(String self) {
        return new SequencerClient(List.of("r1", "r2", "r3"), self, transport, scheduler, TIMEOUT, BACKOFF);
    }

    private void ask(SequencerClient client, String reqId) {
        client.getSeq(reqId, new byte[] {1}, seq -> answers.add(reqId + "=" + seq));
    }

    @Test
    void anIdleClient_sendsAtOnce_andRequestsWhileOneIsUnanswered_leaveTogetherAtTheAnswer() {
        SequencerClient client = client("r2");
        ask(client, "a");
        assertEquals(List.of("r1:a"), sent, "nothing unanswered: sent at once");
        ask(client, "b");
        ask(client, "c");
        assertEquals(List.of("r1:a"), sent, "held while a is unanswered");
        assertEquals(2, client.heldCount());

        client.onMessage("r1", new Seq("a", 1));
        assertEquals(List.of("a=1"), answers);
        assertEquals(List.of("r1:a", "r1:b", "r1:c"), sent, "the answer released both, in order");
        assertEquals(0, client.heldCount());

        client.onMessage("r1", new Seq("b", 2));
        client.onMessage("r1", new Seq("c", 3));
        assertEquals(List.of("a=1", "b=2", "c=3"), answers);
        ask(client, "d");
        assertEquals("r1:d", sent.get(sent.size() - 1), "idle again: sent at once");
    }

    @Test
    void requestsToThisMemberItself_areNeverHeld() {
        SequencerClient client = client("r1");
        ask(client, "a");
        ask(client, "b");
        assertEquals(List.of("r1:a", "r1:b"), sent);
        assertEquals(0, client.heldCount());
    }

    @Test
    void whenTheUnansweredRequestTimesOut_theHeldOnesLeaveWithIt_forTheNextReplica_eachWithItsOwnTimer() {
        SequencerClient client = client(null);
        ask(client, "a");
        scheduler.advance(TIMEOUT / 2);
        ask(client, "b");
        assertEquals(List.of("r1:a"), sent);

        scheduler.advance(TIMEOUT / 2);       // r1 is silent: a goes on to r2, and b with it
        assertEquals(List.of("r1:a", "r2:a", "r2:b"), sent);
        client.onMessage("r2", new Seq("a", 1));
        scheduler.advance(TIMEOUT - 1);
        assertEquals(3, sent.size(), "b's timeout counts from its sending, not from its call");
        scheduler.advance(1);
        assertEquals("r3:b", sent.get(3), "b timed out at r2 and went on to the next replica");
        client.onMessage("r3", new Seq("b", 2));
        assertEquals(List.of("a=1", "b=2"), answers);
        ask(client, "c");
        assertEquals("r3:c", sent.get(4), "a new request goes to the replica that answered last");
    }

    @Test
    void afterATimeout_newRequestsGoToTheNextReplica_notToTheSilentOne() {
        SequencerClient client = client("r3");
        ask(client, "a");
        scheduler.advance(TIMEOUT);
        client.cancel("a");
        ask(client, "b");
        assertEquals(List.of("r1:a", "r2:a", "r2:b"), sent);
    }

    @Test
    void aCancelledHeldRequest_isNeverSent_andNeverAnswered() {
        SequencerClient client = client(null);
        ask(client, "a");
        ask(client, "b");
        client.cancel("b");
        client.onMessage("r1", new Seq("a", 1));
        assertEquals(List.of("r1:a"), sent);
        client.onMessage("r1", new Seq("b", 2));   // a late answer for a cancelled request
        assertEquals(List.of("a=1"), answers);
        assertEquals(0, client.pendingCount());
        ask(client, "c");
        assertEquals("r1:c", sent.get(sent.size() - 1), "cancelling left nothing counted as unanswered");
    }

    @Test
    void aNotPrimaryAnswer_releasesTheHeldRequests_towardsItsHint() {
        SequencerClient client = client(null);
        ask(client, "a");
        ask(client, "b");
        client.onMessage("r1", new NotPrimary("a", "r3"));
        assertEquals(List.of("r1:a", "r3:a", "r1:b"), sent, "a follows the hint; b leaves for the last answerer");
        client.onMessage("r3", new Seq("a", 1));
        client.onMessage("r1", new NotPrimary("b", null));     // no hint: b waits the backoff, then the next one
        scheduler.advance(BACKOFF);
        assertEquals("r2:b", sent.get(sent.size() - 1));
        client.onMessage("r2", new Seq("b", 2));
        assertEquals(List.of("a=1", "b=2"), answers);
    }

    @Test
    void beyondTheHoldingBound_requestsAreSentAtOnce() {
        SequencerClient client = client(null);
        ask(client, "first");
        for (int i = 0; i < SequencerClient.MAX_HELD + 3; i++) {
            ask(client, "r" + i);
        }
        assertEquals(SequencerClient.MAX_HELD, client.heldCount());
        assertEquals(4, sent.size(), "the first and the three beyond the bound");
        client.onMessage("r1", new Seq("first", 1));
        assertEquals(SequencerClient.MAX_HELD + 4, sent.size());
        assertTrue(sent.stream().distinct().count() == sent.size(), "no request sent twice");
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
