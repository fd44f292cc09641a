package net.totalorder.derms.domain;

import static net.totalorder.derms.domain.Derms.MTL_COORDINATOR;
import static net.totalorder.derms.domain.Derms.QUE_COORDINATOR;
import static net.totalorder.derms.domain.Derms.SHE_COORDINATOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class DigestTest {

    /** A state with a listed resource, a waiting list, holders and a deleted resource still held. */
    private static void history(Derms derms) {
        derms.add("QUE2001", "FIRETRUCK", 10);
        derms.add("MTL1001", "AMBULANCE", 5);
        derms.request(QUE_COORDINATOR, "MTL1001", 2);
        derms.request(MTL_COORDINATOR, "MTL1001", 1);
        derms.request(SHE_COORDINATOR, "MTL1001", 7);
        derms.request(MTL_COORDINATOR, "MTL1001", 4);
        derms.request(SHE_COORDINATOR, "QUE2001", 3);
        derms.remove("QUE2001", 7);
    }

    private static Derms after(Consumer<Derms> operations) {
        Derms derms = new Derms();
        operations.accept(derms);
        return derms;
    }

    @Test
    void digest_isSha256OfDocumentedCanonicalForm() throws Exception {
        String canonical = "derms-state 1\n"
                + "resource MTL1001 AMBULANCE 2\n"
                + "waiting SHEC3333 7\n"
                + "waiting MTLC1111 4\n"
                + "held MTLC1111 1\n"
                + "held QUEC2222 2\n"
                + "resource QUE2001 FIRETRUCK deleted\n"
                + "held SHEC3333 3\n";
        String expected = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.US_ASCII)));

        assertEquals(expected, after(DigestTest::history).state.digest());
    }

    @Test
    void emptyState_isHashOfHeaderOnly() throws Exception {
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest("derms-state 1\n".getBytes(StandardCharsets.US_ASCII)));

        assertEquals(expected, new DermsState().digest());
        assertTrue(expected.matches("[0-9a-f]{64}"));
    }

    @Test
    void equalHistories_giveEqualDigests() {
        assertEquals(after(DigestTest::history).state.digest(), after(DigestTest::history).state.digest());
    }

    @Test
    void differentHistoriesReachingSameState_giveEqualDigests() {
        Derms viaRemove = after(derms -> {
            derms.add("MTL1001", "AMBULANCE", 10);
            derms.remove("MTL1001", 3);
        });
        Derms direct = after(derms -> derms.add("MTL1001", "AMBULANCE", 7));

        assertEquals(direct.state.digest(), viaRemove.state.digest());
    }

    @Test
    void waitingListOrder_changesDigest() {
        Derms first = after(derms -> {
            derms.add("MTL1001", "AMBULANCE", 1);
            derms.request(MTL_COORDINATOR, "MTL1001", 5);
            derms.request(QUE_COORDINATOR, "MTL1001", 5);
        });
        Derms second = after(derms -> {
            derms.add("MTL1001", "AMBULANCE", 1);
            derms.request(QUE_COORDINATOR, "MTL1001", 5);
            derms.request(MTL_COORDINATOR, "MTL1001", 5);
        });

        assertNotEquals(first.state.digest(), second.state.digest());
    }

    @Test
    void whoHoldsWhat_changesDigest() {
        Derms first = after(derms -> {
            derms.add("MTL1001", "AMBULANCE", 10);
            derms.request(MTL_COORDINATOR, "MTL1001", 3);
        });
        Derms second = after(derms -> {
            derms.add("MTL1001", "AMBULANCE", 10);
            derms.request(QUE_COORDINATOR, "MTL1001", 3);
        });

        assertNotEquals(first.state.digest(), second.state.digest());
    }

    @Test
    void resourceType_changesDigest() {
        assertNotEquals(after(derms -> derms.add("MTL1001", "AMBULANCE", 10)).state.digest(),
                after(derms -> derms.add("MTL1001", "FIRETRUCK", 10)).state.digest());
    }

    @Test
    void deletedStillHeldVersusExistingAtZero_changesDigest() {
        Derms deleted = after(derms -> {
            derms.add("MTL1001", "AMBULANCE", 10);
            derms.request(MTL_COORDINATOR, "MTL1001", 10);
            derms.remove("MTL1001", 1);
        });
        Derms atZero = after(derms -> {
            derms.add("MTL1001", "AMBULANCE", 10);
            derms.request(MTL_COORDINATOR, "MTL1001", 10);
        });

        assertNotEquals(atZero.state.digest(), deleted.state.digest());
    }

    @Test
    void everyStateChangingOperation_changesDigest() {
        assertChanges(derms -> derms.add("SHE3001", "PERSONNEL", 1));
        assertChanges(derms -> derms.add("MTL1001", "AMBULANCE", 50));
        assertChanges(derms -> derms.remove("MTL1002", 1));
        assertChanges(derms -> derms.remove("MTL1001", 2));
        assertChanges(derms -> derms.request(QUE_COORDINATOR, "MTL1002", 1));
        assertChanges(derms -> derms.request(QUE_COORDINATOR, "MTL1002", 99));
        assertChanges(derms -> derms.giveBack(QUE_COORDINATOR, "MTL1001"));
        assertChanges(derms -> derms.giveBack(SHE_COORDINATOR, "QUE2001"));
        assertChanges(derms -> derms.swap(QUE_COORDINATOR, "MTL1001", "AMBULANCE", "MTL1002", "AMBULANCE"));
    }

    private static void assertChanges(Function<Derms, Result> operation) {
        Derms derms = after(DigestTest::history);
        derms.add("MTL1002", "AMBULANCE", 5);
        String before = derms.state.digest();

        Result result = operation.apply(derms);

        assertNotEquals(Status.FAILURE, result.status(), result.message());
        assertNotEquals(before, derms.state.digest(), result.message());
    }
}
