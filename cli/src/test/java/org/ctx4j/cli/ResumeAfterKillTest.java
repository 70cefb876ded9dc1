package org.ctx4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ctx4j.hdf5.CropResult;
import org.ctx4j.hdf5.CropSpec;
import org.ctx4j.hdf5.TextualContextFile;
import org.ctx4j.hdf5.VisualContextFile;
import org.ctx4j.testing.DemoData;
import org.ctx4j.testing.TinyClipModels;
import org.ctx4j.testing.TinyClipSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a forked {@code ctx4j build} with SIGKILL when its own progress lines reach chosen points
 * (caption db, seeded points of the image pass, its end), reruns the same command each time and
 * once more to the end, and compares the files with an uninterrupted build through our readers.
 */
class ResumeAfterKillTest {
  private static final int IMAGES = 24;

  @TempDir Path dir;

  @Test
  void killedBuildRerunGivesTheSameFilesAsAnUninterruptedOne() throws Exception {
    long seed = Long.getLong("ctx4j.test.seed", 20261203L);
    SplittableRandom random = new SplittableRandom(seed);
    System.out.println("ResumeAfterKillTest seed " + seed + " (replay with -Dctx4j.test.seed=" + seed + ")");
    Path data = dir.resolve("data");
    DemoData.write(data, IMAGES, 11);
    Path model = TinyClipModels.write(dir.resolve("model"), TinyClipSpec.tiny(), 11);

    Path reference = dir.resolve("reference");
    StringBuilder referenceLog = new StringBuilder();
    assertThat(runToEnd(buildArgs(data, model, reference), referenceLog))
        .as("uninterrupted build:%n%s", referenceLog)
        .isZero();

    // Kill points, in the order the reruns reach them (a rerun counts only the images it does):
    // the caption db stage, seeded points of the image pass in two runs, and the end of a pass
    // before the files are renamed.
    List<KillPoint> points =
        List.of(
            new KillPoint("captions", 0),
            new KillPoint("images", 1 + random.nextInt(IMAGES / 2)),
            new KillPoint("images", 1 + random.nextInt(IMAGES / 4)),
            new KillPoint("images", Integer.MAX_VALUE));
    Path resumed = dir.resolve("resumed");
    List<String> killedAt = new ArrayList<>();
    for (KillPoint point : points) {
      Process p = fork(buildArgs(data, model, resumed));
      String line = point.awaitIn(p);
      assertThat(line).as("seed %d: the run ended before %s", seed, point).isNotNull();
      p.destroyForcibly().waitFor();
      killedAt.add(line.substring(line.indexOf(point.task)).split(",")[0]);
    }
    StringBuilder log = new StringBuilder();
    assertThat(runToEnd(buildArgs(data, model, resumed), log))
        .as("seed %d, killed at %s; last run:%n%s", seed, killedAt, log)
        .isZero();

    assertSameFiles(reference, resumed, "seed " + seed + ", killed at " + killedAt);
    System.out.printf("ResumeAfterKillTest: seed %d, killed at %s%n", seed, killedAt);
  }

  /**
   * The first progress line "task: done/total ..." of a run whose done count reaches {@code
   * atLeast}, or its total (the task's last step).
   */
  private record KillPoint(String task, int atLeast) {
    String awaitIn(Process p) throws IOException {
      BufferedReader r = p.inputReader(StandardCharsets.UTF_8);
      Pattern step = Pattern.compile("progress - " + task + ": (\\d+)/(\\d+)");
      String line;
      while ((line = r.readLine()) != null) {
        Matcher m = step.matcher(line);
        if (m.find()) {
          int done = Integer.parseInt(m.group(1));
          if (done >= Math.min(atLeast, Integer.parseInt(m.group(2)))) {
            return line;
          }
        }
      }
      return null;
    }
  }

  private static List<String> buildArgs(Path data, Path model, Path out) {
    return List.of(
        "build",
        "--coco", data.resolve("coco").toString(),
        "--vg", data.resolve("visual_genome").toString(),
        "--model", model.toString(),
        "--out", out.toString(),
        "--batch-size", "2",
        "--threads", "2");
  }

  /** Runs a build to its end, its output (read as it comes, so the pipe never fills) into log. */
  private static int runToEnd(List<String> args, StringBuilder log)
      throws IOException, InterruptedException {
    Process p = fork(args);
    try (BufferedReader r = p.inputReader(StandardCharsets.UTF_8)) {
      r.lines().forEach(l -> log.append(l).append('\n'));
    }
    return p.waitFor();
  }

  private static Process fork(List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("-Dctx4j.hdf5.syncIntervalMillis=50");
    command.add("-Dctx4j.progressIntervalMillis=0"); // a progress line for every step
    command.add("-Dctx4j.relaunch=false"); // SIGKILL must reach the build itself
    command.add("-Dai.djl.offline=true");
    command.add(Ctx4jCli.class.getName());
    command.addAll(args);
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  static void assertSameFiles(Path expected, Path actual, String context) {
    try (VisualContextFile a = VisualContextFile.open(expected.resolve("vis_ctx.hdf5"));
        VisualContextFile b = VisualContextFile.open(actual.resolve("vis_ctx.hdf5"))) {
      assertThat(b.ids()).as(context).containsExactly(a.ids());
      for (long id : a.ids()) {
        assertThat(b.features(id)).as(context + ": vis %d", id).containsExactly(a.features(id));
      }
    }
    try (TextualContextFile a = TextualContextFile.open(expected.resolve("txt_ctx.hdf5"));
        TextualContextFile b = TextualContextFile.open(actual.resolve("txt_ctx.hdf5"))) {
      assertThat(b.ids()).as(context).containsExactly(a.ids());
      assertThat(b.crops()).as(context).isEqualTo(a.crops());
      for (long id : a.ids()) {
        for (CropSpec crop : a.crops()) {
          for (int c = 0; c < crop.count(); c++) {
            CropResult x = a.topK(id, crop.name(), c, crop.k());
            CropResult y = b.topK(id, crop.name(), c, crop.k());
            String what = context + ": " + id + "/" + crop.name() + "[" + c + "]";
            assertThat(y.texts()).as(what).isEqualTo(x.texts());
            assertThat(y.scores()).as(what).containsExactly(x.scores());
            for (int j = 0; j < crop.k(); j++) {
              assertThat(y.features()[j]).as(what).containsExactly(x.features()[j]);
            }
          }
        }
      }
    }
  }

}
