package relutornado.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import relutornado.report.Reports;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write report.html (self-contained: figures inline, no network) into a run folder (run.json) or a study "
                + "folder (cells/ID run folders); the figures are also written as PNG files.")
final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "a folder written by 'train --out', or a study folder")
    Path dir;

    @Override
    public Integer call() throws IOException {
        System.out.println("wrote " + Reports.writeReport(dir));
        return 0;
    }
}
