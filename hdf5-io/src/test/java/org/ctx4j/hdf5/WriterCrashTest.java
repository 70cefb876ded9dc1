package org.ctx4j.hdf5;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a forked writer with SIGKILL right after it reports an image chosen from a seeded random
 * sequence (the child goes on writing until the signal lands, so the kill falls anywhere in the
 * next writes), three times, then checks resume and the final content.
 */
class WriterCrashTest {
  @TempDir Path dir;

  private static final int IMAGES = 600;

  private Process startChild(Path file) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        List.of(
            java,
            "-Xmx256m",
            "-Dctx4j.hdf5.syncIntervalMillis=20",
            "-cp",
            System.getProperty("java.class.path"),
            CrashingWriterMain.class.getName(),
            file.toString(),
            Integer.toString(IMAGES));
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  @Test
  void killedWriterResumesAndFinalFileHoldsExactlyEveryImage() throws Exception {
    long seed = Long.getLong("ctx4j.test.seed", 20261203L);
    Random random = new Random(seed);
    Path file = dir.resolve("txt_ctx.hdf5");
    List<Integer> resumedCounts = new ArrayList<>();
    for (int attempt = 0; attempt < 3 && !file.toFile().exists(); attempt++) {
      Process child = startChild(file);
      BufferedReader lines =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String first = lines.readLine();
      assertThat(first).as("seed %s", seed).startsWith("resumed ");
      int resumed = Integer.parseInt(first.substring(8).trim());
      resumedCounts.add(resumed);
      // kill on the line of an image in the first third of what is left, so three kills fit
      int target = resumed + random.nextInt(Math.max(1, (IMAGES - resumed) / 3));
      String line;
      do {
        line = lines.readLine();
      } while (line != null && !line.equals("wrote " + target));
      assertThat(line).as("child ended before image %s (seed %s)", target, seed).isNotNull();
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      if (!file.toFile().exists()) {
        Path partial = dir.resolve("txt_ctx.hdf5.partial");
        if (PythonTools.python("open_must_fail.py", partial).exitCode() != 0) {
          // h5py opened it: the kill fell between close() writing the final superblock and the
          // rename, so the partial file must already be the whole, finished file.
          assertThat(PythonTools.dump("txt", partial, 0))
              .as("h5py opened the partial file, so it must hold every image (seed %s)", seed)
              .containsEntry("len", Integer.toString(IMAGES));
        }
      }
    }
    if (!file.toFile().exists()) {
      Process last = startChild(file);
      assertThat(last.waitFor(120, TimeUnit.SECONDS)).isTrue();
      String out = new String(last.getInputStream().readAllBytes());
      assertThat(last.exitValue()).as("child output: %s (seed %s)", out, seed).isZero();
    }
    System.out.println("crash test seed " + seed + ", images found on each resume: " + resumedCounts);
    assertThat(resumedCounts).as("seed %s", seed).isSorted().hasSizeGreaterThan(1);

    long[] ids = LongStream.range(0, IMAGES).toArray();
    Map<String, String> dump = PythonTools.dump("txt", file, 0, 1, 300, IMAGES - 1);
    assertThat(dump).as("seed %s", seed).containsEntry("len", Integer.toString(IMAGES));
    for (long id : new long[] {0, 1, 300, IMAGES - 1}) {
      for (CropContext c : SyntheticContexts.textual(SyntheticContexts.LAYOUT, id)) {
        CropSpec s = SyntheticContexts.LAYOUT.crop(c.crop()).orElseThrow();
        assertThat(dump.get(id + "/" + c.crop() + "/texts"))
            .isEqualTo(SyntheticContexts.texts(s, c.texts()));
        assertThat(dump.get(id + "/" + c.crop() + "/features"))
            .startsWith("<f4")
            .endsWith(SyntheticContexts.floats(new long[0], c.features(), 0, c.features().length).substring(5));
      }
    }
    assertThat(ids).hasSize(IMAGES);
    PythonTools.assertH5dumpReads(file);
  }
}
