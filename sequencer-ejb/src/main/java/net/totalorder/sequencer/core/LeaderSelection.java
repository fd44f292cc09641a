package net.totalorder.sequencer.core;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import net.totalorder.sequencer.core.SequencerMessage.Beacon;

/**
 * A server's leader oracle ({@link LeaderOracle}): who should lead the sequencer, judged from what this server sees
 * — which configured members its group view holds (a process that left is out at once) and the {@link Beacon}s
 * every member's node sends each beacon interval (a member silent for {@code suspectAfterMillis} is suspected even
 * while its process stays in the view, so a stalled primary is replaced).
 *
 * <p>The rule: a live primary keeps leading — the one of highest epoch, if two claim it — so a member that comes
 * back or finishes catching up never takes the role back and never stalls ordering; with no live primary, the
 * first member in configured order that is live and eligible (recovered and caught up, as its beacon says) leads;
 * and when none is eligible, the first live one that votes.
 * A member that appeared in the view but has not spoken yet is given the suspect timeout to do so, as if eligible.
 * The answer may be wrong for a while, or differ between servers; the protocol stays safe, it only needs the
 * servers to agree eventually for progress.
 *
 * <p>Not thread-safe: used on the node's executor only.
 */
public final class LeaderSelection implements LeaderOracle {

    /** This server's own standing, read live. */
    public interface Self {
        SequencerReplica.Role role();

        long epoch();

        boolean eligible();
    }

    private record Heard(Beacon beacon, long at) {
    }

    private final List<String> members;
    private final String self;
    private final long suspectAfterMillis;
    private final Scheduler clock;
    private final Self own;
    private final Map<String, Heard> heard = new HashMap<>();
    /** When each reachable member entered this server's view. */
    private final Map<String, Long> inViewSince = new HashMap<>();

    public LeaderSelection(List<String> members, String self, long suspectAfterMillis, Scheduler clock, Self own) {
        if (!members.contains(self)) {
            throw new IllegalArgumentException(self + " is not one of the members " + members);
        }
        if (suspectAfterMillis <= 0) {
            throw new IllegalArgumentException("the suspect timeout must be positive, was " + suspectAfterMillis);
        }
        this.members = List.copyOf(members);
        this.self = self;
        this.suspectAfterMillis = suspectAfterMillis;
        this.clock = clock;
        this.own = own;
    }

    /** The configured members now in this server's group view (others are ignored). */
    public void onView(Collection<String> reachable) {
        long now = clock.nowMillis();
        Set<String> in = Set.copyOf(reachable);
        inViewSince.keySet().retainAll(in);
        for (String m : in) {
            if (members.contains(m) && !m.equals(self)) {
                inViewSince.putIfAbsent(m, now);
            }
        }
    }

    public void onBeacon(String from, Beacon beacon) {
        if (members.contains(from) && !from.equals(self)) {
            heard.put(from, new Heard(beacon, clock.nowMillis()));
        }
    }

    @Override
    public boolean isLeader() {
        return self.equals(leader());
    }

    @Override
    public String leader() {
        String primary = livePrimary();
        if (primary != null) {
            return primary;
        }
        long now = clock.nowMillis();
        for (String m : members) {
            if (m.equals(self) ? own.eligible() : live(m, now) && eligible(m)) {
                return m;
            }
        }
        // Nobody caught up (after a whole cluster restarted, say): the first live member that can vote, for someone
        // has to read a majority's state and order again.
        for (String m : members) {
            if (m.equals(self) ? votes(own.role()) : live(m, now) && heardVoting(m)) {
                return m;
            }
        }
        return null;
    }

    /** The live member claiming to be primary — the one of highest epoch, if two do — or null. */
    @Override
    public String livePrimary() {
        long now = clock.nowMillis();
        String primary = null;
        long primaryEpoch = -1;
        for (String m : members) {
            boolean claims;
            long epoch;
            if (m.equals(self)) {
                claims = own.role() == SequencerReplica.Role.PRIMARY;
                epoch = own.epoch();
            } else {
                Heard h = heard.get(m);
                claims = live(m, now) && h != null && h.beacon().role() == SequencerReplica.Role.PRIMARY;
                epoch = h == null ? -1 : h.beacon().epoch();
            }
            if (claims && epoch > primaryEpoch) {
                primary = m;
                primaryEpoch = epoch;
            }
        }
        return primary;
    }

    private static boolean votes(SequencerReplica.Role role) {
        return role != SequencerReplica.Role.RECOVERING && role != SequencerReplica.Role.CATCHING_UP;
    }

    private boolean heardVoting(String member) {
        Heard h = heard.get(member);
        return h != null && votes(h.beacon().role());
    }

    /** In the view, and heard from within the suspect timeout (or in the view for less than that, not yet heard). */
    public boolean live(String member, long now) {
        if (member.equals(self)) {
            return true;
        }
        Long since = inViewSince.get(member);
        if (since == null) {
            return false;
        }
        Heard h = heard.get(member);
        if (h != null && h.at() >= since) {
            return now - h.at() <= suspectAfterMillis;
        }
        return now - since <= suspectAfterMillis;
    }

    private boolean eligible(String member) {
        Heard h = heard.get(member);
        return h == null || h.at() < inViewSince.get(member) || h.beacon().eligible();
    }

    /** The last beacon heard from {@code member}, or null. */
    public Beacon lastBeacon(String member) {
        Heard h = heard.get(member);
        return h == null ? null : h.beacon();
    }

    /** When the last beacon of {@code member} arrived (scheduler time), or -1. */
    public long lastHeardAt(String member) {
        Heard h = heard.get(member);
        return h == null ? -1 : h.at();
    }

    public boolean inView(String member) {
        return member.equals(self) || inViewSince.containsKey(member);
    }
}
