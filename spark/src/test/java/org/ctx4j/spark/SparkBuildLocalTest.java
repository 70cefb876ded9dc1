package org.ctx4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.ctx4j.BuildSettingsException;
import org.ctx4j.clip.ClipModel;
import org.ctx4j.clip.retrieval.DjlTopKIndex;
import org.ctx4j.core.BuildReport;
import org.ctx4j.core.ContextBuilder;
import org.ctx4j.core.retrieval.IvfOptions;
import org.ctx4j.core.retrieval.RetrievalOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark build on a real {@code local[2]} engine writes the bytes of a one-machine {@link
 * ContextBuilder} build; reruns skip committed parts; bad images behave as on one machine; the
 * driver merges committed parts while later ones are built.
 */
class SparkBuildLocalTest {
  private static final int IMAGES = 13;
  private static final String HELD_PART = "shard-4-of-5";
  /** A bound for a failing run only: the waits of the merge-overlap test end on events. */
  private static final long FAIL_AFTER_SECONDS = 120;

  @TempDir static Path shared;
  @TempDir Path tmp;
  private static Path data;
  private static Path model;
  private static Path oneMachine;
  private static SparkSession spark;

  @BeforeAll
  static void setUp() {
    DemoBuilds.Fixture f = DemoBuilds.fixture(shared, IMAGES, 7, 7);
    data = f.data();
    model = f.model();
    oneMachine = f.oneMachine();
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("ctx4j SparkBuildLocalTest")
            .config("spark.ui.enabled", "false")
            // Holds the commit of any part 4 of 5 (only the merge-overlap test builds 5 parts).
            .config("spark.hadoop.fs.file.impl", PausingLocalFileSystem.class.getName())
            .config("spark.hadoop.fs.file.impl.disable.cache", "true")
            .config("spark.hadoop." + PausingLocalFileSystem.HOLD, HELD_PART)
            // An output reached only through Hadoop's API, like hdfs:// or s3a://
            .config("spark.hadoop.fs." + RemoteLikeFileSystem.SCHEME + ".impl",
                RemoteLikeFileSystem.class.getName())
            .config("spark.hadoop.fs.AbstractFileSystem." + RemoteLikeFileSystem.SCHEME + ".impl",
                RemoteLikeFileSystem.Fs.class.getName())
            .getOrCreate();
  }

  @AfterAll
  static void tearDown() {
    PausingLocalFileSystem.RELEASE.countDown();
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void sameBytesAsOneMachineWhateverThePartCounts() throws IOException {
    Path a = tmp.resolve("a");
    BuildReport report =
        DemoBuilds.spark(data, model, a)
            .imageParts(3).captionParts(5).captionBatchSize(7).batchSize(2)
            .build(spark);
    assertThat(report.images()).isEqualTo(IMAGES);
    ContextFiles.assertSame(oneMachine, a, "from local[2], 3 image parts, 5 caption parts");
    assertThat(a.resolve("caption_db.hdf5.panels")).as("the driver's key panel cache")
        .isRegularFile();

    Path b = tmp.resolve("b");
    DemoBuilds.spark(data, model, b).output(b.toUri().toString())
        .imageParts(1).captionParts(1).threads(2)
        .build(spark);
    ContextFiles.assertSame(oneMachine, b, "from local[2], 1 part each, file:// URI");
  }

  @Test
  void rerunSkipsCommittedPartsAndRefusesOtherSettings() throws IOException {
    Path out = tmp.resolve("out");
    DemoBuilds.spark(data, model, out).imageParts(4).build(spark);
    // As if the driver died after two parts were committed: drop the rest and the merged files.
    for (String name : List.of("shard-1-of-4", "shard-3-of-4")) {
      ImageParts.deleteTree(out.resolve("_ctx4j_spark/images").resolve(name));
    }
    try (Stream<Path> s = Files.list(out)) {
      for (Path p : s.toList()) {
        String n = p.getFileName().toString();
        if (n.startsWith("vis_ctx") || n.startsWith("txt_ctx") || n.startsWith("ctx4j-build.shard")
            || n.startsWith("skipped")) {
          Files.delete(p);
        }
      }
    }
    Path kept = out.resolve("_ctx4j_spark/images/shard-0-of-4");
    long keptTime = Files.getLastModifiedTime(kept).toMillis();
    DemoBuilds.spark(data, model, out).imageParts(4).build(spark);
    assertThat(Files.getLastModifiedTime(kept).toMillis())
        .as("a committed part is not redone")
        .isEqualTo(keptTime);
    ContextFiles.assertSame(oneMachine, out, "resumed with two of four parts committed");

    assertThatThrownBy(
            () -> DemoBuilds.spark(data, model, out).imageParts(4).topK(3).build(spark))
        .isInstanceOf(BuildSettingsException.class)
        .hasMessageContaining("top k 16 -> 3");
    assertThatThrownBy(() -> DemoBuilds.spark(data, model, out).imageParts(2).build(spark))
        .isInstanceOf(BuildSettingsException.class)
        .hasMessageContaining("image parts 4 -> 2");
  }

  @Test
  void badImageFailsTheJobNamingItAndSkipBadMergesTheSkippedList() throws IOException {
    DemoBuilds.assertBadImageHandledAsOnOneMachine(spark, model, tmp, IMAGES, 7, 2, 3, "local[2]");
  }

  @Test
  void originalCaptionDbLayoutGivesTheOneMachineBytes() throws IOException {
    Path one = tmp.resolve("original-one-machine");
    try (ClipModel clip = ClipModel.load(model)) {
      DemoBuilds.oneMachine(data, clip, one).captionDbInOriginalLayout(true).build();
    }
    Path out = tmp.resolve("original");
    DemoBuilds.spark(data, model, out).captionDbInOriginalLayout(true).imageParts(2).captionParts(3)
        .build(spark);
    ContextFiles.assertSame(one, out, "with the caption db in the original layout");
    assertThat(Files.readAllBytes(out.resolve("caption_db.hdf5")))
        .as("the original layout differs from ctx4j's")
        .isNotEqualTo(Files.readAllBytes(oneMachine.resolve("caption_db.hdf5")));
  }

  @Test
  void ivfIndexGivesTheOneMachineBytes() throws IOException {
    RetrievalOptions ivf = RetrievalOptions.ivf(IvfOptions.defaults().withNlist(8).withNprobe(2));
    Path one = tmp.resolve("ivf-one-machine");
    try (ClipModel clip = ClipModel.load(model)) {
      DemoBuilds.oneMachine(data, clip, one).retrieval(ivf).build();
    }
    Path out = tmp.resolve("ivf");
    DemoBuilds.spark(data, model, out).retrieval(ivf).imageParts(3).build(spark);
    ContextFiles.assertSame(one, out, "with an IVF index trained in every part");
    assertThat(Files.readAllBytes(out.resolve("txt_ctx.hdf5")))
        .as("IVF at nprobe 2 of 8 retrieves otherwise than exact search")
        .isNotEqualTo(Files.readAllBytes(oneMachine.resolve("txt_ctx.hdf5")));
  }

  @Test
  void anExplicitDeviceIndexIsRefusedNamingIt() {
    RetrievalOptions onDevice = RetrievalOptions.exact().on(DjlTopKIndex.onDevice(Device.cpu()));
    assertThatThrownBy(
            () -> DemoBuilds.spark(data, model, tmp.resolve("device")).retrieval(onDevice)
                .build(spark))
        .isInstanceOf(BuildSettingsException.class)
        .hasMessageContaining("cannot be shipped to Spark executors")
        .hasMessageContaining(onDevice.device().orElseThrow().description());
  }

  @Test
  void sparkSubmitEntryTakesTheBuildFlagsAndWritesTheSameBytes() throws IOException {
    Path out = tmp.resolve("submit");
    int status =
        SparkBuild.run(
            "build",
            "--coco", data.resolve("coco").toString(),
            "--vg", data.resolve("visual_genome").toString(),
            "--model", model.toString(),
            "--out", out.toString(),
            "--parts", "2",
            "--batch-size", "3");
    assertThat(status).isZero();
    ContextFiles.assertSame(oneMachine, out, "from SparkBuild build --parts 2");

    java.io.StringWriter err = new java.io.StringWriter();
    int bad =
        SparkBuild.run(
            new java.io.PrintWriter(err, true),
            "build", "--coco", data.resolve("coco").toString(), "--model", model.toString(),
            "--out", tmp.resolve("x").toString(), "--crop-k", "five=0");
    assertThat(bad).isEqualTo(SparkBuild.USER_ERROR);
    assertThat(err.toString().strip().lines()).as(err.toString()).hasSize(1);
    assertThat(err.toString()).contains("--crop-k five");

    // The driver's model loads while the session starts: its error is still the one-line one.
    Path notAModel = Files.createDirectories(tmp.resolve("not-a-model"));
    java.io.StringWriter modelErr = new java.io.StringWriter();
    int noModel =
        SparkBuild.run(
            new java.io.PrintWriter(modelErr, true),
            "build", "--coco", data.resolve("coco").toString(),
            "--vg", data.resolve("visual_genome").toString(), "--model", notAModel.toString(),
            "--out", tmp.resolve("y").toString());
    assertThat(noModel).as(modelErr.toString()).isEqualTo(SparkBuild.USER_ERROR);
    assertThat(modelErr.toString().strip().lines()).as(modelErr.toString()).hasSize(1);
    assertThat(modelErr.toString()).contains(notAModel.toString());
  }

  @Test
  void anOutputReachedOnlyThroughHadoopIsStagedOnTheDriverAndSentWithTheSameBytes()
      throws IOException {
    Path remote = tmp.resolve("remote");
    String out = RemoteLikeFileSystem.SCHEME + "://" + remote.toUri().getPath();
    BuildReport report =
        DemoBuilds.spark(data, model, remote).output(out).imageParts(3).build(spark);
    assertThat(report.images()).isEqualTo(IMAGES);
    ContextFiles.assertSame(oneMachine, remote, "to " + out + ", 3 parts");
    assertThat(remote.resolve("ctx4j-build.json")).exists();
    assertThat(remote.resolve("_ctx4j_spark/job.properties")).exists();

    // A rerun finds everything in the output: no part redone, the same files.
    Path kept = remote.resolve("_ctx4j_spark/images/shard-0-of-3");
    long keptTime = Files.getLastModifiedTime(kept).toMillis();
    DemoBuilds.spark(data, model, remote).output(out).imageParts(3).build(spark);
    assertThat(Files.getLastModifiedTime(kept).toMillis()).isEqualTo(keptTime);
    ContextFiles.assertSame(oneMachine, remote, "rerun to " + out);

    // spark-submit's --out keeps the URI as given (a Path would fold its "//").
    Path viaCli = tmp.resolve("remote-cli");
    String cliOut = RemoteLikeFileSystem.SCHEME + "://" + viaCli.toUri().getPath();
    assertThat(
            SparkBuild.run(
                "build", "--coco", data.resolve("coco").toString(),
                "--vg", data.resolve("visual_genome").toString(), "--model", model.toString(),
                "--out", cliOut, "--parts", "2"))
        .isZero();
    ContextFiles.assertSame(oneMachine, viaCli, "SparkBuild --out " + cliOut);

    assertThatThrownBy(
            () -> SparkContextBuilder.forCoco(data.resolve("coco")).model(model).output(out)
                .captionDb(oneMachine.resolve("caption_db.hdf5")).build(spark))
        .isInstanceOf(BuildSettingsException.class)
        .hasMessageContaining("not a mounted path");
  }

  /**
   * The driver merges committed image parts while later ones are still being built: part 4's
   * commit is held ({@link PausingLocalFileSystem}) and the merged files are started meanwhile;
   * released, the job ends with the one-machine bytes.
   */
  @Test
  void committedPartsAreMergedWhileTheLastOneIsStillBeingCommitted() throws Exception {
    Path out = tmp.resolve("out");
    Files.createDirectories(out);
    try (WatchService watch = FileSystems.getDefault().newWatchService()) {
      out.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
      CompletableFuture<BuildReport> build =
          CompletableFuture.supplyAsync(
              () -> DemoBuilds.spark(data, model, out).imageParts(5).build(spark));
      assertThat(PausingLocalFileSystem.HELD.await(FAIL_AFTER_SECONDS, TimeUnit.SECONDS))
          .as("part 4 reached its commit")
          .isTrue();
      Path merging = out.resolve("vis_ctx.hdf5.partial");
      awaitCreated(watch, merging);
      assertThat(out.resolve("_ctx4j_spark/images/" + HELD_PART))
          .as("merging began before the last part was committed")
          .doesNotExist();
      PausingLocalFileSystem.RELEASE.countDown();
      BuildReport report = build.get(FAIL_AFTER_SECONDS, TimeUnit.SECONDS);
      assertThat(report.images()).isEqualTo(IMAGES);
    }
    ContextFiles.assertSame(oneMachine, out, "merged while part 4 was held");
  }

  private static void awaitCreated(WatchService watch, Path file)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FAIL_AFTER_SECONDS);
    while (!Files.exists(file)) {
      long left = deadline - System.nanoTime();
      assertThat(left).as("%s created while the last part is held", file).isPositive();
      var key = watch.poll(left, TimeUnit.NANOSECONDS);
      if (key != null) {
        key.pollEvents();
        key.reset();
      }
    }
  }
}
