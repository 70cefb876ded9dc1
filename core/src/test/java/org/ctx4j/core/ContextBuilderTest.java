package org.ctx4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.ctx4j.BadImageException;
import org.ctx4j.BuildInterruptedException;
import org.ctx4j.BuildSettingsException;
import org.ctx4j.Ctx4jException;
import org.ctx4j.core.dataset.CocoDataset;
import org.ctx4j.core.dataset.ImageRecord;
import org.ctx4j.hdf5.CaptionDbFile;
import org.ctx4j.hdf5.CropResult;
import org.ctx4j.hdf5.CropSpec;
import org.ctx4j.hdf5.TextualContextFile;
import org.ctx4j.hdf5.VisualContextFile;
import org.ctx4j.testing.DemoData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline end to end on generated COCO/VG data with deterministic fake CLIP towers. */
class ContextBuilderTest {
  private static final int IMAGES = 14;
  @TempDir static Path data;
  @TempDir Path out;

  private static Path coco;
  private static Path visualGenome;

  @BeforeAll
  static void generateData() {
    DemoData.write(data, IMAGES, 7);
    coco = data.resolve("coco");
    visualGenome = data.resolve("visual_genome");
  }

  private static ContextBuilder fullBuild(Path output) {
    return ContextBuilder.forCoco(coco)
        .visualGenome(visualGenome)
        .imageEncoder(FakeClip.imageEncoder("fake-clip"))
            .preprocessor(FakeClip.preprocessor())
        .textEncoder(FakeClip.textEncoder("fake-clip"))
        .output(output)
        .topK(5)
        .threads(2)
        .batchSize(3);
  }

  @Test
  void buildsAllThreeFilesWithEveryImageInIdOrder() {
    BuildReport report = fullBuild(out).build();

    long[] ids = CocoDataset.open(coco).images().stream().mapToLong(ImageRecord::id).toArray();
    assertThat(report.upToDate()).isFalse();
    assertThat(report.images()).isEqualTo(IMAGES);
    assertThat(report.imagesWritten()).isEqualTo(IMAGES);
    assertThat(report.captions()).isPositive();
    assertThat(report.files()).containsOnlyKeys(Stage.CAPTION_DB, Stage.VISUAL, Stage.TEXTUAL);
    try (VisualContextFile vis = VisualContextFile.open(out.resolve("vis_ctx.hdf5"));
        TextualContextFile txt = TextualContextFile.open(out.resolve("txt_ctx.hdf5"))) {
      assertThat(vis.dim()).isEqualTo(FakeClip.POOLED);
      assertThat(vis.ids()).containsExactly(ids);
      assertThat(txt.ids()).containsExactly(ids);
      assertThat(txt.dim()).isEqualTo(FakeClip.TEXT_FEATURE);
      assertThat(txt.crops())
          .containsExactly(new CropSpec("whole", 1, 5), new CropSpec("five", 5, 5), new CropSpec("nine", 9, 5));
      CropResult r = txt.topK(ids[0], "nine", 8, 5);
      assertThat(r.texts()).hasSize(5).doesNotHaveDuplicates();
      for (int j = 1; j < 5; j++) {
        assertThat(r.scores()[j]).isLessThanOrEqualTo(r.scores()[j - 1]);
      }
    }
  }

  @Test
  void sameContentWhateverThreadsAndBatchSize() {
    fullBuild(out.resolve("a")).threads(1).batchSize(1).build();
    fullBuild(out.resolve("b")).threads(3).batchSize(5).build();
    ContextFilesAssert.assertSameVisual(out.resolve("a/vis_ctx.hdf5"), out.resolve("b/vis_ctx.hdf5"));
    ContextFilesAssert.assertSameTextual(out.resolve("a/txt_ctx.hdf5"), out.resolve("b/txt_ctx.hdf5"));
  }

  @Test
  void rerunOfAFinishedBuildDoesNothing() {
    fullBuild(out).build();
    BuildReport again = fullBuild(out).build();
    assertThat(again.upToDate()).isTrue();
    assertThat(again.imagesWritten()).isZero();
    assertThat(again.summary()).contains("nothing to do");
  }

  @Test
  void rerunWithAnotherKOrModelIsRefused() {
    fullBuild(out).build();
    assertThatThrownBy(() -> fullBuild(out).topK(4).build())
        .isInstanceOf(BuildSettingsException.class)
        .hasMessageContaining("k=5 (this run:")
        .hasMessageContaining(out.toString());
    assertThatThrownBy(
            () -> fullBuild(out).imageEncoder(FakeClip.imageEncoder("another-clip")).build())
        .isInstanceOf(BuildSettingsException.class)
        .hasMessageContaining("image model fake-clip (this run: another-clip)");
  }

  @Test
  void interruptedBuildResumesToTheSameContent() {
    Path reference = out.resolve("reference");
    fullBuild(reference).build();

    Path interrupted = out.resolve("interrupted");
    AtomicInteger calls = new AtomicInteger();
    ImageEncoder failing =
        new DelegatingImageEncoder(FakeClip.imageEncoder("fake-clip")) {
          @Override
          public ImageEncoding encode(float[] pixels, int batch) {
            if (calls.incrementAndGet() == 3) {
              throw new Ctx4jException("simulated crash in batch 3");
            }
            return super.encode(pixels, batch);
          }
        };
    assertThatThrownBy(() -> fullBuild(interrupted).imageEncoder(failing).build())
        .hasMessageContaining("simulated crash");
    BuildReport resumed = fullBuild(interrupted).build();

    assertThat(resumed.imagesResumed()).isPositive();
    assertThat(resumed.imagesResumed() + resumed.imagesWritten()).isEqualTo(IMAGES);
    ContextFilesAssert.assertSameVisual(
        reference.resolve("vis_ctx.hdf5"), interrupted.resolve("vis_ctx.hdf5"));
    ContextFilesAssert.assertSameTextual(
        reference.resolve("txt_ctx.hdf5"), interrupted.resolve("txt_ctx.hdf5"));
  }

  @Test
  void stagesRunAloneGiveTheSameFilesAsOneBuild() {
    Path together = out.resolve("together");
    fullBuild(together).build();
    Path apart = out.resolve("apart");
    fullBuild(apart).stages(Stage.CAPTION_DB).build();
    fullBuild(apart).stages(Stage.VISUAL).build();
    BuildReport textual =
        ContextBuilder.forCoco(coco)
            .captionDb(apart.resolve("caption_db.hdf5"))
            .imageEncoder(FakeClip.imageEncoder("fake-clip"))
            .preprocessor(FakeClip.preprocessor())
            .output(apart)
            .topK(5)
            .stages(Stage.TEXTUAL)
            .build();
    assertThat(textual.files()).containsOnlyKeys(Stage.TEXTUAL);
    ContextFilesAssert.assertSameVisual(together.resolve("vis_ctx.hdf5"), apart.resolve("vis_ctx.hdf5"));
    ContextFilesAssert.assertSameTextual(together.resolve("txt_ctx.hdf5"), apart.resolve("txt_ctx.hdf5"));
  }

  @Test
  void perCropKAndCropSubset() {
    fullBuild(out).crops(CropStrategy.NINE, CropStrategy.WHOLE).topK(CropStrategy.NINE, 2).build();
    try (TextualContextFile txt = TextualContextFile.open(out.resolve("txt_ctx.hdf5"))) {
      assertThat(txt.crops()).containsExactly(new CropSpec("whole", 1, 5), new CropSpec("nine", 9, 2));
    }
  }

  @Test
  void shardsMergeToTheUnshardedFiles() {
    Path whole = out.resolve("whole");
    fullBuild(whole).build();
    Path sharded = out.resolve("sharded");
    fullBuild(sharded).stages(Stage.CAPTION_DB).build();
    for (int i = 0; i < 3; i++) {
      fullBuild(sharded).shard(i, 3).stages(Stage.VISUAL, Stage.TEXTUAL).build();
    }
    BuildReport merged = ContextBuilder.mergeShards(sharded);
    assertThat(merged.images()).isEqualTo(IMAGES);
    ContextFilesAssert.assertSameVisual(whole.resolve("vis_ctx.hdf5"), sharded.resolve("vis_ctx.hdf5"));
    ContextFilesAssert.assertSameTextual(whole.resolve("txt_ctx.hdf5"), sharded.resolve("txt_ctx.hdf5"));
  }

  @Test
  void shardsMergedOneByOneAsTheyFinishGiveTheOneMachineBytesAlsoAfterAnInterruption()
      throws IOException {
    Path whole = out.resolve("whole");
    fullBuild(whole).build();
    Path sharded = out.resolve("sharded");
    fullBuild(sharded).stages(Stage.CAPTION_DB).build();
    fullBuild(sharded).shard(0, 3).stages(Stage.VISUAL, Stage.TEXTUAL).build();
    try (ShardMerge merge = ShardMerge.open(sharded, 3)) {
      merge.add(0); // shards 1 and 2 are not built yet
      assertThatThrownBy(() -> merge.add(2))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("expected shard 1");
      assertThatThrownBy(() -> merge.add(1))
          .isInstanceOf(Ctx4jException.class)
          .hasMessageContaining("vis_ctx.shard-1-of-3.hdf5");
    } // closed unfinished: the merged files stay partial
    assertThat(sharded.resolve("vis_ctx.hdf5")).doesNotExist();
    for (int i = 1; i < 3; i++) {
      fullBuild(sharded).shard(i, 3).stages(Stage.VISUAL, Stage.TEXTUAL).build();
    }
    try (ShardMerge merge = ShardMerge.open(sharded, 3)) {
      for (int i = 0; i < 3; i++) {
        merge.add(i);
      }
      BuildReport report = merge.finish();
      assertThat(report.images()).isEqualTo(IMAGES);
      assertThat(report.imagesResumed()).isPositive(); // shard 0's images were merged before
    }
    for (String f : List.of("vis_ctx.hdf5", "txt_ctx.hdf5")) {
      assertThat(Files.readAllBytes(sharded.resolve(f)))
          .as(f)
          .isEqualTo(Files.readAllBytes(whole.resolve(f)));
    }
  }

  @Test
  void aShardWhoseImagesDoNotFollowTheEarlierShardsIsRefusedNamingBoth() throws IOException {
    fullBuild(out).stages(Stage.CAPTION_DB).build();
    for (int i = 0; i < 2; i++) {
      fullBuild(out).shard(i, 2).stages(Stage.VISUAL, Stage.TEXTUAL).build();
    }
    for (String name : List.of("vis_ctx.shard-%d-of-2.hdf5", "txt_ctx.shard-%d-of-2.hdf5",
        "ctx4j-build.shard-%d-of-2.json")) {
      Path a = out.resolve(String.format(name, 0));
      Path b = out.resolve(String.format(name, 1));
      Path swap = out.resolve("swap");
      Files.move(a, swap);
      Files.move(b, a);
      Files.move(swap, b);
    }
    assertThatThrownBy(() -> ContextBuilder.mergeShards(out))
        .isInstanceOf(Ctx4jException.class)
        .hasMessageContaining("of shard 1 (")
        .hasMessageContaining("is not after image")
        .hasMessageContaining("of shard 0");
  }

  @Test
  void anExactBuildKeepsAKeyPanelCacheBesideItsCaptionDbThatChangesNoByte() throws IOException {
    Path cached = out.resolve("cached");
    fullBuild(cached).build();
    assertThat(cached.resolve("caption_db.hdf5.panels")).isRegularFile();
    try (Stream<Path> files = Files.list(cached)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.contains(".panels.") || n.endsWith(".lock"));
    }
    Path inPlace = out.resolve("in-place");
    System.setProperty(RetrievalChoice.PANEL_CACHE_PROPERTY, "false");
    try {
      fullBuild(inPlace).build();
      try (CaptionDb db = CaptionDb.open(inPlace.resolve("caption_db.hdf5"))) {
        assertThat(db.preparePanelCache()).isFalse();
      }
    } finally {
      System.clearProperty(RetrievalChoice.PANEL_CACHE_PROPERTY);
    }
    assertThat(inPlace.resolve("caption_db.hdf5.panels")).doesNotExist();
    assertThat(Files.mismatch(cached.resolve("txt_ctx.hdf5"), inPlace.resolve("txt_ctx.hdf5")))
        .as("txt_ctx with and without the panel cache").isEqualTo(-1);

    Path original = out.resolve("original-layout");
    fullBuild(original).captionDbInOriginalLayout(true).build();
    try (CaptionDb db = CaptionDb.open(original.resolve("caption_db.hdf5"))) {
      assertThat(db.preparePanelCache()).isFalse();
    }
    assertThat(original.resolve("caption_db.hdf5.panels")).doesNotExist();
  }

  @Test
  void captionDbInTheOriginalLayoutGivesTheSameContextsAndARerunWithTheOtherIsRefused() {
    Path ours = out.resolve("ours");
    fullBuild(ours).build();
    Path original = out.resolve("original");
    fullBuild(original).captionDbInOriginalLayout(true).build();
    try (CaptionDbFile a = CaptionDbFile.open(ours.resolve("caption_db.hdf5"));
        CaptionDbFile b = CaptionDbFile.open(original.resolve("caption_db.hdf5"))) {
      assertThat(b.isOriginalLayout()).isTrue();
      assertThat(b.captions()).isEqualTo(a.captions());
      assertThat(b.keys(0, b.size())).isEqualTo(a.keys(0, a.size()));
    }
    ContextFilesAssert.assertSameTextual(ours.resolve("txt_ctx.hdf5"), original.resolve("txt_ctx.hdf5"));
    assertThatThrownBy(() -> fullBuild(original).build())
        .isInstanceOf(BuildSettingsException.class)
        .hasMessageContaining("caption db layout original (this run: ctx4j)");
  }

  @Test
  void compactLayoutReadsBackLikeTheOriginalLayoutAlsoAfterMergingShards() {
    Path original = out.resolve("original");
    fullBuild(original).build();
    Path compact = out.resolve("compact");
    fullBuild(compact).compact(true).build();
    try (TextualContextFile txt = TextualContextFile.open(compact.resolve("txt_ctx.hdf5"))) {
      assertThat(txt.isCompact()).isTrue();
    }
    ContextFilesAssert.assertSameTextual(
        original.resolve("txt_ctx.hdf5"), compact.resolve("txt_ctx.hdf5"));

    Path sharded = out.resolve("sharded");
    fullBuild(sharded).stages(Stage.CAPTION_DB).build();
    for (int i = 0; i < 2; i++) {
      fullBuild(sharded).compact(true).shard(i, 2).stages(Stage.TEXTUAL).build();
    }
    ContextBuilder.mergeShards(sharded);
    ContextFilesAssert.assertSameTextual(
        original.resolve("txt_ctx.hdf5"), sharded.resolve("txt_ctx.hdf5"));
  }

  @Test
  void mergeRefusesAMissingShard() {
    fullBuild(out).stages(Stage.CAPTION_DB).build();
    fullBuild(out).shard(0, 2).stages(Stage.VISUAL).build();
    assertThatThrownBy(() -> ContextBuilder.mergeShards(out))
        .isInstanceOf(Ctx4jException.class)
        .hasMessageContaining("vis_ctx.shard-1-of-2.hdf5");
  }

  @Test
  void stopsAtTheFirstBadImageNamingItAndSkipsItWhenAsked() throws IOException {
    Path copy = out.resolve("coco");
    copyTree(coco, copy);
    List<ImageRecord> records = CocoDataset.open(copy).images();
    ImageRecord bad = records.get(4);
    Files.write(bad.file(), "not an image".getBytes(StandardCharsets.UTF_8));

    ContextBuilder stopping =
        ContextBuilder.forCoco(copy)
            .visualGenome(visualGenome)
            .imageEncoder(FakeClip.imageEncoder("fake-clip"))
            .preprocessor(FakeClip.preprocessor())
            .textEncoder(FakeClip.textEncoder("fake-clip"))
            .output(out.resolve("stop"))
            .topK(5);
    assertThatThrownBy(stopping::build)
        .isInstanceOf(BadImageException.class)
        .hasMessageContaining(bad.file().getFileName().toString())
        .hasMessageContaining(Long.toString(bad.id()));

    BuildReport report =
        ContextBuilder.forCoco(copy)
            .visualGenome(visualGenome)
            .imageEncoder(FakeClip.imageEncoder("fake-clip"))
            .preprocessor(FakeClip.preprocessor())
            .textEncoder(FakeClip.textEncoder("fake-clip"))
            .output(out.resolve("skip"))
            .topK(5)
            .skipBad(true)
            .build();
    assertThat(report.skipped()).extracting(BuildReport.SkippedImage::id).containsExactly(bad.id());
    assertThat(report.imagesWritten()).isEqualTo(IMAGES - 1);
    List<String> tsv = Files.readAllLines(out.resolve("skip/skipped.tsv"));
    assertThat(tsv).hasSize(2);
    assertThat(tsv.get(0)).isEqualTo("id\tfile\treason");
    assertThat(tsv.get(1)).startsWith(bad.id() + "\t" + bad.file());
  }

  @Test
  void reportsProgressPerTask() {
    List<String> events = new ArrayList<>();
    fullBuild(out)
        .progress(
            new ProgressListener() {
              @Override
              public void started(String task, long total, long alreadyDone) {
                events.add("start " + task + " " + total);
              }

              @Override
              public void advanced(String task, long done) {}

              @Override
              public void finished(String task, long done) {
                events.add("end " + task + " " + done);
              }
            })
        .build();
    assertThat(events).contains("start images " + IMAGES, "end images " + IMAGES);
    assertThat(events.get(0)).startsWith("start reading Visual Genome");
    assertThat(events).anyMatch(e -> e.startsWith("start captions "));
  }

  @Test
  void missingSettingsNameTheMethodToCall() {
    assertThatThrownBy(() -> ContextBuilder.forCoco(coco).build())
        .isInstanceOf(BuildSettingsException.class)
        .hasMessageContaining("output(dir)")
        .hasMessageContaining("imageEncoder(encoder)");
    assertThatThrownBy(
            () ->
                ContextBuilder.forCaptionDb()
                    .output(out)
                    .stages(Stage.CAPTION_DB)
                    .build())
        .isInstanceOf(BuildSettingsException.class)
        .hasMessageContaining("visualGenome(dir)")
        .hasMessageContaining("textEncoder(encoder)");
    assertThatThrownBy(
            () ->
                ContextBuilder.forCoco(coco)
                    .imageEncoder(FakeClip.imageEncoder("fake-clip"))
            .preprocessor(FakeClip.preprocessor())
                    .output(out)
                    .stages(Stage.TEXTUAL)
                    .build())
        .isInstanceOf(BuildSettingsException.class)
        .hasMessageContaining("captionDb(file)");
    assertThatThrownBy(
            () -> fullBuild(out).captionDb(out.resolve("x.hdf5")).build())
        .isInstanceOf(BuildSettingsException.class)
        .hasMessageContaining("conflicts with stage CAPTION_DB");
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  /** Forwards everything to another encoder; tests override one method. */
  private static class DelegatingImageEncoder implements ImageEncoder {
    private final ImageEncoder delegate;

    DelegatingImageEncoder(ImageEncoder delegate) {
      this.delegate = delegate;
    }

    @Override
    public int inputSize() {
      return delegate.inputSize();
    }

    @Override
    public int pooledDim() {
      return delegate.pooledDim();
    }

    @Override
    public int embedDim() {
      return delegate.embedDim();
    }

    @Override
    public String modelId() {
      return delegate.modelId();
    }

    @Override
    public ImageEncoding encode(float[] pixels, int batch) {
      return delegate.encode(pixels, batch);
    }

    @Override
    public void close() {}
  }

  @Test
  void interruptingTheBuildingThreadThrowsAPublicExceptionKeepsTheStatusAndResumes() {
    Path reference = out.resolve("reference");
    fullBuild(reference).build();
    Path interrupted = out.resolve("interrupted");
    Thread building = Thread.currentThread();
    ProgressListener interruptAtImage5 =
        (task, done) -> {
          if (task.equals("images") && done == 5) {
            building.interrupt();
          }
        };
    assertThatThrownBy(() -> fullBuild(interrupted).progress(interruptAtImage5).build())
        .isInstanceOf(BuildInterruptedException.class)
        .hasMessageContaining("running the same build again resumes");
    assertThat(Thread.interrupted()).as("interrupt status kept (and cleared here)").isTrue();

    BuildReport resumed = fullBuild(interrupted).build();
    assertThat(resumed.imagesResumed()).isPositive();
    ContextFilesAssert.assertSameVisual(
        reference.resolve("vis_ctx.hdf5"), interrupted.resolve("vis_ctx.hdf5"));
    ContextFilesAssert.assertSameTextual(
        reference.resolve("txt_ctx.hdf5"), interrupted.resolve("txt_ctx.hdf5"));
  }
}
