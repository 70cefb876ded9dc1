package org.ctx4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.ctx4j.testing.TinyClipModels;
import org.ctx4j.testing.TinyClipSpec;
import org.ctx4j.testing.DemoData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build whose output directory fills up, on a real full file system: a tmpfs a few hundred
 * kilobytes large, mounted for the test (CI runs as root; so does the dev container). The kernel
 * answers ENOSPC exactly as a full disk does, which a simulated failure would only imitate.
 */
class DiskFullTest {
  private static final int IMAGES = 40;
  private static final String SYNC_PROPERTY = "ctx4j.hdf5.syncIntervalMillis";

  @TempDir Path dir;
  private Path mounted;

  @BeforeEach
  void commitOften() {
    // Commit every 20 ms as a long build does every 5 s, so the disk fills during the image pass
    // (with some images durable) and not only when the files are finalised.
    System.setProperty(SYNC_PROPERTY, "20");
  }

  @AfterEach
  void unmount() throws Exception {
    System.clearProperty(SYNC_PROPERTY);
    if (mounted != null) {
      // Lazy: the caption db's keys may still be memory-mapped by this JVM until a GC.
      run("umount", "-l", mounted.toString());
    }
  }

  @Test
  void aFullDiskIsAOneLineErrorSayingWhatTheRestNeedsAndARerunResumesOnceThereIsSpace()
      throws Exception {
    Path data = dir.resolve("data");
    DemoData.write(data, IMAGES, 21);
    Path model = TinyClipModels.write(dir.resolve("model"), TinyClipSpec.tiny(), 21);
    Path reference = dir.resolve("reference");
    CliRun full = CliRun.of(buildArgs(data, model, reference));
    assertThat(full.exitCode()).as(full.toString()).isZero();
    long captionDb = Files.size(reference.resolve("caption_db.hdf5"));
    long contexts =
        Files.size(reference.resolve("txt_ctx.hdf5")) + Files.size(reference.resolve("vis_ctx.hdf5"));

    // Room for the caption db and about a third of the context files.
    Path out = dir.resolve("out");
    Files.createDirectories(out);
    mountTmpfs(out, captionDb + contexts / 3);

    CliRun first = CliRun.of(buildArgs(data, model, out));
    assertOutOfSpace(first, out);
    long usedAtFailure = usedBytes(out);
    long estimate = neededBytes(first.err());

    CliRun again = CliRun.of(buildArgs(data, model, out));
    assertOutOfSpace(again, out);

    // Grow the file system: the rerun resumes and ends with the same files as one build.
    run("mount", "-o", "remount,size=" + (captionDb + 4 * contexts + (1 << 20)), out.toString());
    CliRun resumed = CliRun.of(buildArgs(data, model, out));
    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    ResumeAfterKillTest.assertSameFiles(reference, out, "after a full disk");

    // The estimate is of the right size: what the rest of the build really added.
    long added = usedBytes(out) - usedAtFailure;
    System.out.printf(
        "DiskFullTest: %s; estimate %d bytes, the rerun added %d%n", first.err().strip(), estimate, added);
    assertThat(estimate).as("estimate vs %d bytes added", added).isBetween(added / 2, added * 2);
  }

  @Test
  void aDiskFullWhileBuildingTheCaptionDbSaysItsSizeAndThatTheRerunRebuildsIt() throws Exception {
    Path data = dir.resolve("data");
    DemoData.write(data, 4, 22);
    Path model = TinyClipModels.write(dir.resolve("model"), TinyClipSpec.tiny(), 22);
    Path out = dir.resolve("out");
    Files.createDirectories(out);
    mountTmpfs(out, 12 * 1024); // the manifest fits, the caption db (~40 KiB) does not

    CliRun run = CliRun.of(buildArgs(data, model, out));
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(Ctx4jCli.USER_ERROR);
    assertThat(run.err().strip().lines()).as(run.toString()).hasSize(1);
    assertThat(run.err())
        .as(run.toString())
        .contains("no space left on device writing " + out.resolve("caption_db.hdf5"))
        .containsPattern("needs about [0-9.]+ KiB more for caption_db.hdf5 \\([0-9]+ captions\\)")
        .contains("builds the caption db again");
  }

  private static void assertOutOfSpace(CliRun run, Path out) {
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(Ctx4jCli.USER_ERROR);
    assertThat(run.err()).as(run.toString()).doesNotContain("\tat ");
    assertThat(run.err().strip().lines()).as(run.toString()).hasSize(1);
    assertThat(run.err())
        .as(run.toString())
        .contains("no space left on device")
        .contains(out.toString())
        .containsPattern("needs about [0-9.]+ (B|KiB|MiB) more \\([0-9]+ images?: ")
        .contains("rerun");
  }

  private static long neededBytes(String err) {
    Matcher m = Pattern.compile("needs about ([0-9.]+) (B|KiB|MiB) more").matcher(err);
    assertThat(m.find()).as(err).isTrue();
    int shift = List.of("B", "KiB", "MiB").indexOf(m.group(2));
    return (long) (Double.parseDouble(m.group(1)) * (1L << (10 * shift)));
  }

  private static long usedBytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      long sum = 0;
      for (Path f : files.toList()) {
        sum += Files.size(f);
      }
      return sum;
    }
  }

  private void mountTmpfs(Path at, long bytes) throws Exception {
    long rounded = (bytes + 4095) / 4096 * 4096;
    run("mount", "-t", "tmpfs", "-o", "size=" + rounded, "tmpfs", at.toString());
    mounted = at;
  }

  /** Runs a command; fails the test (never skips) with what it printed if it fails. */
  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor())
        .as("%s: %s (mounting a tmpfs needs root: CI and the dev container run as root)",
            String.join(" ", command), output)
        .isZero();
    return output.strip();
  }

  private static String[] buildArgs(Path data, Path model, Path out) {
    return List.of(
            "build",
            "--coco", data.resolve("coco").toString(),
            "--vg", data.resolve("visual_genome").toString(),
            "--model", model.toString(),
            "--out", out.toString(),
            "--batch-size", "4",
            "--threads", "2")
        .toArray(String[]::new);
  }
}
