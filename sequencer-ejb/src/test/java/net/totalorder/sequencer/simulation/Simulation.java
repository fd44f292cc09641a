package net.totalorder.sequencer.simulation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import net.totalorder.sequencer.core.DefinitiveListener;
import net.totalorder.sequencer.core.LeaderOracle;
import net.totalorder.sequencer.core.SequencerClient;
import net.totalorder.sequencer.core.SequencerConfig;
import net.totalorder.sequencer.core.SequencerMessage;
import net.totalorder.sequencer.core.SequencerReplica;
import net.totalorder.sequencer.core.TentativeAssignment;

/**
 * The sequencer in a deterministic {@link World}: replicas and clients in virtual time, and a leader oracle the
 * test sets per replica, which may name several leaders or none. Every definitive assignment, skipped run, client
 * delivery and request is reported to the {@link SequencerChecker}, which fails fast on a violation of P1–P4.
 *
 * <p>Single-threaded: everything runs on the thread that calls {@link #runFor}/{@link #runUntil}.
 */
public final class Simulation extends World {

    private final List<String> members;
    private final SequencerChecker checker = new SequencerChecker();
    /** A planted bug: every member at once "confirms" a primary's lead, so a deposed primary answers reads. */
    private boolean forgedLeadConfirmations;

    public Simulation(long seed, List<String> members) {
        super(seed);
        this.members = List.copyOf(members);
    }

    /**
     * A world for step-by-step scenarios: the given replicas with short timeouts, and a network that loses
     * nothing and delivers every message 1 ms after it was sent, in order.
     */
    public static Simulation scripted(List<String> members) {
        Simulation sim = new Simulation(0, members);
        for (String m : members) {
            sim.addReplica(new SequencerConfig(members, m, 5, 100, 100, 20, 20, 64, 4));
        }
        sim.setNetwork(0, 0, 1, 1);
        return sim;
    }

    public ReplicaNode addReplica(SequencerConfig config) {
        ReplicaNode node = add(new ReplicaNode(config));
        node.startIncarnation();
        return node;
    }

    public ClientNode addClient(String name, long timeoutMillis, long retryBackoffMillis) {
        ClientNode node = add(new ClientNode(name));
        node.client = new SequencerClient(members, node, node, timeoutMillis, retryBackoffMillis);
        return node;
    }

    public ReplicaNode replica(String name) {
        return (ReplicaNode) process(name);
    }

    public List<ReplicaNode> replicas() {
        return processes().stream().filter(n -> n instanceof ReplicaNode).map(n -> (ReplicaNode) n).toList();
    }

    public List<ClientNode> clients() {
        return processes().stream().filter(n -> n instanceof ClientNode).map(n -> (ClientNode) n).toList();
    }

    public SequencerChecker checker() {
        return checker;
    }

    /**
     * Plants a bug: whenever a replica asks a member to confirm its lead, that member's confirmation comes back at
     * once, whatever it promised — as if the primary answered reads without asking anyone.
     */
    public void plantForgedLeadConfirmations() {
        forgedLeadConfirmations = true;
    }

    /** Sets which replicas believe they lead (the oracle may be wrong: several, or none). */
    public void setLeaders(Set<String> believers) {
        String hint = believers.size() == 1 ? believers.iterator().next() : null;
        for (ReplicaNode r : replicas()) {
            r.believesLeader = believers.contains(r.name);
            r.leaderHint = hint;
            at(now(), r, () -> r.replica.onLeadershipChange());
        }
        record("leaders " + believers);
    }

    /** A sequencer replica, its view of the leader oracle, and its learning reported to the checker. */
    public final class ReplicaNode extends Process implements LeaderOracle {
        final SequencerConfig config;
        SequencerReplica replica;
        int incarnation;
        boolean believesLeader;
        String leaderHint;

        ReplicaNode(SequencerConfig config) {
            super(config.self());
            this.config = config;
        }

        void startIncarnation() {
            incarnation++;
            String learner = name + "#" + incarnation;
            replica = new SequencerReplica(config, this, this, this, new DefinitiveListener() {
                @Override
                public void onDefinitive(TentativeAssignment ta) {
                    checker.onDefinitive(learner, ta);
                }

                @Override
                public void onSkipped(long upToSeq) {
                    checker.onSkipped(learner, upToSeq);
                }

                @Override
                public void onSnapshotNeeded(long seq, String from) {
                    // as a server's node would: a snapshot arrives from the member a little later (it holds one:
                    // it compacted up to seq), and the replica may then take the base
                    SequencerReplica asking = replica;
                    schedule(5 + random().nextInt(20), () -> {
                        if (replica == asking) {
                            checker.compacted(seq);
                            asking.snapshotCovers(seq);
                        }
                    });
                }
            });
            replica.start(random().nextLong());
        }

        /** The checker's name for this incarnation. */
        public String learner() {
            return name + "#" + incarnation;
        }

        public SequencerReplica replica() {
            return replica;
        }

        @Override
        protected void onMessage(String from, SequencerMessage message) {
            replica.onMessage(from, message);
        }

        @Override
        public void send(String to, SequencerMessage message) {
            super.send(to, message);
            if (forgedLeadConfirmations && message instanceof SequencerMessage.ConfirmLead c) {
                SequencerReplica asking = replica;
                at(now(), this, () -> asking.onMessage(to,
                        new SequencerMessage.LeadConfirmed(c.epoch(), c.round(), true, c.epoch())));
            }
        }

        @Override
        protected void onCrash() {
            replica.stop();
        }

        /** Restarted with an empty state, as a restarted server: a new replica that must recover first. */
        @Override
        protected void onRestart() {
            startIncarnation();
            record("restart " + name + " as incarnation " + incarnation);
        }

        @Override
        public boolean isLeader() {
            return believesLeader;
        }

        @Override
        public String leader() {
            return leaderHint;
        }

        /** The scheduled oracle hears no beacons: pre-votes are granted on epochs alone. */
        @Override
        public String livePrimary() {
            return null;
        }
    }

    /** A client process issuing requests through a {@link SequencerClient}. */
    public final class ClientNode extends Process {
        SequencerClient client;
        final Map<String, Long> delivered = new LinkedHashMap<>();
        final List<String> issued = new ArrayList<>();

        ClientNode(String name) {
            super(name);
        }

        /** Issues {@code reqId} now; the reply is checked against P2 and recorded. */
        public void getSeq(String reqId, byte[] payload) {
            issued.add(reqId);
            checker.onIssued(reqId, payload);
            record(name + " issues " + reqId);
            client.getSeq(reqId, payload, seq -> {
                checker.onClientDelivered(name, reqId, seq);
                delivered.put(reqId, seq);
                record(name + " delivers " + reqId + "=" + seq);
            });
        }

        /** Asks again for a request this client already issued, as a client retrying after a crash would. */
        public void retry(String reqId) {
            record(name + " retries " + reqId);
            client.getSeq(reqId, checker.payloadOf(reqId), seq -> {
                checker.onClientDelivered(name, reqId, seq);
                record(name + " re-delivers " + reqId + "=" + seq);
            });
        }

        /** Asks for a read index under {@code readId}; the answer is checked against what was delivered before. */
        public void readIndex(String readId) {
            checker.onReadIssued(readId);
            record(name + " reads " + readId);
            client.readIndex(readId, index -> {
                checker.onReadIndex(name, readId, index);
                record(name + " read " + readId + " at index " + index);
            });
        }

        /** The seq delivered for {@code reqId}, or null. */
        public Long delivered(String reqId) {
            return delivered.get(reqId);
        }

        public int deliveredCount() {
            return delivered.size();
        }

        public List<String> issued() {
            return issued;
        }

        @Override
        protected void onMessage(String from, SequencerMessage message) {
            client.onMessage(from, message);
        }
    }

    /** For the checker's use in scripted tests: the assignment a replica holds, or null. */
    public TentativeAssignment assignmentAt(String replica, long seq) {
        return replica(replica).replica.assignmentAt(seq);
    }
}
