package net.totalorder.sequencer.jgroups;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import net.totalorder.sequencer.core.SequencerMessage.SnapshotChunk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two real members (Infinispan's JGroups channel with the servers' stack, without TLS) in this JVM: what the node
 * relies on from {@link GroupChannel} beyond the simulation's transport.
 */
class GroupChannelTest {

    private static final List<String> MEMBERS = List.of("a", "b");
    private static final String STACK = "jgroups-two-members.xml";

    private final GroupChannel a = new GroupChannel(MEMBERS, "a");
    private final GroupChannel b = new GroupChannel(MEMBERS, "b");

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    /**
     * Sending runs on the node's protocol executor, which must never block: a member that does not take in what it
     * is sent (stopped, or busy catching up) must not hold up its sender. With JGroups' flow control in the way, the
     * sender blocked once the receiver owed it 1 MB of credits (the test stack's; 4 MB on the servers) — the whole
     * cluster stalled while a restarted server caught up.
     */
    @Test
    void sendingToAMemberThatTakesNothingIn_neverBlocks() throws Exception {
        CountDownLatch receiverStuck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        String cluster = "group-channel-test-" + ProcessHandle.current().pid();
        ClassLoader loader = getClass().getClassLoader();
        a.start(cluster, STACK, loader);
        b.start(cluster, STACK, loader);
        CountDownLatch aSeesB = new CountDownLatch(1);
        a.connect((from, m) -> { }, view -> {
            if (view.contains("b")) {
                aSeesB.countDown();
            }
        }, (from, why) -> { });
        b.connect((from, m) -> {                 // b's delivery thread stays in here: b takes in nothing more
            receiverStuck.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, view -> { }, (from, why) -> { });
        assertTrue(aSeesB.await(60, TimeUnit.SECONDS), "a never saw b in its view: " + a.reachableMembers());

        byte[] data = new byte[64 * 1024];
        int chunks = 64;                         // 4 MB: four times the credits b could owe
        Thread sender = new Thread(() -> {
            for (int i = 0; i < chunks; i++) {
                a.send("b", new SnapshotChunk(1, (long) chunks * data.length, (long) i * data.length, data));
            }
        }, "sender");
        sender.start();
        // unblocked, the 64 sends take well under a second; through flow control they took about 20 s here, the
        // sender waiting for credits it asks for every half second
        sender.join(TimeUnit.SECONDS.toMillis(10));
        boolean blocked = sender.isAlive();
        release.countDown();
        sender.join();
        assertTrue(receiverStuck.await(30, TimeUnit.SECONDS), "b never received anything: the test tested nothing");
        assertFalse(blocked, "sending 4 MB to a member that took in nothing blocked the sender for 10 s");
    }
}
