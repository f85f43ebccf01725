package relutornado.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import relutornado.report.RunReport;

/**
 * The ReLU head's class deaths over a run: which classes are dead after the current model's last validated epoch,
 * and every death in order (a class that revives and dies again is counted again). A checkpoint saves both.
 */
final class ClassDeaths {
    private final Set<Integer> deadNow = new TreeSet<>();
    private final List<RunReport.ClassDeath> deaths = new ArrayList<>();

    /** A fresh model: no class is dead yet (earlier deaths stay recorded). */
    void freshModel() {
        deadNow.clear();
    }

    /** Continues a run from a checkpoint: the deaths it recorded. */
    void restoreDeaths(List<RunReport.ClassDeath> recorded) {
        deaths.clear();
        deaths.addAll(recorded);
    }

    /** Continues the checkpoint's model: the classes dead at its last validated epoch. */
    void restoreDeadNow(int[] dead) {
        deadNow.clear();
        for (int k : dead) {
            deadNow.add(k);
        }
    }

    /** Records the classes that died in this epoch, with one warning line each. */
    void note(UnitActivity a, List<String> classNames, int fold, int epoch, int valRows) {
        if (a.head() == null) {
            return;
        }
        Set<Integer> dead = new TreeSet<>(a.head().deadUnits());
        for (int k : dead) {
            if (!deadNow.contains(k)) {
                deaths.add(new RunReport.ClassDeath(classNames.get(k), k, fold, epoch));
                System.err.printf(Locale.ROOT, "warning: class %d (%s) died in fold %d epoch %d: its ReLU output is 0 "
                        + "for all %d validation rows%n", k, classNames.get(k), fold, epoch, valRows);
            }
        }
        deadNow.clear();
        deadNow.addAll(dead);
    }

    int[] deadNow() {
        return deadNow.stream().mapToInt(Integer::intValue).toArray();
    }

    List<RunReport.ClassDeath> deaths() {
        return List.copyOf(deaths);
    }
}
