package org.ctx4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ctx4j.testing.DemoData;
import org.ctx4j.testing.TinyClipModels;
import org.ctx4j.testing.TinyClipSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User errors: exit code 2, one line naming the problem, no stack trace. */
class CliUserErrorsTest {
  @TempDir static Path shared;
  @TempDir Path tmp;
  private static Path data;
  private static Path model;

  @BeforeAll
  static void generate() {
    data = shared.resolve("data");
    DemoData.write(data, 6, 3);
    model = TinyClipModels.write(shared.resolve("model"), TinyClipSpec.tiny(), 3);
  }

  private static void assertUserError(CliRun run, String... fragments) {
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(Ctx4jCli.USER_ERROR);
    assertThat(run.err()).as(run.toString()).contains(fragments).doesNotContain("\tat ");
  }

  private CliRun build(String... extra) {
    String[] base = {"build", "--model", model.toString(), "--out", tmp.resolve("out").toString()};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return CliRun.of(args);
  }

  @Test
  void missingCocoAnnotations() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("coco"));
    assertUserError(
        build("--coco", empty.toString(), "--vg", data.resolve("visual_genome").toString()),
        "captions_train2014.json");
  }

  @Test
  void malformedAnnotationJson() throws IOException {
    Path coco = tmp.resolve("coco");
    Files.createDirectories(coco.resolve("annotations"));
    Files.writeString(coco.resolve("annotations/captions_val2014.json"), "{\"images\": [ {\"id\": ");
    assertUserError(
        build("--coco", coco.toString(), "--vg", data.resolve("visual_genome").toString()),
        "captions_val2014.json");
  }

  @Test
  void imageFolderWithoutImages() throws IOException {
    Path folder = Files.createDirectories(tmp.resolve("images"));
    assertUserError(
        build("--images", folder.toString(), "--vg", data.resolve("visual_genome").toString()),
        folder.toString());
  }

  @Test
  void visualGenomeWithoutCaptions() throws IOException {
    Path vg = Files.createDirectories(tmp.resolve("vg"));
    Files.writeString(vg.resolve("attributes.json"), "[]");
    Files.writeString(vg.resolve("relationships.json"), "[]");
    assertUserError(build("--vg", vg.toString(), "--stages", "caption-db"), "caption db would be empty");
  }

  @Test
  void missingVisualGenomeFile() throws IOException {
    Path vg = Files.createDirectories(tmp.resolve("vg"));
    Files.writeString(vg.resolve("attributes.json"), "[]");
    assertUserError(build("--vg", vg.toString(), "--stages", "caption-db"), "relationships.json");
  }

  @Test
  void modelDirectoryMissingAFile() throws IOException {
    Path broken = tmp.resolve("model");
    Files.createDirectories(broken);
    try (var files = Files.list(model)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (!f.getFileName().toString().equals("config.json")) {
          Files.copy(f, broken.resolve(f.getFileName().toString()));
        }
      }
    }
    CliRun run =
        CliRun.of(
            "build", "--model", broken.toString(), "--out", tmp.resolve("out").toString(),
            "--vg", data.resolve("visual_genome").toString(), "--stages", "caption-db");
    assertUserError(run, "config.json");
  }

  @Test
  void aUriOfAnotherFileSystemIsForTheSparkJob() {
    assertUserError(
        CliRun.of("build", "--model", model.toString(), "--out", "hdfs://namenode:8020/ctx",
            "--coco", data.resolve("coco").toString()),
        "--out hdfs://namenode:8020/ctx", "Spark job");
    assertUserError(
        CliRun.of("build", "--model", model.toString(), "--out", tmp.resolve("o").toString(),
            "--coco", "s3a://bucket/coco"),
        "--coco s3a://bucket/coco", "Spark job");
    assertUserError(
        CliRun.of("build", "--model", "hdfs://namenode:8020/clip", "--out",
            tmp.resolve("o").toString(), "--vg", data.resolve("visual_genome").toString()),
        "--model hdfs://namenode:8020/clip", "Spark job");
  }

  @Test
  void unknownCropAndBadShard() {
    assertUserError(
        build("--coco", data.resolve("coco").toString(), "--crops", "whole,six"), "six");
    assertUserError(build("--coco", data.resolve("coco").toString(), "--shard", "4/4"), "4/4");
  }

  @Test
  void retrievalFlagsOutOfPlaceNameTheFlagAndTheValidValues() {
    String coco = data.resolve("coco").toString();
    assertUserError(build("--coco", coco, "--index", "hnsw"), "--index 'hnsw'", "exact or ivf");
    assertUserError(build("--coco", coco, "--nprobe", "4"), "--nlist and --nprobe", "--index ivf");
    assertUserError(build("--coco", coco, "--index", "ivf", "--nlist", "0"), "--nlist 0");
    assertUserError(build("--coco", coco, "--key-precision", "fp8"), "--key-precision 'fp8'");
    assertUserError(
        build("--coco", coco, "--index", "ivf", "--key-precision", "fp16"), "exact index");
    assertUserError(build("--coco", coco, "--retrieval-device", "tpu"), "auto, cpu, gpu or gpu:N");
    assertUserError(
        build("--coco", coco, "--retrieval-device", "gpu", "--key-precision", "bf16"),
        "exact with fp32 keys");
  }

  @Test
  void unknownBackendNamesTheValidOnes() {
    assertUserError(
        build("--coco", data.resolve("coco").toString(), "--backend", "tensorrt"),
        "--backend 'tensorrt'", "auto, java, onnx or pytorch");
  }

  @Test
  void unknownLongTextRuleNamesTheValidOnes() {
    assertUserError(
        build("--coco", data.resolve("coco").toString(), "--long-texts", "cut"),
        "--long-texts 'cut'", "keep-end-token", "as-xmodal-ctx");
  }

  @Test
  void noImagesGiven() {
    assertUserError(build(), "--coco DIR or --images DIR");
  }

  @Test
  void inspectOfAnEmptyDirectory() {
    assertUserError(CliRun.of("inspect", "--dir", tmp.toString()), "vis_ctx.hdf5");
  }
}
