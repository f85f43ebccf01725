package relutornado.engine;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import relutornado.kernels.Activation;
import relutornado.kernels.Dense;
import relutornado.kernels.Dropout;
import relutornado.kernels.Loss;

/**
 * Pairs of consecutive calls that one kernel does in one pass, for engines where a task costs more than its kernel (a
 * TornadoVM 5.2 OpenCL task waits for the one before it: one host round trip each). A fused kernel gives the same floats
 * as the pair. Where the fused kernel never writes the array the first call hands the second (the ReLU/dropout pairs),
 * a pair is fused only where nothing else reads that array: no other call of the phase touches it, it is a
 * {@link Program.Role#WORK} buffer, and every other phase that uses it writes it (through the first kernel) before
 * anything reads it. The others write all the pair writes (the backward pair with the bias gradient after it, a head's
 * forward and backward). Fusion repeats until nothing changes, so a fused call can fuse again.
 */
public final class Fusions {
    /**
     * {@code first} then {@code second}, where {@code second} reads as {@code secondIn} what {@code first} wrote as
     * {@code firstOut} (or, for two calls over the same rows, an array both read), become one call of {@code fused}
     * with the arguments {@code args} builds from the two calls. With {@code keeps} the fused kernel still writes
     * everything the pair writes (others may read it later); without, it never writes the array between them, and the
     * pair fuses only where nothing else reads it. {@code fits} says whether the two calls' ranges and sizes suit the
     * fused kernel.
     */
    public record Fusion(Method first, String firstOut, Method second, String secondIn, Method fused, boolean keeps,
                         BiPredicate<KernelArgs, KernelArgs> fits, BiFunction<KernelArgs, KernelArgs, Object[]> args) {
        public String name() {
            return KernelCall.describe(first) + " + " + KernelCall.describe(second) + " → " + KernelCall.describe(fused);
        }
    }

    private static final BiPredicate<KernelArgs, KernelArgs> SAME_RANGE = (a, b) -> a.start() == b.start() && a.count() == b.count();

    private static final List<Fusion> FUSIONS = List.of(
            new Fusion(kernel(Activation.class, "reluForward"), "out", kernel(Dropout.class, "forward"), "in",
                    kernel(Dropout.class, "reluForward"), false, SAME_RANGE,
                    (relu, drop) -> new Object[] {drop.get("out"), drop.get("mask"), relu.get("in"), drop.get("rng"), drop.get("layer"),
                        drop.get("rate"), drop.start(), drop.count()}),
            new Fusion(kernel(Dropout.class, "backward"), "dIn", kernel(Activation.class, "reluBackward"), "dOut",
                    kernel(Dropout.class, "reluBackward"), false, SAME_RANGE,
                    (drop, relu) -> new Object[] {relu.get("dIn"), drop.get("dOut"), drop.get("mask"), relu.get("in"), relu.start(), relu.count()}),
            // the fused backward pair above, then the dense layer's bias gradient from the same array (a whole batch)
            new Fusion(kernel(Dropout.class, "reluBackward"), "dIn", kernel(Dense.class, "backwardBias"), "dOut",
                    kernel(Dropout.class, "reluBackwardBias"), true,
                    (relu, bias) -> relu.start() == 0 && relu.count() == bias.size("N") * bias.size("OC") && bias.start() == 0
                            && bias.count() == bias.size("OC"),
                    (relu, bias) -> new Object[] {relu.get("dIn"), bias.get("grads"), relu.get("dOut"), relu.get("mask"), relu.get("in"),
                        bias.get("bOff"), bias.get("N"), bias.get("OC"), bias.start(), bias.count()}),
            // the heads: forward and backward read the same logits (neither reads what the other writes), row by row
            new Fusion(kernel(Loss.class, "softmaxForward"), "logits", kernel(Loss.class, "softmaxBackward"), "logits",
                    kernel(Loss.class, "softmaxForwardBackward"), true, SAME_RANGE,
                    (fwd, bwd) -> new Object[] {fwd.get("rowLoss"), fwd.get("rowPred"), bwd.get("dLogits"), fwd.get("logits"), fwd.get("labels"),
                        fwd.get("batch"), fwd.get("K"), fwd.start(), fwd.count()}),
            new Fusion(kernel(Loss.class, "reluHeadForward"), "logits", kernel(Loss.class, "reluHeadBackward"), "logits",
                    kernel(Loss.class, "reluHeadForwardBackward"), true, SAME_RANGE,
                    (fwd, bwd) -> new Object[] {fwd.get("rowLoss"), fwd.get("rowPred"), fwd.get("rowDead"), bwd.get("dLogits"), fwd.get("logits"),
                        fwd.get("labels"), fwd.get("batch"), fwd.get("K"), fwd.start(), fwd.count()}));

    private Fusions() {
    }

    /** Every fusion, in the order {@link #fuse} tries them. */
    public static List<Fusion> all() {
        return FUSIONS;
    }

    /**
     * A phase of {@code program} with each fusable pair of consecutive calls replaced by its fused call (named
     * "first+second"), pass after pass, so that a fused call can fuse again with the call after it.
     */
    public static List<KernelCall> fuse(Program program, String phase) {
        List<KernelCall> calls = program.phase(phase);
        while (true) {
            List<KernelCall> out = new ArrayList<>();
            for (int i = 0; i < calls.size(); i++) {
                KernelCall fused = i + 1 < calls.size() ? fused(program, phase, calls, i) : null;
                if (fused != null) {
                    out.add(fused);
                    i++;
                } else {
                    out.add(calls.get(i));
                }
            }
            if (out.size() == calls.size()) {
                return out;
            }
            calls = out;
        }
    }

    private static KernelCall fused(Program program, String phase, List<KernelCall> calls, int i) {
        KernelCall a = calls.get(i);
        KernelCall b = calls.get(i + 1);
        for (Fusion f : FUSIONS) {
            if (!a.method().equals(f.first()) || !b.method().equals(f.second())) {
                continue;
            }
            KernelArgs first = KernelArgs.of(a);
            KernelArgs second = KernelArgs.of(b);
            Object via = first.get(f.firstOut());
            if (via != second.get(f.secondIn()) || !f.fits().test(first, second)
                    || !f.keeps() && !onlyThrough(program, phase, via, a, b, f)) {
                continue;
            }
            return new KernelCall(a.name() + "+" + b.name(), f.fused(), f.args().apply(first, second));
        }
        return null;
    }

    /** Whether {@code via} is a WORK array that only the pair reads in {@code phase} and that other phases write first. */
    private static boolean onlyThrough(Program program, String phase, Object via, KernelCall a, KernelCall b, Fusion f) {
        Program.Buffer buffer = program.buffer(via);
        if (buffer == null || buffer.role() != Program.Role.WORK) {
            return false;
        }
        for (Map.Entry<String, List<KernelCall>> p : program.phases().entrySet()) {
            boolean fusing = p.getKey().equals(phase);
            boolean written = false;
            for (KernelCall c : p.getValue()) {
                if (fusing && (c == a || c == b) || written || !uses(c, via)) {
                    continue;
                }
                if (fusing || !c.method().equals(f.first()) || KernelArgs.of(c).get(f.firstOut()) != via) {
                    return false;
                }
                written = true;
            }
        }
        return true;
    }

    private static boolean uses(KernelCall c, Object array) {
        for (Object x : c.args()) {
            if (x == array) {
                return true;
            }
        }
        return false;
    }

    private static Method kernel(Class<?> owner, String name) {
        for (Method m : owner.getMethods()) {
            if (m.getName().equals(name)) {
                return m;
            }
        }
        throw new IllegalStateException("no kernel " + owner.getSimpleName() + "." + name);
    }
}
