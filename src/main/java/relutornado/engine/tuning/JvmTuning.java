package relutornado.engine.tuning;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import relutornado.engine.tuning.TuningFile.Device;

/**
 * Which GEMM tile java-parallel runs and where it came from: an explicit {@code -Drelutornado.gemm.*} (wins), else the
 * tuning file ({@code --tuning}, or {@code tuning/java-parallel-<cpu slug>.json} when it exists), else the width
 * rule. CpuGemm fixes its tile when it loads, so {@link #install} sets the properties before that and fails when
 * CpuGemm already loaded another tile.
 */
public final class JvmTuning {
    /** A JVM tuning file's device vendor: with the CPU model as the name, the slug is {@code java-parallel-<cpu>}. */
    public static final String VENDOR = "java-parallel";
    /** The CPU flags recorded in the file (those that decide the vector code C2 emits). */
    private static final List<String> FLAG_PREFIXES = List.of("avx", "fma", "amx", "sse4", "asimd", "sve");

    /** The tile and its source: how ("tuning file", "-D override", "width rule"), the file and its SHA-256 when one. */
    public record Source(CpuTile tile, String how, String file, String sha256) {
        /** For devices and run.json; the big-product tile of this JVM's CpuGemm follows the tile when it has one. */
        public String describe() {
            String big = relutornado.kernels.CpuGemm.bigTile();
            return tile + (big.isEmpty() ? "" : "; " + big) + " (" + how + (file == null ? "" : " " + file + ", sha256 " + sha256) + ")";
        }

        /** run.json's kernel choices for java-parallel: the tile as the one CPU choice. */
        public TunedKernels.Record record() {
            String source = how + (file == null ? "" : " " + file);
            return new TunedKernels.Record(file, sha256, "GEMM tile " + describe(),
                    List.of(new TunedKernels.Choice("CpuGemm.gemm", null, tile.candidate(), source)));
        }
    }

    private static Source installed;
    /** The -Drelutornado.gemm.* the JVM was started with (before {@link #install} set any). */
    private static Map<String, String> userProperties;

    private JvmTuning() {
    }

    /** This host as a tuning file's device: the CPU model, vendor {@value #VENDOR}, the JDK, the CPU's vector flags. */
    public static Device host() {
        String model = cpuInfo("model name");
        if (model == null) {
            model = System.getProperty("os.arch") + " CPU";
        }
        String flags = cpuInfo("flags");
        if (flags == null) {
            flags = cpuInfo("Features");
        }
        String vector = flags == null ? "unknown" : Arrays.stream(flags.split("\\s+"))
                .filter(f -> FLAG_PREFIXES.stream().anyMatch(f::startsWith)).sorted().collect(Collectors.joining(" "));
        return new Device(model.strip(), VENDOR, "JDK " + Runtime.version(), null, null, model.strip() + "; flags: " + vector);
    }

    private static String cpuInfo(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().equals(key)) {
                    return line.substring(colon + 1).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** The default file of this host: {@code dir/java-parallel-<cpu slug>.json}. */
    public static Path defaultPath(Path dir) {
        return TuningFile.defaultPath(dir, host());
    }

    /**
     * Chooses the tile before CpuGemm loads: -D properties win (said on {@code err} when a file is thereby ignored), else
     * {@code explicit}, else this host's file under {@code defaultDir}, else the width rule (said once on {@code err}).
     * A file for another CPU, a corrupt one, or one whose winner is not a tile is an error naming it; so is a CpuGemm
     * already loaded with another tile.
     */
    public static synchronized Source install(Path explicit, Path defaultDir, PrintStream err) throws IOException {
        if (userProperties == null) {
            userProperties = gemmProperties();
        }
        if (installed != null && explicit == null) {
            return installed;
        }
        Path file = explicit != null ? explicit : defaultPath(defaultDir);
        Source s;
        if (!userProperties.isEmpty()) {
            s = new Source(CpuTile.inUse(), "-D override " + userProperties, null, null);
            if (explicit != null || Files.exists(file)) {
                err.println("java-parallel: " + userProperties + " set: it wins over tuning file " + file);
            }
        } else if (explicit == null && !Files.exists(file)) {
            s = new Source(CpuTile.inUse(), "width rule", null, null);
            err.println("java-parallel: no tuning file for this CPU (looked for " + file + "): GEMM tile by the width rule, " + s.tile()
                    + " (relu-tornado tune --device java-parallel writes one)");
        } else {
            TuningFile t = TuningFile.read(file, host());
            if (t.overall() == null) {
                throw new IllegalArgumentException("tuning file " + file + " has no overall GEMM tile (not written by tune --device java-parallel)");
            }
            CpuTile want;
            try {
                want = CpuTile.of(t.overall().winner());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tuning file " + file + ": " + e.getMessage(), e);
            }
            want.properties().forEach(System::setProperty);
            CpuTile running = CpuTile.inUse();
            if (!running.equals(want)) {
                throw new IllegalStateException("java-parallel's GEMM tile is already fixed in this JVM at " + running
                        + " (CpuGemm loaded before the tuning file was read); " + file + " asks for " + want + ": run in a new JVM");
            }
            s = new Source(want, "tuning file", file.toString(), TuningFile.sha256(file));
        }
        installed = s;
        return s;
    }

    /** The tile in use and its source: what {@link #install} chose, else -D properties or the width rule (loads CpuGemm). */
    public static synchronized Source current() {
        if (installed != null) {
            return installed;
        }
        Map<String, String> set = userProperties != null ? userProperties : gemmProperties();
        return new Source(CpuTile.inUse(), set.isEmpty() ? "width rule" : "-D override " + set, null, null);
    }

    private static Map<String, String> gemmProperties() {
        Map<String, String> out = new TreeMap<>();
        for (String k : List.of(relutornado.kernels.CpuGemm.BITS_PROPERTY, relutornado.kernels.CpuGemm.ROWS_PROPERTY,
                relutornado.kernels.CpuGemm.COLS_PROPERTY, relutornado.kernels.CpuGemm.KC_PROPERTY, relutornado.kernels.CpuGemm.BIG_PROPERTY)) {
            String v = System.getProperty(k);
            if (v != null) {
                out.put(k, v);
            }
        }
        return out;
    }
}
