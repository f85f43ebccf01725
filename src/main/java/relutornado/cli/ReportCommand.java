package relutornado.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import relutornado.report.Reports;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write report.html (self-contained: figures inline, no network) into a run folder (run.json) or a study "
                + "folder (cells/ID run folders); with RUN_DIRs, a study-style page over those runs into DIR (e.g. one run per "
                + "device, as compare-devices.sh does). The figures are also written as PNG files.")
final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "a folder written by 'train --out', a study folder, or where to "
            + "write the page over RUN_DIRs")
    Path dir;
    @Parameters(index = "1..*", arity = "0..*", paramLabel = "RUN_DIR", description = "run folders to put on one page")
    List<Path> runs;

    @Override
    public Integer call() throws IOException {
        Path page = runs == null || runs.isEmpty() ? Reports.writeReport(dir) : Reports.writeStudyReport(dir, runs);
        System.out.println("wrote " + page);
        return 0;
    }
}
