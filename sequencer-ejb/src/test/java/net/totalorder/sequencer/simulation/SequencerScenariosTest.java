package net.totalorder.sequencer.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import net.totalorder.sequencer.core.SequencerMessage;
import net.totalorder.sequencer.core.SequencerMessage.ReadMaj;
import net.totalorder.sequencer.core.SequencerReplica;
import net.totalorder.sequencer.core.TentativeAssignment;
import net.totalorder.sequencer.simulation.Simulation.ClientNode;
import org.junit.jupiter.api.Test;

/** Named fault scenarios, scripted step by step (the randomized runs cover their combinations). */
class SequencerScenariosTest {

    private static final List<String> MEMBERS = List.of("r1", "r2", "r3");

    private static SequencerReplica replica(Simulation sim, String name) {
        return sim.replica(name).replica();
    }

    private static void makePrimary(Simulation sim, String leader) {
        sim.setLeaders(Set.of(leader));
        assertTrue(sim.runUntil(() -> replica(sim, leader).isPrimary(), sim.now() + 1_000), leader + " not primary");
    }

    @Test
    void primaryOnMinoritySide_assignsNothing_untilHealed() {
        Simulation sim = Simulation.scripted(MEMBERS);
        ClientNode client = sim.addClient("c", 50, 5);
        makePrimary(sim, "r1");
        client.getSeq("before", sim.payloadFor("before"));
        assertTrue(sim.runUntil(() -> client.delivered("before") != null, sim.now() + 1_000));

        // r1 and the client are cut off from r2 and r3; the oracle wrongly keeps telling r1 it leads.
        sim.partition(Set.of("r1", "c"));
        for (int i = 0; i < 20; i++) {
            client.getSeq("cut-" + i, sim.payloadFor("cut-" + i));
        }
        sim.runFor(3_000);
        assertEquals(1, sim.checker().definitiveCount(), "the minority side made an assignment definitive");
        assertEquals(1, client.deliveredCount(), "a client got a number from the minority side");
        assertFalse(replica(sim, "r1").isPrimary(), "WriteMaj without a majority must fail");

        sim.heal();
        assertTrue(sim.runUntil(() -> client.deliveredCount() == 21, sim.now() + 5_000));
        assertEquals(21, sim.checker().definitiveCount());
        assertTrue(sim.runUntil(() -> MEMBERS.stream().allMatch(r -> replica(sim, r).definitiveUpTo() == 21),
                sim.now() + 2_000), "all replicas learn every definitive assignment");
    }

    /**
     * A member that sends the largest epoch a message may carry (a member gone mad: the wire refuses anything larger)
     * cannot make an epoch overflow: a replica that learned it never becomes a candidate, nothing throws, no replica
     * stops, and what was definitive stays so. (Ordering waits while the oracle names such a replica: liveness
     * against a member that lies is not promised; keeping non-members out is the channel's job.)
     */
    @Test
    void anEpochAtTheLimit_neverOverflows() {
        Simulation sim = Simulation.scripted(MEMBERS);
        ClientNode client = sim.addClient("c", 50, 5);
        makePrimary(sim, "r1");
        client.getSeq("before", sim.payloadFor("before"));
        assertTrue(sim.runUntil(() -> client.delivered("before") != null, sim.now() + 1_000));
        replica(sim, "r2").onMessage("r3", new ReadMaj(SequencerMessage.MAX_NUMBER, 1));
        assertEquals(SequencerMessage.MAX_NUMBER, replica(sim, "r2").promisedEpoch());
        sim.setLeaders(Set.of("r2"));
        sim.runFor(1_000);                                // the checker fails fast on any P1-P4 violation
        assertFalse(replica(sim, "r2").isPrimary(), "no candidacy past the limit");
        assertTrue(MEMBERS.stream().allMatch(r -> replica(sim, r).epoch() <= SequencerMessage.MAX_NUMBER));
        assertEquals(1, sim.checker().definitiveCount());
    }

    /**
     * A read index from a deposed primary would be a stale read: r1 is cut off with a reader while r2 takes over
     * and orders a call a writer is told of; the oracle still tells r1 it leads. r1 cannot get a majority to confirm
     * its lead, so it gives no read index (and steps down); once healed, the read is answered by r2, with an index
     * that covers the call (the checker fails the run on any stale read index).
     */
    @Test
    void deposedPrimaryCutOffWithAReader_givesNoReadIndex() {
        Simulation sim = deposedPrimaryWithAReader(false);
        sim.runFor(1_000);
        assertEquals(1, sim.checker().readsWaiting(), "the cut-off primary answered a read");
        assertFalse(replica(sim, "r1").isPrimary(), "a primary no majority confirms steps down");
        sim.heal();
        assertTrue(sim.runUntil(() -> sim.checker().readsWaiting() == 0, sim.now() + 2_000), "read never answered");
        assertEquals(1, sim.checker().readsAnswered());
    }

    /** The same scenario with the planted bug "lead confirmed without asking": the checker catches the stale read. */
    @Test
    void plantedBug_readIndexWithoutAMajority_isCaughtAsAStaleRead() {
        Simulation sim = deposedPrimaryWithAReader(true);
        AssertionError caught = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> sim.runFor(1_000));
        assertTrue(caught.getMessage().contains("stale read: reader got read index 1"), caught.getMessage());
    }

    /** r1 ordered seq 1; r2 now leads the majority side and ordered seq 2; the reader, cut off with r1, reads. */
    private static Simulation deposedPrimaryWithAReader(boolean forgedConfirmations) {
        Simulation sim = Simulation.scripted(MEMBERS);
        ClientNode writer = sim.addClient("writer", 50, 5);
        ClientNode reader = sim.addClient("reader", 50, 5);
        if (forgedConfirmations) {
            sim.plantForgedLeadConfirmations();
        }
        makePrimary(sim, "r1");
        writer.getSeq("before", sim.payloadFor("before"));
        assertTrue(sim.runUntil(() -> writer.delivered("before") != null, sim.now() + 1_000));
        sim.partition(Set.of("r1", "reader"));
        sim.setLeaders(Set.of("r1", "r2"));
        assertTrue(sim.runUntil(() -> replica(sim, "r2").isPrimary(), sim.now() + 1_000), "r2 not primary");
        assertTrue(replica(sim, "r1").isPrimary(), "r1 still believes it leads");
        writer.getSeq("after", sim.payloadFor("after"));
        assertTrue(sim.runUntil(() -> writer.delivered("after") != null, sim.now() + 1_000));
        assertEquals(2L, writer.delivered("after"));
        reader.readIndex("read-1");
        return sim;
    }

    @Test
    void twoReplicasBelievingTheyLead_neverHandOutConflictingNumbers() {
        Simulation sim = Simulation.scripted(MEMBERS);
        ClientNode a = sim.addClient("a", 40, 5);
        ClientNode b = sim.addClient("b", 40, 5);
        sim.setLeaders(Set.of("r1", "r2"));
        for (int i = 0; i < 30; i++) {
            a.getSeq("a-" + i, sim.payloadFor("a-" + i));
            b.getSeq("b-" + i, sim.payloadFor("b-" + i));
            sim.runFor(7);
        }
        sim.runFor(2_000);                                // the checker fails fast on any P2/P3 violation
        makePrimary(sim, "r3");
        assertTrue(sim.runUntil(() -> a.deliveredCount() == 30 && b.deliveredCount() == 30, sim.now() + 10_000));
        assertEquals(60, sim.checker().definitiveCount());
    }

    @Test
    void primaryCrashAfterOneBackupCopy_newPrimaryKeepsEveryDeliveredNumber() {
        Simulation sim = Simulation.scripted(MEMBERS);
        ClientNode client = sim.addClient("c", 50, 5);
        makePrimary(sim, "r1");
        for (int i = 0; i < 10; i++) {
            client.getSeq("q-" + i, sim.payloadFor("q-" + i));
        }
        assertTrue(sim.runUntil(() -> client.deliveredCount() == 10, sim.now() + 1_000));
        sim.partition(Set.of("r2"));                       // r2 misses the next writes
        client.getSeq("late", sim.payloadFor("late"));
        assertTrue(sim.runUntil(() -> client.delivered("late") != null, sim.now() + 1_000));
        sim.crash("r1");
        sim.heal();
        makePrimary(sim, "r2");                            // r2 must recover "late" from r3's state
        assertEquals(11, replica(sim, "r2").definitiveUpTo());
        assertEquals("late", replica(sim, "r2").assignmentAt(11).reqId());
        client.getSeq("after", sim.payloadFor("after"));
        assertTrue(sim.runUntil(() -> client.delivered("after") != null, sim.now() + 2_000));
        assertEquals(12L, client.delivered("after"));
    }

    @Test
    void definitiveFrom_returnsOnlyDefinitiveAssignmentsInOrder() {
        Simulation sim = Simulation.scripted(MEMBERS);
        ClientNode client = sim.addClient("c", 50, 5);
        makePrimary(sim, "r1");
        for (int i = 1; i <= 5; i++) {
            client.getSeq("d-" + i, sim.payloadFor("d-" + i));
        }
        assertTrue(sim.runUntil(() -> replica(sim, "r3").definitiveUpTo() == 5, sim.now() + 1_000));
        List<TentativeAssignment> fromTwo = replica(sim, "r3").definitiveFrom(2, 3);
        assertEquals(List.of(2L, 3L, 4L), fromTwo.stream().map(TentativeAssignment::seq).toList());
        assertEquals(List.of(), replica(sim, "r3").definitiveFrom(6, 10));
        assertNull(replica(sim, "r3").assignmentAt(6));
    }
}
