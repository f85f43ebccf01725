package relutornado.cli;

import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import relutornado.data.DataFormatException;
import relutornado.train.NonFiniteException;

/**
 * {@code relu-tornado}: train, devices, table, compare, report, study (run, status, merge) and device-check; every
 * command's flags are in docs/usage.md.
 */
@Command(name = "relu-tornado", mixinStandardHelpOptions = true, version = "relu-tornado 0.1.0",
        description = "DL-ReLU (Agarap 2018) vs softmax heads, on the JVM and TornadoVM devices.",
        subcommands = {TrainCommand.class, DevicesCommand.class, TableCommand.class, CompareCommand.class, ReportCommand.class,
                StudyCommand.class, DeviceCheckCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI; bad flags and bad inputs become a one-line error and exit code 2, not a stack trace. */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        // later flags win, so scripts can pass defaults and users override them
        cl.setOverwrittenOptionsAllowed(true);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // picocli names the flag: "Invalid value for option '--head': expected one of [SOFTMAX, RELU] (case-insensitive) but was 'x'"
        cl.setParameterExceptionHandler((ex, a) -> error(ex.getCommandLine(), ex));
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof NonFiniteException) {
                error(cmd, ex);
                return NonFiniteException.EXIT_CODE;
            }
            if (ex instanceof IllegalArgumentException || ex instanceof IllegalStateException
                    || ex instanceof UncheckedIOException || ex instanceof DataFormatException) {
                return error(cmd, ex);
            }
            throw ex;
        });
        return cl.execute(args);
    }

    private static int error(CommandLine cmd, Exception ex) {
        cmd.getErr().println("relu-tornado: " + ex.getMessage());
        cmd.getErr().flush();
        if (System.getenv("RELU_TORNADO_DEBUG") != null) {
            ex.printStackTrace(cmd.getErr());
        }
        return 2;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
