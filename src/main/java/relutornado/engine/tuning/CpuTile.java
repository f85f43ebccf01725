package relutornado.engine.tuning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import relutornado.engine.KernelVariants.Family;
import relutornado.engine.tuning.TuningFile.Candidate;
import relutornado.kernels.CpuGemm;

/**
 * java-parallel's GEMM tile ({@link CpuGemm}): vector width in bits, register tile rows × vectors (cols) and depth block.
 * CpuGemm reads it from system properties once, when it loads, so that C2 folds the constants; one tile per JVM.
 */
public record CpuTile(int bits, int rows, int cols, int kc) {
    /** The tuning parameters' names in a tuning file's {@code cpu} candidates. */
    public static final String BITS = "bits";
    public static final String ROWS = "rows";
    public static final String COLS = "cols";
    public static final String KC = "kc";
    /** The register tiles tried, rows × vectors: 4×2 (8 accumulators), 8×2 (16) and 6×4 (24; 512-bit vectors only). */
    public static final List<List<Integer>> TILE_CHOICES = List.of(List.of(4, 2), List.of(8, 2), List.of(6, 4));
    /** Depth blocks tried, as fractions (÷ 4) of the tile's default: half, the default, one and a half. */
    public static final List<Integer> KC_QUARTERS = List.of(2, 4, 6);

    public CpuTile {
        if (bits != 128 && bits != 256 && bits != 512) {
            throw new IllegalArgumentException("GEMM tile bits must be 128, 256 or 512, got " + bits);
        }
        if (!TILE_CHOICES.contains(List.of(rows, cols))) {
            throw new IllegalArgumentException("GEMM tile rows x cols (vectors) must be 4x2, 8x2 or 6x4, got " + rows + "x" + cols);
        }
        if (kc < 16 || kc > 1024) {
            throw new IllegalArgumentException("GEMM tile depth block kc must be in [16, 1024], got " + kc);
        }
    }

    /** The width rule (no tuning file): 8×2 at 512 bits, 4×2 below; the tile's default depth block. */
    public static CpuTile widthRule(int bits) {
        return bits >= 512 ? of(bits, 8, 2) : of(bits, 4, 2);
    }

    /** A tile with CpuGemm's default depth block for it: a B panel of 24 KB for 2 vectors, of 128 KB (at 512 bits) for 4. */
    static CpuTile of(int bits, int rows, int cols) {
        return new CpuTile(bits, rows, cols, defaultKc(bits, cols));
    }

    static int defaultKc(int bits, int cols) {
        return Math.min(1024, (cols == 4 ? 32768 : 6144) / (cols * bits / 32));
    }

    /** The tile this JVM's CpuGemm runs (loads CpuGemm if it has not loaded yet). */
    public static CpuTile inUse() {
        return new CpuTile(CpuGemm.vectorBits(), CpuGemm.tileRows(), CpuGemm.tileCols(), CpuGemm.depthBlock());
    }

    /**
     * The candidates for a host whose widest vector is {@code hostBits}: 256 bits (and 512 where the host has it) ×
     * {@link #TILE_CHOICES} (6×4 at 512 bits only: 24 accumulators spill from AVX2's 16 registers) × depth blocks
     * around each tile's default; the host's width rule first.
     */
    public static List<CpuTile> candidates(int hostBits) {
        List<CpuTile> out = new ArrayList<>();
        out.add(widthRule(hostBits));
        for (int bits : hostBits >= 512 ? List.of(256, 512) : List.of(256)) {
            for (List<Integer> rc : TILE_CHOICES) {
                if (rc.get(1) == 4 && bits < 512) {
                    continue;
                }
                for (int q : KC_QUARTERS) {
                    CpuTile t = new CpuTile(bits, rc.get(0), rc.get(1), Math.min(1024, defaultKc(bits, rc.get(1)) * q / 4));
                    if (!out.contains(t)) {
                        out.add(t);
                    }
                }
            }
        }
        return out;
    }

    /** As a tuning file's candidate: family {@code cpu}, parameters bits, rows, cols, kc. */
    public Candidate candidate() {
        Map<String, Integer> p = new LinkedHashMap<>();
        p.put(BITS, bits);
        p.put(ROWS, rows);
        p.put(COLS, cols);
        p.put(KC, kc);
        return new Candidate(Family.CPU.flag(), p, null);
    }

    /** The tile of a tuning file's candidate (files written before cols existed mean 2 vectors); anything else is an error. */
    public static CpuTile of(Candidate c) {
        Map<String, Integer> p = c.params();
        if (c.familyValue() != Family.CPU || !(p.keySet().equals(java.util.Set.of(BITS, ROWS, COLS, KC))
                || p.keySet().equals(java.util.Set.of(BITS, ROWS, KC)))) {
            throw new IllegalArgumentException("not a java-parallel GEMM tile (family cpu, parameters bits, rows, cols, kc): " + c);
        }
        return new CpuTile(p.get(BITS), p.get(ROWS), p.getOrDefault(COLS, 2), p.get(KC));
    }

    /** The system properties that make CpuGemm load with this tile. */
    public Map<String, String> properties() {
        return Map.of(CpuGemm.BITS_PROPERTY, Integer.toString(bits), CpuGemm.ROWS_PROPERTY, Integer.toString(rows),
                CpuGemm.COLS_PROPERTY, Integer.toString(cols), CpuGemm.KC_PROPERTY, Integer.toString(kc));
    }

    /** The same words as {@link CpuGemm#tile()}. */
    @Override
    public String toString() {
        return rows + "x" + cols + " vectors of " + bits / 32 + " floats, depth blocks of " + kc;
    }
}
