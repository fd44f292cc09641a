package net.totalorder.sequencer.simulation;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import net.totalorder.sequencer.core.TentativeAssignment;
import org.junit.jupiter.api.Test;

/** The checker is not vacuous: each property fails on a hand-made history that breaks it. */
class SequencerCheckerTest {

    private static final byte[] P = {1};

    private static TentativeAssignment ta(String reqId, long seq) {
        return new TentativeAssignment(reqId, seq, 1, P);
    }

    private static void fails(String property, Runnable history) {
        AssertionError e = assertThrows(AssertionError.class, history::run);
        assertTrue(e.getMessage().startsWith(property), e.getMessage());
    }

    @Test
    void p1_assignmentOfARequestNobodyIssued_fails() {
        SequencerChecker checker = new SequencerChecker();
        fails("P1", () -> checker.onDefinitive("r1", ta("ghost", 1)));
        SequencerChecker other = new SequencerChecker();
        other.onIssued("a", new byte[] {2});
        fails("P1", () -> other.onDefinitive("r1", ta("a", 1)));   // payload differs from what was sent
    }

    @Test
    void p2_deliveryOfANumberNotInA_fails() {
        SequencerChecker checker = new SequencerChecker();
        checker.onIssued("a", P);
        checker.onIssued("b", P);
        checker.onDefinitive("r1", ta("a", 1));
        fails("P2", () -> checker.onClientDelivered("c", "b", 1));
        fails("P2", () -> checker.onClientDelivered("c", "a", 2));
    }

    @Test
    void p3_oneSeqForTwoRequests_orTwoSeqsForOneRequest_fails() {
        SequencerChecker checker = new SequencerChecker();
        checker.onIssued("a", P);
        checker.onIssued("b", P);
        checker.onDefinitive("r1", ta("a", 1));
        fails("P3", () -> checker.onDefinitive("r2", ta("b", 1)));
        SequencerChecker twice = new SequencerChecker();
        twice.onIssued("a", P);
        twice.onIssued("b", P);
        twice.onDefinitive("r1", ta("a", 1));
        twice.onDefinitive("r1", ta("b", 2));
        fails("P3", () -> twice.onDefinitive("r2", ta("b", 1)));
    }

    @Test
    void p4_aGapInWhatAReplicaLearns_fails() {
        SequencerChecker checker = new SequencerChecker();
        checker.onIssued("a", P);
        fails("P4", () -> checker.onDefinitive("r1", ta("a", 2)));
    }

    @Test
    void p5_aRequestNeverDelivered_fails() {
        Simulation sim = Simulation.scripted(List.of("r1", "r2", "r3"));
        Simulation.ClientNode client = sim.addClient("c", 50, 5);
        client.getSeq("never", P);                         // no leader: it cannot be served
        sim.runFor(500);
        fails("P5", () -> sim.checker().assertAllDelivered(client));
    }
}
