package relutornado.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import relutornado.engine.KernelVariants.Family;
import relutornado.engine.tuning.Candidates;
import relutornado.engine.tuning.TuningFile.Candidate;

/**
 * The tuner's order: every shape's plain and defaults first, then the device's own family swept over every shape,
 * then the other families, each round by the shapes' weight in a training step.
 */
class TunerOrderTest {

    @Test
    void defaultsFirstThenTheHeaviestShapesSweep() {
        List<String> models = List.of("ffnn", "cnn");
        List<Tuner.Shape> shapes = Tuner.shapes(models);
        List<Map.Entry<Tuner.Shape, Candidate>> work = Tuner.work(shapes, models, 1024, Family.TILES);
        // round 1: each shape's plain kernel before any shape's second candidate of a family
        int firstRest = roundOne(shapes).size();
        assertEquals(roundOne(shapes), new java.util.HashSet<>(work.subList(0, firstRest)), "round 1 comes first");
        long plains = work.subList(0, firstRest).stream().filter(e -> e.getValue().family().equals("plain")).count();
        assertEquals(shapes.size(), plains, "every shape's plain kernel in round 1");
        // then the device's own family's sweeps by weight, heaviest first
        Map<String, Integer> calls = JvmTuner.stepCalls(models);
        int ownEnd = firstRest;
        while (ownEnd < work.size() && work.get(ownEnd).getValue().family().equals("tiles")) {
            ownEnd++;
        }
        assertTrue(work.subList(ownEnd, work.size()).stream().noneMatch(e -> e.getValue().family().equals("tiles")), "tiles sweeps all come first");
        List<Tuner.Shape> order = new ArrayList<>(new LinkedHashSet<>(work.subList(firstRest, ownEnd).stream().map(Map.Entry::getKey).toList()));
        for (int i = 1; i < order.size(); i++) {
            assertTrue(Tuner.stepWeight(order.get(i - 1), calls) >= Tuner.stepWeight(order.get(i), calls),
                    order.get(i - 1).key() + " before " + order.get(i).key());
        }
        // the paper CNN's convolutions outweigh the FFNN's dense products, so a CNN shape's sweep comes first
        assertTrue(order.get(0).kernel().startsWith("Conv2d"), "first sweep: " + order.get(0).key());
        // evaluation-only shapes (no training call) come after every training shape
        assertEquals(0.0, Tuner.stepWeight(order.get(order.size() - 1), calls));
        assertEquals(shapes.size(), order.size(), "every shape has a tiles sweep");
    }

    /** On a CPU device the vector family is swept over every shape it fits before any shape's other families. */
    @Test
    void aCpuDeviceSweepsTheVectorFamilyFirst() {
        List<String> models = List.of("ffnn", "cnn");
        List<Tuner.Shape> shapes = Tuner.shapes(models);
        List<Map.Entry<Tuner.Shape, Candidate>> work = Tuner.work(shapes, models, 1024, Family.VECTOR);
        int lastVector = -1;
        int firstOtherSweep = work.size();
        for (int i = 0; i < work.size(); i++) {
            Map.Entry<Tuner.Shape, Candidate> e = work.get(i);
            boolean roundOne = roundOne(shapes).contains(e);
            if (e.getValue().family().equals("vector")) {
                lastVector = i;
            } else if (!roundOne) {
                firstOtherSweep = Math.min(firstOtherSweep, i);
            }
        }
        assertTrue(lastVector < firstOtherSweep, "last vector candidate at " + lastVector + ", first other sweep at " + firstOtherSweep);
    }

    /** A shape whose default vector tile does not fit (the 10-class layer) has the nearest fitting tile in round 1. */
    @Test
    void aNarrowShapeGetsTheNearestFittingTileInRoundOne() {
        List<Tuner.Shape> shapes = Tuner.shapes(List.of("ffnn"));
        Tuner.Shape narrow = shapes.stream().filter(s -> s.key().equals("Dense.forward 256x10x512")).findFirst().orElseThrow();
        List<Candidate> first = Tuner.roundOne(narrow, Candidates.forDevice(narrow.call().method(), narrow.product(), 1024));
        assertTrue(first.stream().anyMatch(c -> c.family().equals("plain")), "plain: " + first);
        assertTrue(first.contains(new Candidate("vector", Map.of("rows", 6, "width", 8, "vecs", 1), null)), "6x8x1 stands in for 6x16x1: " + first);
        assertEquals(1, first.stream().filter(c -> c.family().equals("vector")).count(), "one vector candidate: " + first);
        Tuner.Shape wide = shapes.stream().filter(s -> s.key().equals("Dense.forward 256x512x512")).findFirst().orElseThrow();
        assertTrue(Tuner.roundOne(wide, Candidates.forDevice(wide.call().method(), wide.product(), 1024))
                .contains(new Candidate("vector", Map.of("rows", 6, "width", 16, "vecs", 1), null)), "the default where it fits");
    }

    static java.util.Set<Map.Entry<Tuner.Shape, Candidate>> roundOne(List<Tuner.Shape> shapes) {
        java.util.Set<Map.Entry<Tuner.Shape, Candidate>> set = new java.util.HashSet<>();
        for (Tuner.Shape s : shapes) {
            Tuner.roundOne(s, Candidates.forDevice(s.call().method(), s.product(), 1024)).forEach(c -> set.add(Map.entry(s, c)));
        }
        return set;
    }
}
