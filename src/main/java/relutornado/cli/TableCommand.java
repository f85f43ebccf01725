package relutornado.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import relutornado.io.AtomicFiles;
import relutornado.report.PaperTable;

@Command(name = "table", mixinStandardHelpOptions = true,
        description = "Collect the result.csv of run folders into one table beside the paper's numbers.")
final class TableCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "folders written by 'train --out'")
    List<Path> runs;
    @Option(names = "--out", description = "write the Markdown table here (default: print it)")
    Path out;

    @Override
    public Integer call() throws IOException {
        List<PaperTable.Row> rows = new ArrayList<>();
        for (Path run : runs) {
            Path file = run.resolve("result.csv");
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(run + ": no result.csv (not a finished 'train --out' folder)");
            }
            rows.add(PaperTable.readResult(file));
        }
        String table = PaperTable.markdown(rows);
        if (out == null) {
            System.out.print(table);
        } else {
            AtomicFiles.writeString(out, table);
            System.out.println("wrote " + out);
        }
        return 0;
    }
}
