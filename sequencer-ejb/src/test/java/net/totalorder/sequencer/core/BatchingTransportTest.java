package net.totalorder.sequencer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import net.totalorder.sequencer.core.SequencerMessage.GetSeq;
import net.totalorder.sequencer.core.SequencerMessage.Seq;
import net.totalorder.sequencer.core.SequencerMessage.WriteMaj;
import net.totalorder.sequencer.core.SequencerMessage.WriteMajReply;
import org.junit.jupiter.api.Test;

/** What one run of a serial executor sends leaves per destination, in order, once the run is over. */
class BatchingTransportTest {

    /** What reached the network: one entry per network message. */
    private record Sent(String to, List<SequencerMessage> messages) {
    }

    private final List<Sent> network = new ArrayList<>();
    private final Transport recording = new Transport() {
        @Override
        public void send(String to, SequencerMessage message) {
            network.add(new Sent(to, List.of(message)));
        }

        @Override
        public void send(String to, List<SequencerMessage> messages) {
            network.add(new Sent(to, messages));
        }
    };

    @Test
    void whatOneRunSends_leavesAfterIt_oneNetworkMessagePerDestination_inOrder() {
        SerialExecutor executor = new SerialExecutor("test");
        BatchingTransport batching = new BatchingTransport(recording, executor);
        executor.execute(() -> {
            executor.execute(() -> batching.send("a", new Seq("3", 3)));   // queued before the first send
            batching.send("a", new Seq("1", 1));
            batching.send("b", new Seq("2", 2));
            executor.execute(() -> batching.send("a", new Seq("5", 5)));   // queued after the flush
            batching.send("a", new Seq("4", 4));
            assertTrue(network.isEmpty(), "nothing leaves while the run is going on");
        });
        assertEquals(List.of(
                new Sent("a", List.of(new Seq("1", 1), new Seq("4", 4), new Seq("3", 3))),
                new Sent("b", List.of(new Seq("2", 2))),
                new Sent("a", List.of(new Seq("5", 5)))), network);
        executor.close();
    }

    @Test
    void anIdleExecutor_sendsAtOnce() {
        SerialExecutor executor = new SerialExecutor("test");
        BatchingTransport batching = new BatchingTransport(recording, executor);
        executor.execute(() -> batching.send("a", new Seq("1", 1)));
        assertEquals(List.of(new Sent("a", List.of(new Seq("1", 1)))), network);
        executor.execute(() -> batching.send("a", new Seq("2", 2)));
        assertEquals(2, network.size(), "a later run is a new network message");
        executor.close();
    }

    @Test
    void aFullBatch_leavesAtOnce_andOrderIsKeptAcrossBatches() {
        SerialExecutor executor = new SerialExecutor("test");
        BatchingTransport batching = new BatchingTransport(recording, executor);
        int total = SequencerCodec.MAX_BATCH + 5;
        executor.execute(() -> IntStream.rangeClosed(1, total).forEach(i -> batching.send("a", new Seq("r", i))));
        assertEquals(2, network.size());
        assertEquals(SequencerCodec.MAX_BATCH, network.get(0).messages().size());
        List<Long> seqs = network.stream().flatMap(s -> s.messages().stream()).map(m -> ((Seq) m).seq()).toList();
        assertEquals(oneTo(total), seqs);
        executor.close();
    }

    @Test
    void answersThatDependOnTheStoredLog_leaveAfterTheSync_writesAndRequestsBefore() {
        SerialExecutor executor = new SerialExecutor("test");
        BatchingTransport batching = new BatchingTransport(recording, executor);
        List<String> events = new ArrayList<>();
        batching.syncPoint(() -> events.add("sync after " + network.size() + " network messages"));
        WriteMaj write = new WriteMaj(1, 0, 0, 0, List.of(), 0, true, false);
        WriteMajReply ack = new WriteMajReply(1, true, 5, 1, 7);
        GetSeq request = new GetSeq("r", new byte[] {1});
        executor.execute(() -> {
            batching.send("b", write);
            batching.send("a", ack);
            batching.send("a", request);      // after a dependent message to the same destination: waits with it
            batching.send("c", request);
        });
        assertEquals(List.of("sync after 2 network messages"), events, "the writes to b and c left before the sync");
        assertEquals(List.of(
                new Sent("b", List.of(write)),
                new Sent("c", List.of(request)),
                new Sent("a", List.of(ack, request))), network);
        executor.close();
    }

    @Test
    void whatTheSyncPointSends_followsWhatWasPendingForItsDestination() {
        SerialExecutor executor = new SerialExecutor("test");
        BatchingTransport batching = new BatchingTransport(recording, executor);
        WriteMajReply ack = new WriteMajReply(1, true, 5, 1, 7);
        boolean[] once = {true};
        batching.syncPoint(() -> {
            if (once[0]) {
                once[0] = false;
                batching.send("a", new Seq("later", 9));
            }
        });
        executor.execute(() -> batching.send("a", ack));
        assertEquals(List.of(new Sent("a", List.of(ack)), new Sent("a", List.of(new Seq("later", 9)))), network);
        executor.close();
    }

    private static List<Long> oneTo(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> (long) i).toList();
    }
}
