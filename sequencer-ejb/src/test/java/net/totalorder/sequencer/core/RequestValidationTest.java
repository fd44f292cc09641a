package net.totalorder.sequencer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Bad input is refused with a clear exception before anything is sent or assigned: the transport sees nothing and
 * no callback runs.
 */
class RequestValidationTest {

    private final List<SequencerMessage> sent = new ArrayList<>();
    private final Transport transport = (to, m) -> sent.add(m);
    private final Scheduler scheduler = new Scheduler() {
        @Override
        public long nowMillis() {
            return 0;
        }

        @Override
        public Cancellable schedule(long delayMillis, Runnable task) {
            return () -> { };
        }
    };
    private final SequencerClient client = new SequencerClient(List.of("r1", "r2", "r3"), transport, scheduler,
            100, 10);

    private void refused(String reqId, byte[] payload, String expectedWords) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> client.getSeq(reqId, payload, seq -> { throw new AssertionError("called back"); }));
        assertTrue(e.getMessage().contains(expectedWords), e.getMessage());
        assertEquals(List.of(), sent, "nothing may be sent for a refused request");
        assertEquals(0, client.pendingCount());
    }

    @Test
    void nullEmptyOrOversizedRequestId_isRefused() {
        refused(null, new byte[] {1}, "request id is null");
        refused("", new byte[] {1}, "request id is empty");
        refused("x".repeat(TentativeAssignment.MAX_REQUEST_ID_LENGTH + 1), new byte[] {1}, "longer than");
        refused("€".repeat(TentativeAssignment.MAX_REQUEST_ID_LENGTH), new byte[] {1}, "UTF-8 bytes");
        refused("€".repeat(342), new byte[] {1}, "UTF-8 bytes");          // 1,026 bytes: just over, in few chars
        client.getSeq("é".repeat(TentativeAssignment.MAX_REQUEST_ID_LENGTH), new byte[] {1}, seq -> { });
        assertEquals(1, sent.size(), "exactly " + TentativeAssignment.MAX_REQUEST_ID_BYTES + " UTF-8 bytes is allowed");
        client.getSeq("€".repeat(341), new byte[] {1}, seq -> { });
        assertEquals(2, client.pendingCount(), "1,023 UTF-8 bytes is allowed");
    }

    @Test
    void nullEmptyOrOversizedPayload_isRefused() {
        refused("r", null, "is null");
        refused("r", new byte[0], "is empty");
        refused("r", new byte[TentativeAssignment.MAX_PAYLOAD_BYTES + 1], "more than the limit");
    }

    @Test
    void requestsAtTheLimits_areSent() {
        client.getSeq("x".repeat(TentativeAssignment.MAX_REQUEST_ID_LENGTH),
                new byte[TentativeAssignment.MAX_PAYLOAD_BYTES], seq -> { });
        assertEquals(1, sent.size());
    }

    @Test
    void assignmentWithSeqOrEpochBelowOne_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TentativeAssignment("r", 0, 1, new byte[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new TentativeAssignment("r", 1, 0, new byte[] {1}));
    }

    @Test
    void inconsistentConfiguration_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> SequencerConfig.of(List.of("a", "b"), "c"));
        assertThrows(IllegalArgumentException.class, () -> SequencerConfig.of(List.of("a", "a"), "a"));
        assertThrows(IllegalArgumentException.class, () -> SequencerConfig.of(List.of(), "a"));
        assertThrows(IllegalArgumentException.class, () -> SequencerConfig.of(List.of("a", " "), "a"));
        assertThrows(IllegalArgumentException.class,
                () -> new SequencerConfig(List.of("a"), "a", 5, 0, 100, 10, 10, 8, 1));
        assertEquals(2, SequencerConfig.of(List.of("a", "b", "c"), "a").majority());
        assertEquals(3, SequencerConfig.of(List.of("a", "b", "c", "d"), "a").majority());
    }

    @Test
    void messagesFromNonMembers_areIgnoredByReplicas() {
        LeaderOracle follower = new LeaderOracle() {
            @Override
            public boolean isLeader() {
                return false;
            }

            @Override
            public String leader() {
                return null;
            }

            @Override
            public String livePrimary() {
                return null;
            }
        };
        SequencerReplica replica = new SequencerReplica(SequencerConfig.of(List.of("r1", "r2", "r3"), "r1"),
                transport, scheduler, follower, DefinitiveListener.NONE);
        replica.onMessage("intruder", new SequencerMessage.ReadMaj(99, 1));
        replica.onMessage("intruder", new SequencerMessage.WriteMaj(99, 1, 0, 0,
                List.of(new TentativeAssignment("forged", 1, 99, new byte[] {1})), 1, true, false));
        assertEquals(List.of(), sent);
        assertEquals(0, replica.promisedEpoch());
        assertEquals(0, replica.lastSeq());
    }
}
