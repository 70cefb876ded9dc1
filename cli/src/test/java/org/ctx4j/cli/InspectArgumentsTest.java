package org.ctx4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.ctx4j.clip.ClipModel;
import org.ctx4j.testing.DemoData;
import org.ctx4j.testing.TinyClipModels;
import org.ctx4j.testing.TinyClipSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inspect} refuses what the Java API refuses — an unknown crop, a crop index or k out of
 * range — with one line naming the value and the range, rc 2, and prints nothing of the file;
 * round 1 printed the whole crop, crop 8 or 16 texts instead, with rc 0.
 */
class InspectArgumentsTest {
  @TempDir static Path dir;
  private static Path out;

  @BeforeAll
  static void build() {
    Path data = dir.resolve("data");
    DemoData.write(data, 4, 5);
    Path model = TinyClipModels.write(dir.resolve("model"), TinyClipSpec.tiny(), 5);
    out = dir.resolve("out");
    try (ClipModel clip = ClipModel.load(model)) {
      DemoBuilds.builder(data, clip, out).topK(16).build();
    }
  }

  private static CliRun inspect(String... extra) {
    String[] base = {"inspect", "--dir", out.toString()};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return CliRun.of(args);
  }

  private static void assertOneLineError(CliRun run, String... fragments) {
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(Ctx4jCli.USER_ERROR);
    assertThat(run.err().strip().lines()).as(run.toString()).hasSize(1);
    assertThat(run.err()).as(run.toString()).contains(fragments);
    assertThat(run.out()).as("nothing of txt_ctx printed").doesNotContain("txt_ctx.hdf5");
  }

  @Test
  void anUnknownCropNamesTheValidOnes() {
    assertOneLineError(inspect("--crop", "fivee"), "fivee", "whole", "five", "nine");
  }

  @Test
  void aCropIndexOutOfRangeNamesTheRange() {
    assertOneLineError(inspect("--crop", "nine", "--index", "9"), "crop index (9)", "[0, 8]");
  }

  @Test
  void kAboveWhatIsStoredNamesTheRange() {
    assertOneLineError(inspect("-k", "100"), "100", "16");
  }

  @Test
  void validArgumentsPrintTheRequestedTexts() {
    CliRun run = inspect("--crop", "nine", "--index", "8", "-k", "3");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("top 3 of nine crop 8");
  }
}
