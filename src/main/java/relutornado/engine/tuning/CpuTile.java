package relutornado.engine.tuning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import relutornado.engine.KernelVariants.Family;
import relutornado.engine.tuning.TuningFile.Candidate;
import relutornado.kernels.CpuGemm;

/**
 * java-parallel's GEMM tile ({@link CpuGemm}): vector width in bits, register tile rows (× 2 vectors) and depth block.
 * CpuGemm reads it from system properties once, when it loads, so that C2 folds the constants; one tile per JVM.
 */
public record CpuTile(int bits, int rows, int kc) {
    /** The tuning parameters' names in a tuning file's {@code cpu} candidates. */
    public static final String BITS = "bits";
    public static final String ROWS = "rows";
    public static final String KC = "kc";
    /** The register tile rows tried: 4 (8 accumulators) and 8 (16). */
    public static final List<Integer> ROW_CHOICES = List.of(4, 8);
    /** Depth blocks tried, as fractions (÷ 4) of the width rule's: a B panel of 12, 24 and 36 KB. */
    public static final List<Integer> KC_QUARTERS = List.of(2, 4, 6);

    public CpuTile {
        if (bits != 128 && bits != 256 && bits != 512) {
            throw new IllegalArgumentException("GEMM tile bits must be 128, 256 or 512, got " + bits);
        }
        if (!ROW_CHOICES.contains(rows)) {
            throw new IllegalArgumentException("GEMM tile rows must be one of " + ROW_CHOICES + ", got " + rows);
        }
        if (kc < 16 || kc > 1024) {
            throw new IllegalArgumentException("GEMM tile depth block kc must be in [16, 1024], got " + kc);
        }
    }

    /** The width rule (no tuning file): 8 rows at 512 bits, 4 below; a B panel of 24 KB. */
    public static CpuTile widthRule(int bits) {
        return new CpuTile(bits, bits >= 512 ? 8 : 4, defaultKc(bits));
    }

    /** The width rule's depth block: KC × 2 vectors of floats = 24 KB. */
    static int defaultKc(int bits) {
        return 6144 / (2 * bits / 32);
    }

    /** The tile this JVM's CpuGemm runs (loads CpuGemm if it has not loaded yet). */
    public static CpuTile inUse() {
        return new CpuTile(CpuGemm.vectorBits(), CpuGemm.tileRows(), CpuGemm.depthBlock());
    }

    /**
     * The candidates for a host whose widest vector is {@code hostBits}: 256 bits (and 512 where the host has it) ×
     * {@link #ROW_CHOICES} × depth blocks around the width rule's; the host's width rule first.
     */
    public static List<CpuTile> candidates(int hostBits) {
        List<CpuTile> out = new ArrayList<>();
        out.add(widthRule(hostBits));
        for (int bits : hostBits >= 512 ? List.of(256, 512) : List.of(256)) {
            for (int rows : ROW_CHOICES) {
                for (int q : KC_QUARTERS) {
                    CpuTile t = new CpuTile(bits, rows, defaultKc(bits) * q / 4);
                    if (!out.contains(t)) {
                        out.add(t);
                    }
                }
            }
        }
        return out;
    }

    /** As a tuning file's candidate: family {@code cpu}, parameters bits, rows, kc. */
    public Candidate candidate() {
        Map<String, Integer> p = new LinkedHashMap<>();
        p.put(BITS, bits);
        p.put(ROWS, rows);
        p.put(KC, kc);
        return new Candidate(Family.CPU.flag(), p, null);
    }

    /** The tile of a tuning file's candidate; one that is not a {@code cpu} tile is an error. */
    public static CpuTile of(Candidate c) {
        Map<String, Integer> p = c.params();
        if (c.familyValue() != Family.CPU || !p.keySet().equals(java.util.Set.of(BITS, ROWS, KC))) {
            throw new IllegalArgumentException("not a java-parallel GEMM tile (family cpu, parameters bits, rows, kc): " + c);
        }
        return new CpuTile(p.get(BITS), p.get(ROWS), p.get(KC));
    }

    /** The system properties that make CpuGemm load with this tile. */
    public Map<String, String> properties() {
        return Map.of(CpuGemm.BITS_PROPERTY, Integer.toString(bits), CpuGemm.ROWS_PROPERTY, Integer.toString(rows),
                CpuGemm.KC_PROPERTY, Integer.toString(kc));
    }

    /** The same words as {@link CpuGemm#tile()}. */
    @Override
    public String toString() {
        return rows + "x2 vectors of " + bits / 32 + " floats, depth blocks of " + kc;
    }
}
