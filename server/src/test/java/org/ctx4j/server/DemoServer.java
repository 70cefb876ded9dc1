package org.ctx4j.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.ctx4j.clip.ClipModel;
import org.ctx4j.core.CaptionDb;
import org.ctx4j.core.ContextBuilder;
import org.ctx4j.core.CropStrategy;
import org.ctx4j.core.LiveContext;
import org.ctx4j.core.TextualContext;
import org.ctx4j.core.dataset.CocoDataset;
import org.ctx4j.testing.DemoData;
import org.ctx4j.testing.TinyClipModels;
import org.ctx4j.testing.TinyClipSpec;

/**
 * A demo build (synthetic COCO and Visual Genome, tiny random CLIP) and a server over it with a
 * live context, for the tests of this module. Whoever creates one closes it.
 */
final class DemoServer implements AutoCloseable {
  static final int K = 6;
  static final int NINE_K = 4;

  final Path root;
  final Path data;
  final Path out;
  final ClipModel clip;
  final CocoDataset coco;
  final TextualContext textual;
  final CaptionDb db;
  final LiveContext live;
  final ContextServer server;

  private DemoServer(Path root, int images, long maxUpload) {
    this.root = root;
    this.data = root.resolve("data");
    DemoData.write(data, images, 41);
    this.clip = ClipModel.load(TinyClipModels.write(root.resolve("model"), TinyClipSpec.tiny(), 41));
    this.out = root.resolve("out");
    ContextBuilder.forCoco(data.resolve("coco"))
        .visualGenome(data.resolve("visual_genome"))
        .imageEncoder(clip.imageEncoder())
        .textEncoder(clip.textEncoder())
        .preprocessor(clip.preprocessor())
        .topK(K)
        .topK(CropStrategy.NINE, NINE_K)
        .output(out)
        .build();
    this.coco = CocoDataset.open(data.resolve("coco"));
    this.textual = TextualContext.open(out.resolve("txt_ctx.hdf5"));
    this.db = CaptionDb.open(out.resolve("caption_db.hdf5"));
    this.live =
        LiveContext.create(
            db,
            clip.imageEncoder(),
            clip.preprocessor(),
            Map.of(CropStrategy.WHOLE, K, CropStrategy.FIVE, K, CropStrategy.NINE, NINE_K));
    this.server =
        ContextServer.builder(textual).images(coco).live(live).maxUploadBytes(maxUpload).start();
  }

  static DemoServer start(Path root, int images, long maxUpload) {
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new DemoServer(root, images, maxUpload);
  }

  String url(String path) {
    return server.uri().resolve(path).toString();
  }

  @Override
  public void close() {
    server.close();
    live.close();
    db.close();
    textual.close();
    clip.close();
  }
}
