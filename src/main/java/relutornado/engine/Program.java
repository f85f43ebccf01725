package relutornado.engine;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an engine runs: named phases (ordered kernel calls) over registered arrays, each with a
 * role that tells a device engine when to move it. This is the one seam between the network and
 * the engines: the JVM engines call the kernels in order; the TornadoVM engine turns each phase into
 * a TaskGraph with the STATE arrays resident on the device.
 */
public final class Program {

    /** How an array moves between host and device. */
    public enum Role {
        /** Copied to the device once, kept there across executions, copied back by {@code syncState()}: weights, Adam moments, accumulators. */
        STATE,
        /** Written by the host before every execution: the batch, labels, step counters. */
        INPUT,
        /** Read by the host after every execution: per-row loss and predictions. */
        OUTPUT,
        /** Only the kernels read and write it: activations, gradients. */
        WORK
    }

    /** A registered array. */
    public record Buffer(String name, Object array, Role role) {
        public long bytes() {
            return array instanceof float[] f ? 4L * f.length : 4L * ((int[]) array).length;
        }
    }

    private final String name;
    private final Map<Object, Buffer> buffers = new IdentityHashMap<>();
    private final List<Buffer> order = new ArrayList<>();
    private final Map<String, List<KernelCall>> phases = new LinkedHashMap<>();

    public Program(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Registers an array; returns it for inline use. */
    public <T> T buffer(String bufferName, T array, Role role) {
        if (!(array instanceof float[]) && !(array instanceof int[])) {
            throw new IllegalArgumentException("buffer " + bufferName + " must be float[] or int[]");
        }
        if (buffers.containsKey(array)) {
            throw new IllegalArgumentException("buffer " + bufferName + " is already registered as "
                    + buffers.get(array).name());
        }
        Buffer b = new Buffer(bufferName, array, role);
        buffers.put(array, b);
        order.add(b);
        return array;
    }

    /** Adds a phase; every array its calls use must be registered. */
    public void phase(String phaseName, List<KernelCall> calls) {
        if (phases.containsKey(phaseName)) {
            throw new IllegalArgumentException("phase " + phaseName + " already defined in " + name);
        }
        for (KernelCall call : calls) {
            for (Object a : call.args()) {
                if ((a instanceof float[] || a instanceof int[]) && !buffers.containsKey(a)) {
                    throw new IllegalArgumentException("kernel call " + call.name() + " in phase " + phaseName
                            + " uses an array that is not registered in program " + name);
                }
            }
        }
        phases.put(phaseName, List.copyOf(calls));
    }

    public List<KernelCall> phase(String phaseName) {
        List<KernelCall> calls = phases.get(phaseName);
        if (calls == null) {
            throw new IllegalArgumentException("program " + name + " has no phase '" + phaseName + "' (has " + phases.keySet() + ")");
        }
        return calls;
    }

    public Map<String, List<KernelCall>> phases() {
        return java.util.Collections.unmodifiableMap(phases);
    }

    public List<Buffer> buffers() {
        return List.copyOf(order);
    }

    public Buffer buffer(Object array) {
        return buffers.get(array);
    }

    /** Buffers used by one phase, in registration order. */
    public List<Buffer> buffersOf(String phaseName) {
        java.util.Set<Object> used = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (KernelCall call : phase(phaseName)) {
            for (Object a : call.args()) {
                if (a instanceof float[] || a instanceof int[]) {
                    used.add(a);
                }
            }
        }
        return order.stream().filter(b -> used.contains(b.array())).toList();
    }
}
