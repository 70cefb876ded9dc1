package org.ctx4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.ctx4j.testing.TinyClipModels;
import org.ctx4j.testing.TinyClipSpec;
import org.ctx4j.testing.DemoData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A legal 108-Mpx JPEG (12000×9000) and three 12-Mpx ones among normal demo images, built by a
 * forked {@code ctx4j build} with {@code -Xmx256m} and four decode threads: the 12-Mpx images
 * (≈110 MB each to decode) must wait for each other instead of decoding at once, and the 108-Mpx
 * one (≈1 GB) is a bad image naming the heap it needs. Never an {@code OutOfMemoryError}.
 */
class LargeImageMemoryTest {
  private static final String PYTHON = "/usr/bin/python3";
  private static final int IMAGES = 10;

  @TempDir static Path dir;
  static Path data;
  static Path model;
  static long hugeId;
  static List<Long> allIds = new ArrayList<>();

  @BeforeAll
  static void writeData() throws IOException {
    data = dir.resolve("data");
    DemoData.write(data, IMAGES, 5);
    model = TinyClipModels.write(dir.resolve("model"), TinyClipSpec.tiny(), 5);
    List<Path> files;
    try (Stream<Path> s = Files.list(data.resolve("coco/train2014"))) {
      files = s.sorted().collect(Collectors.toList());
    }
    try (Stream<Path> s = Files.list(data.resolve("coco/val2014"))) {
      s.forEach(f -> allIds.add(idOf(f)));
    }
    files.forEach(f -> allIds.add(idOf(f)));
    // Overwrite demo images in place: the COCO annotations don't record sizes we depend on.
    uniformJpeg(files.get(1), 12000, 9000);
    hugeId = idOf(files.get(1));
    for (int i = 2; i < 5; i++) {
      uniformJpeg(files.get(i), 4000, 3000);
    }
  }

  @Test
  void withSkipBadTheHugeImageIsSkippedAndEveryOtherImageIsBuilt() throws Exception {
    Path out = dir.resolve("skip");
    Run run = buildAt256m(out, "--skip-bad");

    assertThat(run.log).doesNotContain("OutOfMemoryError");
    assertThat(run.exitCode).as(run.log).isZero();
    List<String> skipped = Files.readAllLines(out.resolve("skipped.tsv"));
    assertThat(skipped).hasSize(2);
    assertThat(skipped.get(1))
        .startsWith(hugeId + "\t")
        .contains("12000x9000 pixels (108.0 Mpx)")
        .containsPattern("heap of at least [0-9,]+ MiB \\(java -Xmx[0-9]+[mg]\\)")
        .contains("this JVM has 256 MiB");

    List<Long> expected = allIds.stream().filter(id -> id != hugeId).sorted().toList();
    assertThat(h5pyIds(out.resolve("vis_ctx.hdf5"))).isEqualTo(expected);
    assertThat(h5pyIds(out.resolve("txt_ctx.hdf5"))).isEqualTo(expected);
  }

  @Test
  void withoutSkipBadTheHugeImageIsAOneLineErrorNamingItsSizeAndTheHeapItNeeds()
      throws Exception {
    Path out = dir.resolve("strict");
    Run run = buildAt256m(out);

    assertThat(run.log).doesNotContain("OutOfMemoryError").doesNotContain("\tat ");
    assertThat(run.exitCode).as(run.log).isEqualTo(Ctx4jCli.USER_ERROR);
    assertThat(run.log)
        .containsPattern(
            "ctx4j: error: bad image "
                + hugeId
                + " \\(.*COCO_train2014_0*"
                + hugeId
                + "\\.jpg\\): image of 12000x9000 pixels \\(108\\.0 Mpx\\) needs about [0-9,]+ MiB"
                + " of heap .* \\(java -Xmx[0-9]+[mg]\\), but this JVM has 256 MiB");
    System.out.println("LargeImageMemoryTest: " + run.log.lines().filter(l -> l.startsWith("ctx4j: error")).findFirst().orElse(""));
    // What was written before the bad image stays resumable.
    assertThat(out.resolve("vis_ctx.hdf5.partial")).exists();
  }

  private record Run(int exitCode, String log) {}

  private static Run buildAt256m(Path out, String... extra) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("-Dai.djl.offline=true");
    command.add(Ctx4jCli.class.getName());
    command.addAll(
        List.of(
            "build",
            "--coco", data.resolve("coco").toString(),
            "--vg", data.resolve("visual_genome").toString(),
            "--model", model.toString(),
            "--out", out.toString(),
            "--batch-size", "2",
            "--threads", "4"));
    command.addAll(List.of(extra));
    Path log = dir.resolve(out.getFileName() + ".log");
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("build did not finish: " + Files.readString(log));
    }
    return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /** Image ids in a context file as h5py lists them, after reading every dataset in it. */
  private static List<Long> h5pyIds(Path file) throws Exception {
    String script =
        "import h5py, sys\n"
            + "with h5py.File(sys.argv[1], 'r') as f:\n"
            + "    f.visititems(lambda name, o: o[()] if isinstance(o, h5py.Dataset) else None)\n"
            + "    print(' '.join(sorted(f.keys(), key=int)))\n";
    Process p =
        new ProcessBuilder(PYTHON, "-c", script, file.toString()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor()).as(output).isZero();
    List<Long> ids = new ArrayList<>();
    for (String id : output.split(" ")) {
      ids.add(Long.parseLong(id));
    }
    return ids;
  }

  private static long idOf(Path file) {
    String name = file.getFileName().toString();
    return Long.parseLong(name.substring(name.lastIndexOf('_') + 1, name.indexOf('.')));
  }

  /** A mostly uniform JPEG: 12000×9000 compresses to well under a megabyte and encodes fast. */
  private static void uniformJpeg(Path file, int width, int height) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(120, 160, 90));
    g.fillRect(0, 0, width, height);
    g.setColor(new Color(200, 40, 40));
    g.fillRect(width / 4, height / 4, width / 2, height / 2);
    g.dispose();
    if (!ImageIO.write(image, "jpg", file.toFile())) {
      throw new IOException("no JPEG writer");
    }
  }
}
