package org.ctx4j.benchmarks.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code benchmarks/gpu/check.sh --dry-run}: the GPU check's every step on the CPU at toy sizes,
 * through the script itself, so that it still runs when a GPU is finally lent.
 */
class GpuCheckDryRunTest {
  @TempDir Path work;

  @Test
  void dryRunPrintsTheSummaryTableWithAFigureForEveryCheck() throws Exception {
    Path script = Path.of("").toAbsolutePath().getParent().resolve("benchmarks/gpu/check.sh");
    ProcessBuilder pb =
        new ProcessBuilder("bash", script.toString(), "--dry-run", work.toString())
            .redirectErrorStream(true);
    pb.environment().put("CTX4J_CLASSPATH", System.getProperty("java.class.path"));
    pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":"
        + System.getenv("PATH"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    assertThat(out)
        .as(out)
        .contains("dry run on the CPU")
        .containsPattern("\\| CLIP tiny image encode, FP16, batch 16 \\| [\\d,]+ images/s \\|")
        .containsPattern("\\| CLIP tiny image encode, FP32, batch 16 \\| [\\d,]+ images/s \\|")
        .containsPattern("\\| exact top-16 over 20,000 keys .* \\| [\\d,]+ queries/s; first 64"
            + " queries equal the CPU index's bits \\|")
        .containsPattern("\\| 24-image build \\(CPU index\\) \\| [\\d.]+ images/s, limited by ");
  }
}
