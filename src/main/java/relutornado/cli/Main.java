package relutornado.cli;

import java.io.UncheckedIOException;
import picocli.CommandLine;
import java.util.LinkedHashSet;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import relutornado.data.DataFormatException;
import relutornado.engine.FlagWord;
import relutornado.train.NonFiniteException;

/**
 * {@code relu-tornado}, the commands: {@code train} (cross-validate and test one model), {@code study} (grids of train
 * runs, locally or on Slurm: run, status, merge), {@code devices} (the engines and TornadoVM devices),
 * {@code device-check} (every TornadoVM device's kernels checked and timed against the JVM), {@code tune} (a device's
 * kernel candidates timed per product shape into its tuning file), {@code table} (the
 * paper's table from run folders), {@code compare} (runs' epoch times and speed-ups side by side) and {@code report}
 * (one HTML page of a run); every
 * command's flags are in docs/usage.md.
 */
@Command(name = "relu-tornado", mixinStandardHelpOptions = true, version = "relu-tornado 0.1.0",
        description = "DL-ReLU (Agarap 2018) vs softmax heads, on the JVM and TornadoVM devices.",
        subcommands = {TrainCommand.class, DevicesCommand.class, TableCommand.class, CompareCommand.class, ReportCommand.class,
                StudyCommand.class, DeviceCheckCommand.class, TuneCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI; bad flags and bad inputs become a one-line error and exit code 2, not a stack trace. */
    public static int run(String... args) {
        CommandLine cl = commandLine(new Main());
        // picocli names the flag: "Invalid value for option '--head': expected one of [softmax, relu] but was 'x'"
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

    /**
     * A command line as the CLI parses it: later flags win (so scripts can pass defaults and users override them),
     * and every flag taking a fixed set of words (an enum, alone or in a list) is parsed by {@link FlagWord}, so
     * that each one's error names the flag and lists its words the same way.
     */
    static CommandLine commandLine(Object command) {
        CommandLine cl = new CommandLine(command);
        cl.setOverwrittenOptionsAllowed(true);
        Set<Class<?>> words = new LinkedHashSet<>();
        enumTypes(cl, words);
        for (Class<?> type : words) {
            register(cl, type.asSubclass(Enum.class));
        }
        return cl;
    }

    private static void enumTypes(CommandLine cl, Set<Class<?>> into) {
        for (OptionSpec o : cl.getCommandSpec().options()) {
            for (Class<?> t : o.auxiliaryTypes()) {
                if (t.isEnum()) {
                    into.add(t);
                }
            }
        }
        cl.getSubcommands().values().forEach(sub -> enumTypes(sub, into));
    }

    private static <E extends Enum<E>> void register(CommandLine cl, Class<E> type) {
        cl.registerConverter(type, value -> {
            try {
                return FlagWord.parse(type, value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        });
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
