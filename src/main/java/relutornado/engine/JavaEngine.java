package relutornado.engine;

import java.util.List;

/** The sequential reference: calls every kernel once over its whole range, exactly as written. */
public final class JavaEngine implements Engine {

    @Override
    public String name() {
        return "java";
    }

    @Override
    public String device() {
        return "JVM, 1 thread (" + System.getProperty("java.vm.name") + " " + Runtime.version() + ")";
    }

    @Override
    public Session open(Program program) {
        return new Session() {
            @Override
            public void run(String phase) {
                List<KernelCall> calls = program.phase(phase);
                for (KernelCall call : calls) {
                    call.invoke();
                }
            }

            @Override
            public void syncState() {
                // the arrays never left the host
            }

            @Override
            public void close() {
            }
        };
    }
}
