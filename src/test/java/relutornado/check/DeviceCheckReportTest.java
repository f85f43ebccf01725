package relutornado.check;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import relutornado.engine.DeviceKernels;

/** A kernel the device refused is marked in the table and its error is listed under Problems, beside the kernels that ran. */
class DeviceCheckReportTest {
    @Test
    void aRefusedKernelIsMarkedAndItsErrorListed() {
        DeviceCheckReport r = new DeviceCheckReport(List.of("0:0  SPIRV ..."), List.of("spirv:pocl"), List.of(DeviceKernels.PLAIN));
        r.add(new DeviceCheckReport.Figure("spirv:pocl", "plain", "kernels", "dense forward", "max_rel_error", 0.0));
        r.add(new DeviceCheckReport.Figure("spirv:pocl", "plain", "kernels", "conv2d backward weights", "max_rel_error", Double.NaN));
        r.note("spirv:pocl plain: kernel conv2d backward weights refused: llvm-spirv: Id used twice");
        String md = r.markdown(1.0);
        assertTrue(md.contains("| dense forward | 0.0e+00 |"), md);
        assertTrue(md.contains("| conv2d backward weights | refused ✗ |"), md);
        assertTrue(md.contains("- spirv:pocl plain: kernel conv2d backward weights refused: llvm-spirv: Id used twice"), md);
        assertTrue(r.anyKernelWrong(), "a refused kernel is not a passed one");
    }
}
