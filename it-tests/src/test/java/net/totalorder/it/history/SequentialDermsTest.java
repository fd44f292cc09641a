package net.totalorder.it.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import net.totalorder.derms.domain.DermsRequests;
import net.totalorder.derms.domain.DermsState;
import net.totalorder.derms.domain.Result;
import net.totalorder.derms.domain.Status;
import org.junit.jupiter.api.Test;

/** Differential test: the immutable search model must agree with the real domain model, result by result. */
class SequentialDermsTest {

    private static final List<String> RESOURCES = List.of("MTL1001", "MTL1002", "QUE2001", "SHE3001");
    private static final List<String> COORDINATORS = List.of("MTLC0001", "QUEC0002", "SHEC0003");
    private static final List<String> TYPES = List.of("AMBULANCE", "FIRETRUCK", "PERSONNEL");

    @Test
    void randomSequences_agreeWithDermsStateOnResultsAndDigest() throws NoSuchAlgorithmException {
        Random random = new Random(20240611);
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        int compared = 0;
        int waitlisted = 0;
        int successfulSwaps = 0;
        int deletedButHeldStates = 0;
        for (int sequence = 0; sequence < 300; sequence++) {
            DermsState real = new DermsState();
            SequentialDerms model = SequentialDerms.EMPTY;
            for (int step = 0; step < 80; step++) {
                DermsCall call = randomCall(random);
                Result expected = applyToDomain(real, call);
                SequentialDerms.Step actual = model.apply(call);
                model = actual.state();
                String context = "sequence " + sequence + " step " + step + ": " + call;
                assertEquals(expected.status(), actual.result().status(), context);
                assertEquals(expected.resources(), actual.result().resources(), context);
                assertEquals(real.digest(), HexFormat.of().formatHex(
                        sha256.digest(model.canonicalText().getBytes(StandardCharsets.US_ASCII))), context);
                compared++;
                waitlisted += expected.status() == Status.WAITLISTED ? 1 : 0;
                successfulSwaps += call instanceof DermsCall.Swap && expected.status() == Status.SUCCESS ? 1 : 0;
                deletedButHeldStates += model.canonicalText().contains(" deleted\n") ? 1 : 0;
            }
        }
        assertEquals(300 * 80, compared);
        // The random mix must reach the tricky paths, or agreeing on them proves nothing.
        assertTrue(waitlisted > 100 && successfulSwaps > 100 && deletedButHeldStates > 100,
                waitlisted + " waitlisted, " + successfulSwaps + " swaps, " + deletedButHeldStates + " deleted-held");
    }

    private static DermsCall randomCall(Random random) {
        String resource = pick(random, RESOURCES);
        String coordinator = pick(random, COORDINATORS);
        String type = TYPES.get(random.nextInt(10) < 8 ? 0 : random.nextInt(TYPES.size()));
        int duration = 1 + random.nextInt(12);
        String responder = resource.substring(0, 3) + "R0001";
        return switch (random.nextInt(10)) {
            case 0, 1 -> DermsCall.addResource(responder, resource, type, duration);
            case 2 -> DermsCall.removeResource(responder, resource, duration);
            case 3 -> DermsCall.listResourceAvailability(responder, type);
            case 4, 5 -> DermsCall.requestResource(coordinator, resource, duration);
            case 6 -> DermsCall.findResource(coordinator, type);
            case 7 -> DermsCall.returnResource(coordinator, resource);
            default /* 8, 9 */ -> DermsCall.swapResource(coordinator, resource, type, pick(random, RESOURCES),
                    TYPES.get(random.nextInt(10) < 8 ? 0 : random.nextInt(TYPES.size())));
        };
    }

    private static Result applyToDomain(DermsState state, DermsCall call) {
        if (call instanceof DermsCall.Add add) {
            return state.addResource(DermsRequests.addResource(add.userId(), add.resourceId(), add.type().name(),
                    add.duration()));
        } else if (call instanceof DermsCall.Remove remove) {
            return state.removeResource(DermsRequests.removeResource(remove.userId(), remove.resourceId(),
                    remove.duration()));
        } else if (call instanceof DermsCall.ListAvailability list) {
            return state.listResourceAvailability(DermsRequests.listResourceAvailability(list.userId(),
                    list.type().name()));
        } else if (call instanceof DermsCall.Request request) {
            return state.requestResource(DermsRequests.requestResource(request.userId(), request.resourceId(),
                    request.duration()));
        } else if (call instanceof DermsCall.Find find) {
            return state.findResource(DermsRequests.findResource(find.userId(), find.type().name()));
        } else if (call instanceof DermsCall.Return giveBack) {
            return state.returnResource(DermsRequests.returnResource(giveBack.userId(), giveBack.resourceId()));
        } else {
            DermsCall.Swap swap = (DermsCall.Swap) call;
            return state.swapResource(DermsRequests.swapResource(swap.userId(), swap.oldResourceId(),
                    swap.oldType().name(), swap.newResourceId(), swap.newType().name()));
        }
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
