package relutornado.engine;

import relutornado.engine.tuning.TunedKernels;

import java.util.Map;

/**
 * Runs programs. Implementations: {@code java} (sequential reference), {@code java-parallel}
 * (multi-core), {@code tornado} (TornadoVM; src/tornado/java, compiled only under the {@code tornado}
 * Maven profile). Nothing outside the engines asks which one is running.
 */
public interface Engine extends AutoCloseable {

    /** The engine's flag value: java, java-parallel, tornado. */
    String name();

    /** The device it runs on, in words (for reports). */
    String device();

    /**
     * What ran per kernel and product and where each choice came from (the tuning file, its SHA-256, or the default
     * rule), for run.json; null for an engine that has no choice to make.
     */
    default TunedKernels.Record kernelChoices() {
        return null;
    }

    /** The TornadoVM device it runs on (backend, runtime, platform, driver, IL), or null for the JVM engines. */
    default DeviceInfo deviceInfo() {
        return null;
    }

    /** Prepares a program: for a device engine, compiles it and moves its STATE arrays to the device. */
    Session open(Program program);

    @Override
    default void close() {
    }

    /** A prepared program. Its STATE arrays belong to the engine until {@link #syncState()}. */
    interface Session extends AutoCloseable {
        /** Runs one phase: INPUT arrays are read from the host before it, OUTPUT arrays are on the host after it. */
        void run(String phase);

        /** Copies the STATE arrays back to the host. */
        void syncState();

        /**
         * Profiler figures accumulated since the last call (kernel, copy-in, copy-out, compile times in
         * ns; bytes), then reset. Empty when the engine has no profiler or profiling is off.
         */
        default Map<String, Double> takeProfile() {
            return Map.of();
        }

        /**
         * Device kernel time per task (the kernel call's name) in ns, summed over the executions since the last
         * call, then reset. Empty when the engine has no profiler or profiling is off.
         */
        default Map<String, Double> takeTaskProfile() {
            return Map.of();
        }

        /**
         * The kernel each task of {@link #takeTaskProfile} ran ({@code Class.method}), where the engine replaced or
         * split the program's calls; empty when every task ran the program's own kernel.
         */
        default Map<String, String> taskKernels() {
            return Map.of();
        }

        @Override
        void close();
    }
}
