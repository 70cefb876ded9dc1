package org.ctx4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * Kills a forked {@code ctx4j build} with SIGKILL at random moments, reruns the same command until
 * it finishes, and compares the files with an uninterrupted build through our readers.
 */
class ResumeAfterKillTest {
  private static final int IMAGES = 24;

  @TempDir Path dir;

  @Test
  void killedBuildRerunGivesTheSameFilesAsAnUninterruptedOne() throws Exception {
    long seed = Long.getLong("ctx4j.test.seed", System.nanoTime());
    SplittableRandom random = new SplittableRandom(seed);
    System.out.println("ResumeAfterKillTest seed " + seed + " (replay with -Dctx4j.test.seed=" + seed + ")");
    Path data = dir.resolve("data");
    DemoData.write(data, IMAGES, 11);
    Path model = TinyClipModels.write(dir.resolve("model"), TinyClipSpec.tiny(), 11);

    Path reference = dir.resolve("reference");
    assertThat(fork(buildArgs(data, model, reference)).waitFor()).isZero();

    Path resumed = dir.resolve("resumed");
    Path partial = resumed.resolve("txt_ctx.hdf5.partial");
    List<Long> killedAfter = new ArrayList<>();
    int killsDuringImagePass = 0;
    for (int attempt = 0; attempt < 3; attempt++) {
      Process p = fork(buildArgs(data, model, resumed));
      long t0 = System.nanoTime();
      long delay;
      if (attempt == 0) {
        // Inside the image pass: 0..150 ms after the first run creates the partial file. The
        // pass over 24 images takes ~0.5 s on a quiet machine since the encoder stopped paying
        // for a fresh native buffer per call, so a wider window often let the run finish first.
        while (p.isAlive() && !Files.exists(partial)) {
          Thread.sleep(5);
        }
        delay = random.nextLong(150);
      } else {
        // Anywhere: start-up, caption db check, image pass, or after the end.
        delay = 500 + random.nextLong(8000);
      }
      if (!p.waitFor(delay, TimeUnit.MILLISECONDS)) {
        boolean inPass = Files.exists(partial);
        p.destroyForcibly().waitFor();
        killedAfter.add((System.nanoTime() - t0) / 1_000_000);
        if (inPass) {
          killsDuringImagePass++;
        }
      }
    }
    Process last = fork(buildArgs(data, model, resumed));
    int exit = last.waitFor();
    String log = Files.readString(lastLog, StandardCharsets.UTF_8);
    assertThat(exit)
        .as("seed %d, killed after %s ms; last run:%n%s", seed, killedAfter, log)
        .isZero();

    assertSameFiles(reference, resumed, "seed " + seed + ", killed after " + killedAfter + " ms");
    assertThat(killsDuringImagePass).as("seed %d: no kill hit the image pass", seed).isPositive();
    System.out.printf(
        "ResumeAfterKillTest: seed %d, killed after %s ms (from process start)%n",
        seed, killedAfter);
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

  private Path lastLog;

  private Process fork(List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("-Dctx4j.hdf5.syncIntervalMillis=50");
    command.add("-Dctx4j.relaunch=false"); // SIGKILL must reach the build itself
    command.add("-Dai.djl.offline=true");
    command.add(Ctx4jCli.class.getName());
    command.addAll(args);
    lastLog = dir.resolve("fork-" + System.nanoTime() + ".log");
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(lastLog.toFile())
        .start();
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
