package relutornado.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import relutornado.io.AtomicFiles;
import relutornado.report.EpochRow;
import relutornado.report.RunReport;

/**
 * A run's training state between two epochs, enough to finish the run as if it had never stopped:
 * the parameters and Adam moments (as the host sees them after {@code syncState}), Adam's step, the
 * shuffle's position, and what finished epochs and folds measured.
 * <p>
 * Training is a sequence of units: the k CV folds (unit u is fold u + 1), then, with the sound protocol,
 * the final model (fold 0). The checkpoint says "unit {@code unit} has {@code epochsDone} epochs behind it";
 * {@code epochsDone == 0} is written between folds.
 *
 * @param settings       what the results depend on (the config without output folder and engine); a resume
 *                       with other settings is refused
 * @param unit           the unit to continue, 0-based
 * @param epochsDone     epochs of that unit already trained
 * @param step           Adam's step count
 * @param shuffleHistory rows shuffled per epoch so far (the shuffle is replayed, see {@link Trainer#restore})
 * @param foldAccuracies the CV folds' last validation accuracies; NaN for folds not finished
 * @param rows           the folds.csv rows of every epoch trained so far
 * @param deadNow        the ReLU head's classes dead after the current model's last validated epoch
 * @param deaths         every class death so far (run.json's dying-ReLU figures)
 */
public record Checkpoint(String settings, int unit, int epochsDone, int step, int[] shuffleHistory,
                         double[] foldAccuracies, List<EpochRow> rows, float[] params, float[] m, float[] v,
                         int[] deadNow, List<RunReport.ClassDeath> deaths) {

    /** The file in a run's output folder. */
    public static final String FILE = "checkpoint.bin";
    private static final int MAGIC = 0x52544350; // "RTCP"
    private static final int VERSION = 2;

    public Checkpoint {
        if (unit < 0 || epochsDone < 0 || step < 0) {
            throw new IllegalArgumentException("checkpoint: unit, epochs and step must be >= 0");
        }
        if (params.length != m.length || params.length != v.length) {
            throw new IllegalArgumentException("checkpoint: params, m and v differ in length");
        }
        rows = List.copyOf(rows);
        deaths = List.copyOf(deaths);
    }

    public static Path path(Path out) {
        return out.resolve(FILE);
    }

    /** Writes the checkpoint so that the file is the old one or the new one, never a torn one ({@link AtomicFiles}: temporary file, fsync, rename). */
    public void write(Path out) {
        Path file = path(out);
        try {
            AtomicFiles.write(file, os -> {
                DataOutputStream d = new DataOutputStream(new BufferedOutputStream(os, 1 << 16));
                writeTo(d);
                d.flush();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    /** The checkpoint in out, or null when there is none. */
    public static Checkpoint read(Path out) {
        Path file = path(out);
        try (InputStream in = Files.newInputStream(file)) {
            return readFrom(new DataInputStream(new BufferedInputStream(in, 1 << 16)));
        } catch (NoSuchFileException e) {
            return null;
        } catch (EOFException e) {
            throw new IllegalStateException("checkpoint " + file + " is truncated; delete it to start the run afresh");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    public static void delete(Path out) {
        try {
            Files.deleteIfExists(path(out));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete checkpoint in " + out + ": " + e.getMessage(), e);
        }
    }

    private void writeTo(DataOutputStream d) throws IOException {
        d.writeInt(MAGIC);
        d.writeInt(VERSION);
        byte[] s = settings.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        d.writeInt(s.length);
        d.write(s);
        d.writeInt(unit);
        d.writeInt(epochsDone);
        d.writeInt(step);
        d.writeInt(shuffleHistory.length);
        for (int n : shuffleHistory) {
            d.writeInt(n);
        }
        d.writeInt(foldAccuracies.length);
        for (double a : foldAccuracies) {
            d.writeDouble(a);
        }
        d.writeInt(rows.size());
        for (EpochRow r : rows) {
            d.writeInt(r.fold());
            d.writeInt(r.epoch());
            d.writeDouble(r.trainLoss());
            d.writeDouble(r.trainAcc());
            d.writeDouble(r.valLoss());
            d.writeDouble(r.valAcc());
            d.writeLong(r.deadOutputRows());
            d.writeInt(r.extra().size());
            for (Map.Entry<String, Double> e : r.extra().entrySet()) {
                d.writeUTF(e.getKey());
                d.writeBoolean(e.getValue() != null);
                d.writeDouble(e.getValue() == null ? Double.NaN : e.getValue());
            }
        }
        for (float[] a : new float[][] {params, m, v}) {
            d.writeInt(a.length);
            for (float x : a) {
                d.writeFloat(x);
            }
        }
        d.writeInt(deadNow.length);
        for (int k : deadNow) {
            d.writeInt(k);
        }
        d.writeInt(deaths.size());
        for (RunReport.ClassDeath c : deaths) {
            d.writeUTF(c.className());
            d.writeInt(c.index());
            d.writeInt(c.fold());
            d.writeInt(c.epoch());
        }
        d.writeInt(MAGIC);
    }

    private static Checkpoint readFrom(DataInputStream d) throws IOException {
        if (d.readInt() != MAGIC) {
            throw new IllegalStateException("not a relu-tornado checkpoint");
        }
        int version = d.readInt();
        if (version != VERSION) {
            throw new IllegalStateException("checkpoint version " + version + ", this build reads " + VERSION);
        }
        byte[] s = new byte[d.readInt()];
        d.readFully(s);
        int unit = d.readInt();
        int epochsDone = d.readInt();
        int step = d.readInt();
        int[] history = new int[d.readInt()];
        for (int i = 0; i < history.length; i++) {
            history[i] = d.readInt();
        }
        double[] acc = new double[d.readInt()];
        for (int i = 0; i < acc.length; i++) {
            acc[i] = d.readDouble();
        }
        int n = d.readInt();
        List<EpochRow> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int fold = d.readInt();
            int epoch = d.readInt();
            double tl = d.readDouble();
            double ta = d.readDouble();
            double vl = d.readDouble();
            double va = d.readDouble();
            long dead = d.readLong();
            int extras = d.readInt();
            Map<String, Double> extra = new LinkedHashMap<>();
            for (int j = 0; j < extras; j++) {
                String key = d.readUTF();
                boolean present = d.readBoolean();
                double value = d.readDouble();
                extra.put(key, present ? value : null);
            }
            rows.add(new EpochRow(fold, epoch, tl, ta, vl, va, dead, extra));
        }
        float[][] arrays = new float[3][];
        for (int a = 0; a < 3; a++) {
            arrays[a] = new float[d.readInt()];
            for (int i = 0; i < arrays[a].length; i++) {
                arrays[a][i] = d.readFloat();
            }
        }
        int[] deadNow = new int[d.readInt()];
        for (int i = 0; i < deadNow.length; i++) {
            deadNow[i] = d.readInt();
        }
        int nd = d.readInt();
        List<RunReport.ClassDeath> deaths = new ArrayList<>(nd);
        for (int i = 0; i < nd; i++) {
            deaths.add(new RunReport.ClassDeath(d.readUTF(), d.readInt(), d.readInt(), d.readInt()));
        }
        if (d.readInt() != MAGIC) {
            throw new IllegalStateException("checkpoint has a bad trailer");
        }
        return new Checkpoint(new String(s, java.nio.charset.StandardCharsets.UTF_8), unit, epochsDone, step, history,
                acc, rows, arrays[0], arrays[1], arrays[2], deadNow, deaths);
    }
}
