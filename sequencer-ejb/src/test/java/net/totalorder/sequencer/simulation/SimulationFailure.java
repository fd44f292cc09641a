package net.totalorder.sequencer.simulation;

/** A simulated run broke an invariant or the protocol threw; the message names the seed that reproduces it. */
public final class SimulationFailure extends AssertionError {

    private final long seed;

    SimulationFailure(long seed, Throwable cause, Simulation sim) {
        super("failed on seed " + seed + " at t=" + sim.now() + "ms: " + cause
                + "\n  rerun just this seed: mvn -pl sequencer-ejb test -Dtest=SequencerSimulationTest -Dseed=" + seed
                + "\n  last events:\n" + sim.recentTrace(), cause);
        this.seed = seed;
    }

    public long seed() {
        return seed;
    }
}
