package relutornado.engine.tuning;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import relutornado.engine.KernelVariants.Family;
import relutornado.engine.KernelVariants.Product;
import relutornado.io.AtomicFiles;

/**
 * A device's tuning file (JSON), as CLBlast keeps its per-device database apart from the kernels: the device it was
 * measured on, and per product shape (a kernel and its {@link Product}) the winner with its GFLOP/s, the plain kernel's
 * GFLOP/s and every candidate tried with its GFLOP/s or its error. Written by {@code relu-tornado tune}, read by
 * {@code --device-kernels tuned} through {@link TunedKernels}. The kernels never read it.
 *
 * @param format  file format version ({@link #FORMAT})
 * @param device  the device measured
 * @param date    when it was last tuned (ISO-8601)
 * @param shapes  one entry per (kernel, product), in the order tuned
 * @param overall java-parallel's file only: the one GEMM tile the JVM runs for every shape (null for a device)
 */
public record TuningFile(int format, Device device, String date, List<Shape> shapes, Overall overall) {
    public static final int FORMAT = 1;
    /** Where a device's tuning file is looked for without {@code --tuning}: {@code tuning/<device slug>.json}. */
    public static final Path DEFAULT_DIR = Path.of("tuning");

    public TuningFile {
        if (format != FORMAT) {
            throw new IllegalArgumentException("format must be " + FORMAT + ", got " + format);
        }
        Objects.requireNonNull(device, "device is missing");
        Objects.requireNonNull(date, "date is missing");
        shapes = List.copyOf(Objects.requireNonNull(shapes, "shapes is missing"));
    }

    /** A device's file: a winner per shape, no overall choice. */
    public TuningFile(int format, Device device, String date, List<Shape> shapes) {
        this(format, device, date, shapes, null);
    }

    /**
     * One candidate for all shapes (java-parallel's GEMM tile is fixed per JVM): the winner, how the candidates were
     * ranked, and per candidate its GFLOP/s over the ranked shapes (total flops ÷ total time) or its error.
     */
    public record Overall(Candidate winner, String rule, List<Tried> tried) {
        public Overall {
            Objects.requireNonNull(winner, "overall winner is missing");
            tried = List.copyOf(Objects.requireNonNull(tried, "overall tried candidates are missing"));
        }
    }

    /**
     * The device a file belongs to: two files are for the same device when name and vendor agree (a new driver is
     * the same device, tuned under another driver; {@link TunedKernels} says so).
     */
    public record Device(String name, String vendor, String driverVersion, String openclVersion, String tornadoVersion, String hostCpu) {
        public Device {
            Objects.requireNonNull(name, "device.name is missing");
            Objects.requireNonNull(vendor, "device.vendor is missing");
        }

        public boolean sameDevice(Device other) {
            return name.equals(other.name) && vendor.equals(other.vendor);
        }

        /** The file name stem: lower-case letters and digits of vendor and name, runs of anything else as one '-'. */
        public String slug() {
            return (vendor + " " + name).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        }

        @Override
        public String toString() {
            return "'" + name + "' (" + vendor + ", driver " + driverVersion + ")";
        }
    }

    /**
     * One way to run a kernel: a variant family, its tuning values and a work-group size (null: the device's choice).
     */
    public record Candidate(String family, Map<String, Integer> params, List<Integer> local) {
        public Candidate {
            Family.parse(Objects.requireNonNull(family, "candidate family is missing"));
            params = Collections.unmodifiableMap(new LinkedHashMap<>(params == null ? Map.of() : params));
            local = local == null ? null : List.copyOf(local);
        }

        public Family familyValue() {
            return Family.parse(family);
        }

        public static Candidate plain() {
            return new Candidate(Family.PLAIN.flag(), Map.of(), null);
        }

        @Override
        public String toString() {
            return family + (params.isEmpty() ? "" : " " + params) + (local == null ? "" : " local " + local);
        }
    }

    /** A candidate as measured: GFLOP/s, or the error that dropped it (failed to compile or run, or a wrong result). */
    public record Tried(Candidate candidate, Double gflops, String error) {
        public Tried {
            Objects.requireNonNull(candidate, "a tried candidate is missing");
            if ((gflops == null) == (error == null)) {
                throw new IllegalArgumentException("candidate " + candidate + " must have either gflops or an error");
            }
        }
    }

    /** One product shape: the winner, what the plain kernel reached, and every candidate. */
    public record Shape(String kernel, Product product, Candidate winner, double winnerGflops, Double plainGflops, List<Tried> tried) {
        public Shape {
            Objects.requireNonNull(kernel, "shape kernel is missing");
            Objects.requireNonNull(product, "shape product of " + kernel + " is missing");
            Objects.requireNonNull(winner, "winner of " + kernel + " " + product + " is missing");
            tried = List.copyOf(Objects.requireNonNull(tried, "tried candidates of " + kernel + " " + product + " are missing"));
        }

        /** The key of a shape within a file: the kernel ({@code Dense.forward}) and its product. */
        public String key() {
            return kernel + " " + product;
        }

        /** The shape of a tuning run from its measurements: the fastest candidate that ran wins; null when none ran. */
        public static Shape of(String kernel, Product product, List<Tried> tried) {
            Tried best = null;
            Double plain = null;
            for (Tried t : tried) {
                if (t.gflops() != null && (best == null || t.gflops() > best.gflops())) {
                    best = t;
                }
                if (t.gflops() != null && t.candidate().familyValue() == Family.PLAIN) {
                    plain = t.gflops();
                }
            }
            return best == null ? null : new Shape(kernel, product, best.candidate(), best.gflops(), plain, tried);
        }
    }

    /** The shape entry for a kernel and product, or null. */
    public Shape shape(String kernel, Product product) {
        String key = kernel + " " + product;
        return shapes.stream().filter(s -> s.key().equals(key)).findFirst().orElse(null);
    }

    /** This file with {@code other}'s shapes replacing those of the same key and added after the rest; {@code other}'s device and date. */
    public TuningFile merge(TuningFile other) {
        Map<String, Shape> byKey = new LinkedHashMap<>();
        shapes.forEach(s -> byKey.put(s.key(), s));
        other.shapes.forEach(s -> byKey.put(s.key(), s));
        return new TuningFile(FORMAT, other.device, other.date, new ArrayList<>(byKey.values()), other.overall != null ? other.overall : overall);
    }

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    public String toJson() {
        return GSON.toJson(this);
    }

    /** The default place of a device's file under {@code dir}. */
    public static Path defaultPath(Path dir, Device device) {
        return dir.resolve(device.slug() + ".json");
    }

    /**
     * Reads a tuning file for {@code device}. A file that is not a tuning file, or one for another device, is one
     * {@link IllegalArgumentException} naming the file.
     */
    public static TuningFile read(Path file, Device device) throws IOException {
        TuningFile t = read(file);
        if (!t.device.sameDevice(device)) {
            throw new IllegalArgumentException("tuning file " + file + " is for device " + t.device + ", not " + device
                    + ": tune this device (relu-tornado tune) or pass its own file with --tuning");
        }
        return t;
    }

    /** Reads a tuning file whatever its device; a corrupt one is an {@link IllegalArgumentException} naming the file. */
    public static TuningFile read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("tuning file " + file + " does not exist", e);
        }
        try {
            TuningFile t = GSON.fromJson(text, TuningFile.class);
            if (t == null) {
                throw new IllegalArgumentException("it is empty");
            }
            return t;
        } catch (RuntimeException e) {
            // a JSON syntax error, or a record constructor's rejection (Gson wraps those in a plain RuntimeException)
            throw new IllegalArgumentException("tuning file " + file + " is not a readable tuning file (format " + FORMAT + "): "
                    + rootMessage(e), e);
        }
    }

    /**
     * Writes this file's shapes into {@code file} atomically: a file already there for the same device is updated in place
     * (shapes of the same key replaced, the others kept); one for another device, or a corrupt one, is an error, not
     * overwritten.
     */
    public TuningFile writeMerged(Path file) throws IOException {
        TuningFile out = Files.exists(file) ? read(file, device).merge(this) : this;
        AtomicFiles.writeString(file, out.toJson() + "\n");
        return out;
    }

    /** SHA-256 of a file's bytes, hex, for run.json. */
    public static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
