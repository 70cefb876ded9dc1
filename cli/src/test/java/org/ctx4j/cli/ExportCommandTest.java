package org.ctx4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ctx4j.core.TextualContext;
import org.ctx4j.core.TopKTexts;
import org.ctx4j.testing.DemoData;
import org.ctx4j.testing.TinyClipModels;
import org.ctx4j.testing.TinyClipSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ctx4j build --compact} followed by {@code ctx4j export} gives the original layout. */
class ExportCommandTest {
  @TempDir Path tmp;

  @Test
  void compactBuildExportsToTheOriginalLayoutWithTheSameContexts() {
    Path out = buildDemo(6, 5, "--top-k", "3", "--compact");

    Path exported = tmp.resolve("txt_ctx_full.hdf5");
    CliRun export =
        CliRun.of(
            "export", "--compact", out.resolve("txt_ctx.hdf5").toString(), "--out",
            exported.toString());
    assertThat(export.exitCode()).as(export.toString()).isZero();
    assertThat(export.out()).contains("exported 6 images");

    try (TextualContext compact = TextualContext.open(out.resolve("txt_ctx.hdf5"));
        TextualContext full = TextualContext.open(exported)) {
      assertThat(full.ids()).containsExactly(compact.ids());
      for (long id : compact.ids()) {
        TopKTexts a = compact.topK(id, "nine", 8, 3);
        TopKTexts b = full.topK(id, "nine", 8, 3);
        assertThat(b.texts()).isEqualTo(a.texts());
        assertThat(b.scores()).isEqualTo(a.scores());
        assertThat(b.features()).isDeepEqualTo(a.features());
      }
    }
  }

  @Test
  void exportingAFileInTheOriginalLayoutIsAUserError() {
    Path out = buildDemo(4, 6, "--top-k", "2");

    CliRun export =
        CliRun.of(
            "export", "--compact", out.resolve("txt_ctx.hdf5").toString(), "--out",
            tmp.resolve("x.hdf5").toString());
    assertThat(export.exitCode()).as(export.toString()).isEqualTo(Ctx4jCli.USER_ERROR);
    assertThat(export.err()).contains("already in the original layout").doesNotContain("\tat ");
  }

  /** Builds generated demo data with a tiny model through the CLI; returns the output folder. */
  private Path buildDemo(int images, long seed, String... options) {
    DemoData.Layout data = DemoData.write(tmp.resolve("data"), images, seed);
    Path model = TinyClipModels.write(tmp.resolve("model"), TinyClipSpec.tiny(), seed);
    Path out = tmp.resolve("out");
    List<String> args =
        new ArrayList<>(
            List.of(
                "build", "--coco", data.cocoRoot().toString(), "--vg",
                data.attributesJson().getParent().toString(), "--model", model.toString(),
                "--out", out.toString()));
    args.addAll(List.of(options));
    CliRun build = CliRun.of(args.toArray(String[]::new));
    assertThat(build.exitCode()).as(build.toString()).isZero();
    return out;
  }
}
