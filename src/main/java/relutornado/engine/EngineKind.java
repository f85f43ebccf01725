package relutornado.engine;

import java.util.Locale;

/** {@code --engine}: which {@link Engine} runs the kernels; {@link #toString()} is the flag value. */
public enum EngineKind {
    /** The kernels as plain sequential Java: the reference. */
    JAVA,
    /** A team of threads on sub-ranges, with the Vector API CPU variants unless {@code --cpu-kernels plain}. */
    JAVA_PARALLEL,
    /** TornadoVM (only in builds made against an SDK). */
    TORNADO;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
