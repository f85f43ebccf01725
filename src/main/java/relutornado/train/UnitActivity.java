package relutornado.train;

import java.util.ArrayList;
import java.util.List;
import relutornado.model.Network;

/**
 * The dying-ReLU figures of one evaluation pass (the validation rows of an epoch): per hidden ReLU layer
 * the live counts of its units summed over the pass's batches, and the same for the ReLU head's classes.
 * A unit whose count is 0 never fired on any row: dead. Sparsity is the fraction of zero activations.
 *
 * @param rows   rows evaluated
 * @param layers the hidden ReLU layers, in order
 * @param head   the ReLU head's classes (output max(0, o)); null for a softmax head
 */
public record UnitActivity(long rows, List<Layer> layers, Layer head) {

    /** One counted activation: {@code active[c]} = entries of unit c that were &gt; 0, over all rows and positions. */
    public record Layer(String name, int positions, long[] active) {
        public int units() {
            return active.length;
        }

        /** Units that were 0 (or negative) for every row, in unit order. */
        public List<Integer> deadUnits() {
            List<Integer> dead = new ArrayList<>();
            for (int c = 0; c < active.length; c++) {
                if (active[c] == 0) {
                    dead.add(c);
                }
            }
            return dead;
        }

        public double deadFraction() {
            return (double) deadUnits().size() / active.length;
        }

        /** Zero activations / all activations of these rows. */
        public double sparsity(long rows) {
            long live = 0;
            for (long a : active) {
                live += a;
            }
            double all = (double) rows * active.length * positions;
            return all == 0 ? Double.NaN : 1.0 - live / all;
        }
    }

    /** Adds up a network's probe counts batch by batch. */
    static final class Accumulator {
        private final Network net;
        private final long[][] hidden;
        private final long[] head;
        private long rows;

        Accumulator(Network net) {
            this.net = net;
            this.hidden = new long[net.hiddenProbes.size()][];
            for (int i = 0; i < hidden.length; i++) {
                hidden[i] = new long[net.hiddenProbes.get(i).units()];
            }
            this.head = net.headProbe == null ? null : new long[net.headProbe.units()];
        }

        /** After one "eval" execution over n valid rows. */
        void add(int n) {
            rows += n;
            for (int i = 0; i < hidden.length; i++) {
                int[] a = net.hiddenProbes.get(i).active();
                for (int c = 0; c < a.length; c++) {
                    hidden[i][c] += a[c];
                }
            }
            if (head != null) {
                int[] a = net.headProbe.active();
                for (int c = 0; c < a.length; c++) {
                    head[c] += a[c];
                }
            }
        }

        UnitActivity result() {
            List<Layer> layers = new ArrayList<>();
            for (int i = 0; i < hidden.length; i++) {
                Network.Probe p = net.hiddenProbes.get(i);
                layers.add(new Layer(p.layer(), p.positions(), hidden[i]));
            }
            return new UnitActivity(rows, List.copyOf(layers), head == null ? null : new Layer("head", 1, head));
        }
    }
}
