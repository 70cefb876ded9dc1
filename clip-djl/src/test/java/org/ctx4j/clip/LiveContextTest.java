package org.ctx4j.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ctx4j.ImageDecodeException;
import org.ctx4j.core.CaptionDb;
import org.ctx4j.core.ContextBuilder;
import org.ctx4j.core.CropBox;
import org.ctx4j.core.CropStrategy;
import org.ctx4j.core.LiveContext;
import org.ctx4j.core.TextualContext;
import org.ctx4j.core.TopKTexts;
import org.ctx4j.core.VisualContext;
import org.ctx4j.core.dataset.CocoDataset;
import org.ctx4j.core.dataset.ImageRecord;
import org.ctx4j.core.retrieval.KeyPrecision;
import org.ctx4j.core.retrieval.RetrievalOptions;
import org.ctx4j.testing.DemoData;
import org.ctx4j.testing.TinyClipModels;
import org.ctx4j.testing.TinyClipSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live context of an image equals, bit for bit, what a build wrote for it (vis_ctx and
 * txt_ctx): real tiny CLIP on DJL, a real demo build, real HDF5 files.
 */
class LiveContextTest {
  private static final int K = 5;

  @TempDir static Path dir;
  private static ClipModel clip;
  private static List<ImageRecord> images;
  private static Path out;

  @BeforeAll
  static void build() {
    Path data = dir.resolve("data");
    DemoData.write(data, 12, 31);
    clip = ClipModel.load(TinyClipModels.write(dir.resolve("model"), TinyClipSpec.tiny(), 31));
    out = dir.resolve("out");
    ContextBuilder.forCoco(data.resolve("coco"))
        .visualGenome(data.resolve("visual_genome"))
        .imageEncoder(clip.imageEncoder())
        .textEncoder(clip.textEncoder())
        .preprocessor(clip.preprocessor())
        .topK(K)
        .topK(CropStrategy.NINE, 3)
        .batchSize(3)
        .output(out)
        .build();
    images = CocoDataset.open(data.resolve("coco")).images();
    // The same pictures as a folder named by id, for builds from an image folder.
    try {
      Path folder = Files.createDirectories(dir.resolve("fp16-images"));
      for (ImageRecord r : images.subList(0, 4)) {
        Files.copy(r.file(), folder.resolve(r.id() + ".jpg"));
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterAll
  static void close() {
    clip.close();
  }

  private static LiveContext live(CaptionDb db) {
    return LiveContext.create(
        db,
        clip.imageEncoder(),
        clip.preprocessor(),
        java.util.Map.of(CropStrategy.WHOLE, K, CropStrategy.FIVE, K, CropStrategy.NINE, 3));
  }

  @Test
  void everyImageEqualsWhatTheBuildWroteBitForBit() {
    try (CaptionDb db = CaptionDb.open(out.resolve("caption_db.hdf5"));
        LiveContext live = live(db);
        VisualContext vis = VisualContext.open(out.resolve("vis_ctx.hdf5"));
        TextualContext txt = TextualContext.open(out.resolve("txt_ctx.hdf5"))) {
      assertThat(images).hasSizeGreaterThan(5);
      for (ImageRecord r : images) {
        LiveContext.Result result = live.contextOf(r.file());
        assertSameAsBuild(result, r.id(), vis, txt);
      }
    }
  }

  /** A build with half-precision keys, and a live context given the same options. */
  @Test
  void withTheBuildsRetrievalOptionsItEqualsThatBuild() {
    RetrievalOptions fp16 = RetrievalOptions.exact().withKeyPrecision(KeyPrecision.FLOAT16);
    Path half = dir.resolve("fp16");
    ContextBuilder.forImageFolder(dir.resolve("fp16-images"))
        .captionDb(out.resolve("caption_db.hdf5"))
        .imageEncoder(clip.imageEncoder())
        .preprocessor(clip.preprocessor())
        .topK(K)
        .topK(CropStrategy.NINE, 3)
        .retrieval(fp16)
        .output(half)
        .build();
    try (CaptionDb db = CaptionDb.open(out.resolve("caption_db.hdf5"));
        LiveContext live =
            LiveContext.create(
                db,
                clip.imageEncoder(),
                clip.preprocessor(),
                java.util.Map.of(CropStrategy.WHOLE, K, CropStrategy.FIVE, K, CropStrategy.NINE, 3),
                fp16);
        VisualContext vis = VisualContext.open(half.resolve("vis_ctx.hdf5"));
        TextualContext txt = TextualContext.open(half.resolve("txt_ctx.hdf5"))) {
      for (long id : txt.ids()) {
        assertSameAsBuild(
            live.contextOf(dir.resolve("fp16-images").resolve(id + ".jpg")), id, vis, txt);
      }
    }
  }

  private static void assertSameAsBuild(
      LiveContext.Result result, long id, VisualContext vis, TextualContext txt) {
    assertThat(result.visualFeature()).as("vis_ctx of %s", id).containsExactly(vis.features(id));
    assertThat(result.views()).hasSize(15);
    for (LiveContext.View v : result.views()) {
      TopKTexts stored = txt.topK(id, v.crop(), v.index(), txt.k(v.crop().key()));
      String what = id + " " + v.crop().key() + " " + v.index();
      assertThat(v.captions().texts()).as(what).isEqualTo(stored.texts());
      assertThat(v.captions().scores()).as(what).containsExactly(stored.scores());
      assertThat(v.captions().features()).as(what).isDeepEqualTo(stored.features());
      CropBox expected =
          v.crop().boxes(result.width(), result.height()).get(v.index());
      assertThat(v.box()).isEqualTo(expected);
    }
  }

  @Test
  void concurrentRequestsShareEncoderCallsAndGetTheSameResults() throws Exception {
    try (CaptionDb db = CaptionDb.open(out.resolve("caption_db.hdf5"));
        LiveContext live = live(db);
        VisualContext vis = VisualContext.open(out.resolve("vis_ctx.hdf5"));
        TextualContext txt = TextualContext.open(out.resolve("txt_ctx.hdf5"))) {
      ExecutorService pool = Executors.newFixedThreadPool(6);
      try {
        List<Future<LiveContext.Result>> futures = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
          for (ImageRecord r : images) {
            futures.add(pool.submit(() -> live.contextOf(r.file())));
          }
        }
        for (int i = 0; i < futures.size(); i++) {
          long id = images.get(i % images.size()).id();
          assertSameAsBuild(futures.get(i).get(), id, vis, txt);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void badInputIsAClearErrorAndTheContextKeepsWorking() {
    try (CaptionDb db = CaptionDb.open(out.resolve("caption_db.hdf5"));
        LiveContext live = live(db)) {
      assertThatThrownBy(() -> live.contextOf("not an image".getBytes(), "upload.txt"))
          .isInstanceOf(ImageDecodeException.class)
          .hasMessageContaining("upload.txt");
      assertThat(live.contextOf(images.get(0).file()).views()).hasSize(15);
      assertThatThrownBy(
              () ->
                  LiveContext.create(
                      db, clip.imageEncoder(), clip.preprocessor(), db.size() + 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("outside 1.." + db.size());
    }
  }
}
