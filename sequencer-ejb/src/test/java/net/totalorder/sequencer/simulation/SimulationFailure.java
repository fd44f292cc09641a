package net.totalorder.sequencer.simulation;

/** A simulated run broke an invariant or the protocol threw; the message names the seed that reproduces it. */
public final class SimulationFailure extends AssertionError {

    private final long seed;

    SimulationFailure(long seed, Throwable cause, Simulation sim) {
        this(seed, cause, sim, "mvn -pl sequencer-ejb test -Dtest=SequencerSimulationTest -Dseed=" + seed);
    }

    /** @param rerun the command that reruns just this seed */
    public SimulationFailure(long seed, Throwable cause, World world, String rerun) {
        super("failed on seed " + seed + " at t=" + world.now() + "ms: " + cause + "\n  rerun just this seed: " + rerun
                + "\n  last events:\n" + world.recentTrace(), cause);
        this.seed = seed;
    }

    public long seed() {
        return seed;
    }
}
