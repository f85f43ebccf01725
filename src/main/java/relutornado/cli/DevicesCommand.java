package relutornado.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import relutornado.engine.Engines;
import relutornado.engine.JavaEngine;
import relutornado.engine.ParallelJavaEngine;

@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List the engines and TornadoVM devices: indices, backend, runtime, platform, name, type, memory, "
                + "driver, IL. --device takes the indices or a name pattern BACKEND[:TEXT] (spirv:pocl, opencl:nvidia).")
final class DevicesCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("java           " + new JavaEngine().device());
        // as a java-parallel run makes it: the GEMM tile from -D, this CPU's tuning file or the width rule, and which
        try (ParallelJavaEngine p = ParallelJavaEngine.tuned(Runtime.getRuntime().availableProcessors(),
                ParallelJavaEngine.vectorApiPresent(), null)) {
            System.out.println("java-parallel  " + p.device());
        }
        System.out.println("tornado:");
        for (String line : Engines.tornadoDevices()) {
            System.out.println("  " + line);
        }
        return 0;
    }
}
