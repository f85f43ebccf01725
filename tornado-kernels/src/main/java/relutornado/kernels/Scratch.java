package relutornado.kernels;

/**
 * Per-thread work arrays of the CPU variants, in numbered slots: each grows to the largest size asked for and is
 * kept for the thread's next call (the java-parallel engine's threads live as long as the engine). Contents are
 * left from the last use: a caller that needs zeros clears what it uses. Host code only, never in a TornadoVM kernel.
 */
final class Scratch {
    private final ThreadLocal<float[][]> floats;
    private final ThreadLocal<int[][]> ints;

    /** Slots 0..floatSlots-1 of float arrays and 0..intSlots-1 of int arrays. */
    Scratch(int floatSlots, int intSlots) {
        floats = ThreadLocal.withInitial(() -> new float[floatSlots][0]);
        ints = ThreadLocal.withInitial(() -> new int[intSlots][0]);
    }

    /** This thread's float array of the slot, at least n long. */
    float[] floats(int slot, int n) {
        float[][] s = floats.get();
        if (s[slot].length < n) {
            s[slot] = new float[n];
        }
        return s[slot];
    }

    /** This thread's int array of the slot, at least n long. */
    int[] ints(int slot, int n) {
        int[][] s = ints.get();
        if (s[slot].length < n) {
            s[slot] = new int[n];
        }
        return s[slot];
    }
}
