package org.ctx4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.ctx4j.clip.ClipModel;
import org.ctx4j.core.BuildDirectory;
import org.ctx4j.core.CaptionDb;
import org.ctx4j.core.ClipPreprocessor;
import org.ctx4j.core.CropStrategy;
import org.ctx4j.core.LiveContext;
import org.ctx4j.core.TextualContext;
import org.ctx4j.server.ContextServer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ctx4j serve}: the JSON API and the web page over a build directory. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serves a build's contexts on a local web page and JSON API (see docs/server.md):"
          + " pick an image, see its crop boxes and each box's top-k captions.",
      "With --model (the build's CLIP model), also the live context of an uploaded image."
    })
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Build directory (txt_ctx.hdf5, caption_db.hdf5).")
  Path dir;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  BuildFlags.ImageInput images;

  @Option(names = "--model", paramLabel = "DIR", description = "The build's CLIP model: enables live contexts of uploads.")
  Path model;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}, this machine only).")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(names = "--max-upload-mb", defaultValue = "20", description = "Largest upload in MiB (default: ${DEFAULT-VALUE}).")
  int maxUploadMb;

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > 65535) {
      throw new ParameterException(spec.commandLine(), "--port " + port + ": must be in 0..65535");
    }
    if (maxUploadMb < 1) {
      throw new ParameterException(spec.commandLine(), "--max-upload-mb " + maxUploadMb + ": must be at least 1");
    }
    Path txt = existing(dir.resolve("txt_ctx.hdf5"), "--dir");
    PrintWriter out = spec.commandLine().getOut();
    try (TextualContext textual = TextualContext.open(txt);
        Live live = model == null ? null : Live.open(dir, model, textual)) {
      ContextServer.Builder builder =
          ContextServer.builder(textual)
              .host(host)
              .port(port)
              .maxUploadBytes((long) maxUploadMb << 20);
      if (images != null) {
        builder.images(images.source());
      }
      if (live != null) {
        builder.live(live.context);
      }
      CountDownLatch stopped = new CountDownLatch(1);
      try (ContextServer server = builder.start()) {
        Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
        out.println("serving " + server.uri() + " (Ctrl-C to stop)");
        out.flush();
        stopped.await();
      }
    }
    return 0;
  }

  static Path existing(Path file, String flag) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(flag + ": no " + file.getFileName() + " in " + file.getParent());
    }
    return file;
  }

  /** The model, caption db and live context of a build, checked to be the build's own. */
  static final class Live implements AutoCloseable {
    final ClipModel clip;
    final CaptionDb db;
    final LiveContext context;

    private Live(ClipModel clip, CaptionDb db, LiveContext context) {
      this.clip = clip;
      this.db = db;
      this.context = context;
    }

    static Live open(Path dir, Path model, TextualContext textual) {
      // The caption db the textual context was retrieved from (recorded relative to it).
      String recorded = textual.attributes().get("caption_db");
      Path dbFile =
          existing(
              recorded == null
                  ? dir.resolve("caption_db.hdf5")
                  : textual.path().toAbsolutePath().getParent().resolve(recorded),
              "--dir");
      ClipPreprocessor preprocessor = ClipPreprocessor.forModel(model);
      String builtPreprocessor = buildSetting(dir, "preprocessor");
      if (builtPreprocessor != null
          && !builtPreprocessor.equals(preprocessor.config().toString())) {
        throw new IllegalArgumentException(
            "--model " + model + " preprocesses as " + preprocessor.config() + " but the build"
                + " used " + builtPreprocessor + ": live contexts would not match the build");
      }
      String builtRetrieval = buildSetting(dir, "retrieval");
      if (builtRetrieval != null && !builtRetrieval.startsWith("exact, float32 keys,")) {
        // Live contexts retrieve with the exact float32 index (the bits of every exact float32
        // build, whatever its device); an IVF or half-precision build would not match them.
        throw new IllegalArgumentException(
            "--model: the build retrieved with " + builtRetrieval + "; live contexts use the exact"
                + " float32 index and would not match it (serve without --model to browse it)");
      }
      ClipModel clip = ClipModel.load(model);
      CaptionDb db = null;
      try {
        String built = textual.attributes().get("model_digest");
        if (built != null && !built.equals(clip.imageEncoder().contentDigest())) {
          throw new IllegalArgumentException(
              "--model " + model + " is not the model " + textual.path().getFileName()
                  + " was built with (" + textual.attributes().get("model") + "): live contexts"
                  + " would not match the build");
        }
        String numerics = textual.attributes().get("numerics");
        if (numerics != null && !Objects.equals(numerics, clip.imageEncoder().numerics())) {
          throw new IllegalArgumentException(
              "--model " + model + " computes as '" + clip.imageEncoder().numerics()
                  + "' but the build computed as '" + numerics + "': live contexts would not"
                  + " match the build bit for bit");
        }
        db = CaptionDb.open(dbFile);
        Map<CropStrategy, Integer> k = new EnumMap<>(CropStrategy.class);
        for (TextualContext.StoredCrop c : textual.crops()) {
          k.put(CropStrategy.fromKey(c.name()), c.k());
        }
        LiveContext live =
            LiveContext.create(db, clip.imageEncoder(), preprocessor, k);
        return new Live(clip, db, live);
      } catch (RuntimeException e) {
        if (db != null) {
          db.close();
        }
        clip.close();
        throw e;
      }
    }

    /** A setting of the build's (first) part, or null if the directory has no manifest. */
    private static String buildSetting(Path dir, String name) {
      List<BuildDirectory.Part> parts = BuildDirectory.read(dir).parts();
      return parts.isEmpty() ? null : parts.get(0).settings().get(name);
    }

    @Override
    public void close() {
      context.close();
      db.close();
      clip.close();
    }
  }
}
