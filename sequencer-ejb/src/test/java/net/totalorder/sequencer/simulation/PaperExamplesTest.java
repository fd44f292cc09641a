package net.totalorder.sequencer.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import net.totalorder.sequencer.core.SequencerMessage.WriteMaj;
import net.totalorder.sequencer.core.SequencerReplica;
import net.totalorder.sequencer.core.TentativeAssignment;
import net.totalorder.sequencer.simulation.Simulation.ClientNode;
import org.junit.jupiter.api.Test;

/**
 * The two examples of the sequencer paper (§4.3, Figs. 1 and 2), replayed step by step on three replicas, with
 * the paper's request ids, sequence numbers and epochs.
 */
class PaperExamplesTest {

    private static final List<String> MEMBERS = List.of("r1", "r2", "r3");

    private static byte[] payload(String reqId) {
        return ("invocation of " + reqId).getBytes(StandardCharsets.UTF_8);
    }

    private static TentativeAssignment ta(String reqId, long seq, long epoch) {
        return new TentativeAssignment(reqId, seq, epoch, payload(reqId));
    }

    private static SequencerReplica replica(Simulation sim, String name) {
        return sim.replica(name).replica();
    }

    /** r1 becomes primary with epoch 1 and makes {@code <req_id1, 1, 1>} definitive for the client. */
    private static ClientNode firstRequestServedByR1(Simulation sim) {
        ClientNode client = sim.addClient("c", 50, 5);
        sim.setLeaders(Set.of("r1"));
        assertTrue(sim.runUntil(() -> replica(sim, "r1").isPrimary(), 1_000), "r1 never became primary");
        assertEquals(1, replica(sim, "r1").epoch());
        client.getSeq("req_id1", payload("req_id1"));
        assertTrue(sim.runUntil(() -> client.delivered("req_id1") != null, sim.now() + 1_000));
        assertEquals(1L, client.delivered("req_id1"));
        assertTrue(sim.runUntil(() -> replica(sim, "r3").definitiveUpTo() == 1, sim.now() + 1_000));
        for (String r : MEMBERS) {
            assertEquals(ta("req_id1", 1, 1), replica(sim, r).assignmentAt(1), r);
        }
        return client;
    }

    /**
     * Example 1 (Fig. 1): r1 crashes during WriteMaj(ta2) having updated only r3. The next leader r2 reads r2 and
     * r3, finds {@code last(maj_state.TA) = ta2}, makes it definitive on behalf of r1 — keeping its epoch 1 — and
     * imposes epoch 2. When req_id2 reaches r2, r2 finds ta2 in its state and answers seq 2.
     */
    @Test
    void example1_redoingTheLastTentativeAssignment_makesItDefinitive() {
        Simulation sim = Simulation.scripted(MEMBERS);
        ClientNode client = firstRequestServedByR1(sim);

        sim.setDropFilter(e -> e.from().equals("r1") && e.to().equals("r2") && e.message() instanceof WriteMaj w
                && !w.entries().isEmpty());
        client.getSeq("req_id2", payload("req_id2"));
        assertTrue(sim.runUntil(() -> replica(sim, "r3").lastSeq() == 2, sim.now() + 1_000));
        sim.crash("r1");                                   // before r3's acknowledgement reaches it
        assertEquals(ta("req_id2", 2, 1), replica(sim, "r3").assignmentAt(2));
        assertNull(replica(sim, "r2").assignmentAt(2), "r2 was not updated");
        assertNull(client.delivered("req_id2"), "ta2 was not definitive, so no reply");

        sim.setDropFilter(e -> false);
        sim.setLeaders(Set.of("r2"));
        assertTrue(sim.runUntil(() -> replica(sim, "r2").isPrimary(), sim.now() + 1_000));
        assertEquals(2, replica(sim, "r2").epoch(), "r2 imposes maj_state.epoch + 1");
        assertEquals(ta("req_id2", 2, 1), replica(sim, "r2").assignmentAt(2), "ta2 redone with its own epoch");
        assertEquals(2, replica(sim, "r2").definitiveUpTo());

        assertTrue(sim.runUntil(() -> client.delivered("req_id2") != null, sim.now() + 2_000));
        assertEquals(2L, client.delivered("req_id2"));
        assertEquals(2, sim.checker().definitiveCount());
    }

    /**
     * Example 2 (Fig. 2): r1's WriteMaj(ta2) suffers a performance failure. r2 becomes leader, reads a majority
     * without ta2, imposes epoch 2 and makes {@code ta2' = <req_id3, 2, 2>} definitive. Later r1 leads again and
     * reads a majority holding both ta2 (epoch 1) and ta2' (epoch 2): the epoch filter drops ta2, and req_id2 gets
     * {@code ta3 = <req_id2, 3, 3>}.
     *
     * <p>One difference from the figure: here the copy of ta2 that survives the failed WriteMaj is r1's own (in
     * the figure it is r3's). A primary holds its own tentative assignments, so for r2 to read a majority without
     * ta2 — the point of the example — r1's copies to both backups must be the ones that were not timely.
     */
    @Test
    void example2_filteringByEpoch_dropsTheNonDefinitiveAssignment() {
        Simulation sim = Simulation.scripted(MEMBERS);
        ClientNode client = firstRequestServedByR1(sim);
        ClientNode other = sim.addClient("c3", 50, 5);

        // req_id2 reaches only r1 (it arrives at other replicas only when r1 is primary again).
        sim.setDropFilter(e -> (e.from().equals("c") && !e.to().equals("r1"))
                || (e.from().equals("r1") && e.message() instanceof WriteMaj w && !w.entries().isEmpty()));
        client.getSeq("req_id2", payload("req_id2"));
        assertTrue(sim.runUntil(() -> replica(sim, "r1").lastSeq() == 2, sim.now() + 1_000));
        long r1Resumes = sim.now() + 2_000;
        sim.pause("r1", r1Resumes);                        // the performance failure
        assertEquals(ta("req_id2", 2, 1), replica(sim, "r1").assignmentAt(2));

        sim.setDropFilter(e -> e.from().equals("c") && !e.to().equals("r1"));
        sim.setLeaders(Set.of("r2"));
        assertTrue(sim.runUntil(() -> replica(sim, "r2").isPrimary(), sim.now() + 1_000));
        assertEquals(2, replica(sim, "r2").epoch());
        other.getSeq("req_id3", payload("req_id3"));
        assertTrue(sim.runUntil(() -> other.delivered("req_id3") != null, sim.now() + 1_000));
        assertEquals(2L, other.delivered("req_id3"));
        assertTrue(sim.runUntil(() -> replica(sim, "r3").definitiveUpTo() == 2, sim.now() + 1_000));
        assertEquals(ta("req_id3", 2, 2), replica(sim, "r3").assignmentAt(2), "ta2'");

        // r1 resumes and leads; r2 is now the slow one, so r1's ReadMaj returns the states of r1 and r3.
        sim.runUntil(() -> false, r1Resumes + 100);
        sim.setDropFilter(e -> (e.from().equals("c") && !e.to().equals("r1")) || e.from().equals("r2"));
        sim.setLeaders(Set.of("r1"));
        // r1 first finds its epoch-1 WriteMaj failed and steps down, then runs its css
        assertTrue(sim.runUntil(() -> replica(sim, "r1").isPrimary() && replica(sim, "r1").epoch() > 1,
                sim.now() + 2_000));
        assertEquals(3, replica(sim, "r1").epoch());
        assertEquals(ta("req_id3", 2, 2), replica(sim, "r1").assignmentAt(2), "ta2 filtered out, ta2' kept");

        assertTrue(sim.runUntil(() -> client.delivered("req_id2") != null, sim.now() + 2_000));
        assertEquals(3L, client.delivered("req_id2"));
        assertEquals(ta("req_id2", 3, 3), replica(sim, "r1").assignmentAt(3), "ta3");
        assertEquals(3, sim.checker().definitiveCount());
    }
}
