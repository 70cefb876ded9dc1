package org.ctx4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ctx4j.clip.ClipModel;
import org.ctx4j.core.ProgressListener;
import org.ctx4j.testing.DemoData;
import org.ctx4j.testing.TinyClipModels;
import org.ctx4j.testing.TinyClipSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code build --shard i/n} from the command line, merged, gives the same files as one build; a
 * malformed shard is a one-line error; {@code inspect} shows what a directory holds: the caption
 * db, shard files, {@code .partial} progress and the build settings.
 */
class ShardAndInspectCliTest {
  private static final int IMAGES = 11;

  @TempDir static Path shared;
  @TempDir Path tmp;
  private static Path data;
  private static Path model;

  @BeforeAll
  static void generate() {
    data = shared.resolve("data");
    DemoData.write(data, IMAGES, 31);
    model = TinyClipModels.write(shared.resolve("model"), TinyClipSpec.tiny(), 31);
  }

  private static CliRun build(Path out, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "build",
                "--coco", data.resolve("coco").toString(),
                "--vg", data.resolve("visual_genome").toString(),
                "--model", model.toString(),
                "--out", out.toString()));
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  private static CliRun ok(CliRun run) {
    assertThat(run.exitCode()).as(run.toString()).isZero();
    return run;
  }

  @Test
  void threeShardsFromTheCommandLineMergeToTheBytesOfOneBuild() throws IOException {
    Path whole = tmp.resolve("whole");
    ok(build(whole));
    Path sharded = tmp.resolve("sharded");
    ok(build(sharded, "--stages", "caption-db"));
    for (String shard : List.of("2/3", "0/3", "1/3")) {
      ok(build(sharded, "--shard", shard, "--stages", "visual,textual"));
    }
    assertThat(sharded.resolve("vis_ctx.shard-1-of-3.hdf5")).exists();

    CliRun inspect = ok(CliRun.of("inspect", "--dir", sharded.toString()));
    assertThat(inspect.out())
        .as(inspect.toString())
        .contains("shard 0/3 (ctx4j-build.shard-0-of-3.json): finished visual, textual")
        .contains("shard 2/3 (ctx4j-build.shard-2-of-3.json)")
        .containsPattern("caption_db\\.hdf5 +\\d+ captions")
        .containsPattern("txt_ctx\\.shard-1-of-3\\.hdf5 +[34] images")
        .contains("image model: model (sha256:")
        .contains("no finished vis_ctx.hdf5 or txt_ctx.hdf5");

    ok(CliRun.of("merge", "--dir", sharded.toString()));
    for (String file : List.of("caption_db.hdf5", "vis_ctx.hdf5", "txt_ctx.hdf5")) {
      assertThat(Files.readAllBytes(sharded.resolve(file)))
          .as(file + " merged from three shards vs one build")
          .isEqualTo(Files.readAllBytes(whole.resolve(file)));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"3/3", "-1/3", "0/0", "1", "a/3", "1/2/3", "1/-2"})
  void malformedShardIsAOneLineErrorNamingTheValue(String shard) {
    CliRun run = build(tmp.resolve("out"), "--shard", shard, "--stages", "visual,textual");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(Ctx4jCli.USER_ERROR);
    assertThat(run.err().strip().lines()).as(run.toString()).hasSize(1);
    assertThat(run.err()).as(run.toString()).contains("'" + shard + "'", "0 <= i < n");
    assertThat(tmp.resolve("out")).doesNotExist();
  }

  /** A failed build leaves .partial files; inspect says how far each got; the rerun ends them. */
  @Test
  void inspectShowsAnUnfinishedBuildAndWhatARerunKeeps() {
    Path out = tmp.resolve("out");
    ProgressListener failAtSixthImage =
        (task, done) -> {
          if (task.equals("images") && done == 6) {
            throw new IllegalStateException("stop here");
          }
        };
    try (ClipModel clip = ClipModel.load(model)) {
      assertThatThrownBy(
              () ->
                  DemoBuilds.builder(data, clip, out)
                      .batchSize(2)
                      .progress(failAtSixthImage)
                      .build())
          .hasStackTraceContaining("stop here");
    }
    CliRun partial = ok(CliRun.of("inspect", "--dir", out.toString()));
    Matcher m =
        Pattern.compile("vis_ctx\\.hdf5\\.partial +unfinished: (\\d+) images complete")
            .matcher(partial.out());
    assertThat(m.find()).as(partial.toString()).isTrue();
    assertThat(Integer.parseInt(m.group(1))).isBetween(1, 6);
    assertThat(partial.out())
        .contains("build (ctx4j-build.json): finished caption-db")
        .contains("txt_ctx.hdf5.partial");

    ok(build(out));
    CliRun finished = ok(CliRun.of("inspect", "--dir", out.toString()));
    assertThat(finished.out())
        .doesNotContain(".partial")
        .containsPattern("vis_ctx\\.hdf5 +" + IMAGES + " images")
        .contains("finished caption-db, visual, textual")
        .contains("top 4 of five crop 2");
  }
}
