package org.ctx4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ctx4j.clip.ClipModel;
import org.ctx4j.testing.DemoData;
import org.ctx4j.testing.TinyClipModels;
import org.ctx4j.testing.TinyClipSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build gives the same bytes whatever its batch size, thread count or resume point (issue
 * "Trust"): real tiny CLIP on DJL, real HDF5 files compared byte for byte.
 */
class SameBytesTest {
  private static final int IMAGES = 21;
  private static final List<String> FILES = List.of("caption_db.hdf5", "vis_ctx.hdf5", "txt_ctx.hdf5");

  @TempDir static Path dir;
  private static Path data;
  private static Path model;
  private static Path reference;

  @BeforeAll
  static void referenceBuild() {
    data = dir.resolve("data");
    DemoData.write(data, IMAGES, 23);
    model = TinyClipModels.write(dir.resolve("model"), TinyClipSpec.tiny(), 23);
    reference = dir.resolve("reference");
    build(reference, 8, 2, 16);
  }

  private static void build(Path out, int batchSize, int threads, int captionBatchSize) {
    try (ClipModel clip = ClipModel.load(model)) {
      DemoBuilds.builder(data, clip, out)
          .batchSize(batchSize)
          .threads(threads)
          .captionBatchSize(captionBatchSize)
          .build();
    }
  }

  @Test
  void batchSizes1To17AndThreads1To4GiveByteIdenticalFiles() throws IOException {
    for (int batch = 1; batch <= 17; batch++) {
      int threads = 1 + batch % 4;
      int captionBatch = 1 + 7 * batch % 40;
      Path out = dir.resolve("batch-" + batch);
      build(out, batch, threads, captionBatch);
      assertSameBytes(
          out,
          "batch size " + batch + ", " + threads + " threads, caption batch " + captionBatch);
    }
  }

  /**
   * Kills a child build with SIGKILL when it reports a given point of progress — drawn across the
   * whole run: during the caption db, at every part of the image pass, inside the last batch —
   * then resumes it to the end with another batch size, and compares bytes.
   */
  @Test
  void killAndResumeAtPointsAcrossTheRunGivesByteIdenticalFiles() throws Exception {
    long seed = Long.getLong("ctx4j.test.seed", 20261202L);
    SplittableRandom random = new SplittableRandom(seed);
    List<String> points = new ArrayList<>();
    points.add("progress captions 16");
    points.add("progress images " + (IMAGES - 1)); // inside the last batch of 5
    points.add("progress images 1");
    random.ints(2, IMAGES - 1).distinct().limit(3).forEach(n -> points.add("progress images " + n));
    for (int i = 0; i < points.size(); i++) {
      String point = points.get(i);
      Path out = dir.resolve("killed-" + i);
      assertThat(runUntil(out, 5, point)).as("child reached '%s' before ending", point).isTrue();
      assertThat(runUntil(out, 3, null)).as("resumed build finished").isFalse();
      assertSameBytes(out, "killed at '" + point + "' (seed " + seed + "), resumed");
    }
  }

  /** Runs a child build; kills it when it prints {@code killAt} (returns true) or lets it end. */
  private static boolean runUntil(Path out, int batchSize, String killAt) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("-Dctx4j.hdf5.syncIntervalMillis=0");
    command.add("-Dai.djl.offline=true");
    command.add(BuildUntilKilledMain.class.getName());
    command.addAll(
        List.of(data.toString(), model.toString(), out.toString(), Integer.toString(batchSize), "2"));
    // stderr (the log) to a file: on one pipe, a log line could split a progress line.
    Path stderr = out.resolveSibling(out.getFileName() + ".log");
    Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    StringBuilder log = new StringBuilder();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        log.append(line).append('\n');
        if (line.equals(killAt)) {
          p.destroyForcibly().waitFor();
          return true;
        }
      }
    }
    int exit = p.waitFor();
    assertThat(exit)
        .as("child exit; output:%n%s%nlog:%n%s", log, Files.readString(stderr))
        .isZero();
    return false;
  }

  private static void assertSameBytes(Path out, String context) throws IOException {
    for (String f : FILES) {
      assertThat(Files.mismatch(reference.resolve(f), out.resolve(f)))
          .as("%s: %s differs from the reference build at byte", context, f)
          .isEqualTo(-1L);
    }
  }
}
