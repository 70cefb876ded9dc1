package org.ctx4j.core;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.ctx4j.BuildSettingsException;
import org.ctx4j.Ctx4jException;
import org.ctx4j.OutputNotWritableException;
import org.ctx4j.core.BuildReport.SkippedImage;
import org.ctx4j.core.dataset.ImageRecord;
import org.ctx4j.core.dataset.ImageSource;
import org.ctx4j.core.retrieval.RetrievalOptions;
import org.ctx4j.core.retrieval.TopKIndex;
import org.ctx4j.hdf5.CaptionDbFile;
import org.ctx4j.hdf5.CropSpec;
import org.ctx4j.hdf5.TextualContextFile;
import org.ctx4j.hdf5.TextualContextWriter;
import org.ctx4j.hdf5.TextualLayout;
import org.ctx4j.hdf5.VisualContextFile;
import org.ctx4j.hdf5.VisualContextWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a validated {@link BuildRequest}: resume checks, the caption db stage, the image pass. */
final class BuildRunner {
  private static final Logger LOG = LoggerFactory.getLogger(BuildRunner.class);
  private BuildRunner() {}

  public static BuildReport run(BuildRequest request) {
    AtomicReference<Supplier<DiskFull.Estimate>> workLeft =
        new AtomicReference<>(() -> DiskFull.Estimate.UNKNOWN);
    try {
      return run(request, workLeft);
    } catch (RuntimeException e) {
      // A full disk may surface anywhere (manifest, caption db, either writer, skipped.tsv).
      throw DiskFull.translate(e, request.output(), workLeft.get());
    }
  }

  /** {@code workLeft}: what remains to write, for a disk-full message; set once it is known. */
  private static BuildReport run(
      BuildRequest request, AtomicReference<Supplier<DiskFull.Estimate>> workLeft) {
    long start = System.nanoTime();
    OutputFiles files = new OutputFiles(request.output(), request.shard());
    boolean existed = Files.isDirectory(request.output());
    try {
      Files.createDirectories(request.output());
    } catch (IOException e) {
      throw new OutputNotWritableException(request.output(), e);
    }
    boolean finished = false;
    OutputLock lock = OutputLock.acquire(request.output());
    try {
      BuildReport report = runLocked(request, files, start, workLeft);
      finished = true;
      return report;
    } finally {
      lock.close();
      if (!finished && !existed) {
        deleteIfEmpty(request.output()); // a refused first run leaves no trace
      }
    }
  }

  private static BuildReport runLocked(
      BuildRequest request,
      OutputFiles files,
      long start,
      AtomicReference<Supplier<DiskFull.Estimate>> workLeft) {
    BuildManifest manifest = BuildManifest.load(files.manifest());
    // Everything is read and checked before anything is written: a refused start leaves the
    // directory as it was (the manifest records a stage's settings when that stage starts).
    boolean imagesWanted =
        request.stages().contains(Stage.VISUAL) || request.stages().contains(Stage.TEXTUAL);
    List<ImageRecord> all = List.of();
    String imagesDescription = null;
    if (imagesWanted) {
      ImageSource source = request.images().get();
      all = source.images();
      imagesDescription = source.description();
      if (all.isEmpty()) {
        throw new Ctx4jException("no images in " + source.description());
      }
    }
    Map<String, String> captionSettings = captionDbSettings(request);
    Map<String, String> imageSettings = imagePassSettings(request, files, all, captionSettings);
    Map<String, String> requested = new LinkedHashMap<>(captionSettings);
    requested.putAll(imageSettings);
    manifest.check(requested);
    Map<Stage, Path> outputs = outputs(request, files);
    if (request.stages().stream().allMatch(manifest::isDone)) {
      return new BuildReport(
          request.output(), request.stages(), true, 0, 0, 0, 0, List.of(), Map.of(),
          Duration.ofNanos(System.nanoTime() - start), outputs);
    }
    boolean textualWanted =
        request.stages().contains(Stage.TEXTUAL) && !manifest.isDone(Stage.TEXTUAL);
    Path captionDbPath = captionDbPath(request, files);
    boolean buildCaptionDb =
        request.stages().contains(Stage.CAPTION_DB) && !manifest.isDone(Stage.CAPTION_DB);
    if (textualWanted && !buildCaptionDb) {
      openCaptionDb(captionDbPath, request).close(); // validates dims and k before writing
    }
    Timings timings = new Timings();
    int captions = 0;
    if (buildCaptionDb) {
      Map<String, String> provenance = new LinkedHashMap<>();
      provenance.put("model", request.textEncoder().modelId());
      provenance.put(MODEL_DIGEST_ATTRIBUTE, request.textEncoder().contentDigest());
      provenance.put(NUMERICS_ATTRIBUTE, request.textEncoder().numerics());
      provenance.put(VISUAL_GENOME_DIGEST_ATTRIBUTE, captionSettings.get("visual genome"));
      captions =
          CaptionDbStage.run(
              request.visualGenomeDir(),
              request.textEncoder(),
              files.captionDb(),
              request.captionDbInOriginalLayout(),
              request.captionBatchSize(),
              provenance,
              request.progress(),
              timings,
              count -> {
                if (textualWanted) {
                  checkK(request, count, files.captionDb());
                }
                manifest.checkAndMerge(captionSettings);
                manifest.save(); // a rerun with other settings is refused even if interrupted
              },
              workLeft);
      manifest.markDone(Stage.CAPTION_DB);
    }
    adoptFinishedFile(request, manifest, Stage.VISUAL, files.visual());
    adoptFinishedFile(request, manifest, Stage.TEXTUAL, files.textual());
    boolean visual = request.stages().contains(Stage.VISUAL) && !manifest.isDone(Stage.VISUAL);
    boolean textual = request.stages().contains(Stage.TEXTUAL) && !manifest.isDone(Stage.TEXTUAL);
    if (!visual && !textual) {
      return new BuildReport(
          request.output(), request.stages(), false, captions, 0, 0, 0, List.of(),
          timings.snapshot(), Duration.ofNanos(System.nanoTime() - start), outputs);
    }
    manifest.checkAndMerge(imageSettings);
    manifest.save();
    List<ImageRecord> mine = request.shard().slice(all);
    ImagePassResult result =
        runImagePass(
            request, files, manifest, mine, visual, textual, imageSettings, timings, workLeft);
    if (textual) {
      captions = result.captions;
    }
    return new BuildReport(
        request.output(),
        request.stages(),
        false,
        captions,
        mine.size(),
        result.outcome.written(),
        result.resumed,
        result.outcome.skipped(),
        timings.snapshot(),
        Duration.ofNanos(System.nanoTime() - start),
        outputs);
  }

  private static void deleteIfEmpty(Path dir) {
    try {
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // not empty, or not ours to delete: leave it
    }
  }

  private record ImagePassResult(ImagePass.Outcome outcome, int resumed, int captions) {}

  private static ImagePassResult runImagePass(
      BuildRequest request,
      OutputFiles files,
      BuildManifest manifest,
      List<ImageRecord> images,
      boolean visual,
      boolean textual,
      Map<String, String> imageSettings,
      Timings timings,
      AtomicReference<Supplier<DiskFull.Estimate>> workLeft) {
    Path captionDbPath = captionDbPath(request, files);
    Map<String, String> provenance = new LinkedHashMap<>();
    provenance.put("model", request.imageEncoder().modelId());
    provenance.put(MODEL_DIGEST_ATTRIBUTE, request.imageEncoder().contentDigest());
    provenance.put(NUMERICS_ATTRIBUTE, request.imageEncoder().numerics());
    provenance.put(IMAGES_DIGEST_ATTRIBUTE, imageSettings.get("images"));
    if (!request.shard().isWhole()) {
      provenance.put("shard", request.shard().toString());
    }
    CaptionDbFile db = null;
    TopKIndex index = null;
    VisualContextWriter visualWriter = null;
    TextualContextWriter textualWriter = null;
    ImagePass.Outcome outcome;
    int resumed;
    int captions = 0;
    boolean finished = false;
    try {
      CaptionTable captionTable = null;
      if (textual) {
        db = openCaptionDb(captionDbPath, request);
        captions = db.size();
        RetrievalChoice retrieval = RetrievalChoice.resolve(request);
        index = retrieval.open(db, request.threads());
        if (retrieval.isApproximate()) {
          int k = request.k().values().stream().mapToInt(Integer::intValue).max().orElse(1);
          double recall = RetrievalChoice.recall(db, index, k);
          LOG.info(
              "IVF index: recall@{} {} against exact search on {} caption keys used as queries",
              k, String.format(Locale.ROOT, "%.4f", recall),
              Math.min(RetrievalChoice.RECALL_SAMPLE, db.size()));
          manifest.checkAndMerge(
              Map.of(
                  "retrieval recall@" + k,
                  String.format(Locale.ROOT, "%.4f (%d caption keys as queries)", recall,
                      Math.min(RetrievalChoice.RECALL_SAMPLE, db.size()))));
          manifest.save();
        }
        captionTable = new CaptionTable(db, request.featureCacheBytes());
        Map<String, String> textualProvenance = new LinkedHashMap<>(provenance);
        Path textualDir = files.textual().toAbsolutePath().getParent();
        textualProvenance.put(
            TextualContextFile.CAPTION_DB_ATTRIBUTE,
            textualDir.relativize(captionDbPath.toAbsolutePath()).toString());
        textualProvenance.put(
            TextualContextFile.CAPTION_DB_SIZE_ATTRIBUTE, Integer.toString(db.size()));
        textualProvenance.put(CAPTION_DB_IDENTITY_ATTRIBUTE, imageSettings.get("caption db"));
        textualWriter =
            TextualContextWriter.open(
                files.textual(), layout(request, db.featureDim()), textualProvenance);
      }
      if (visual) {
        visualWriter =
            VisualContextWriter.open(files.visual(), request.imageEncoder().pooledDim(), provenance);
      }
      List<ImagePass.Task> tasks = new ArrayList<>(images.size());
      for (ImageRecord r : images) {
        boolean needVisual = visual && !visualWriter.isComplete(r.id());
        boolean needTextual = textual && !textualWriter.isComplete(r.id());
        if (needVisual || needTextual) {
          tasks.add(new ImagePass.Task(r, needVisual, needTextual));
        }
      }
      resumed = images.size() - tasks.size();
      workLeft.set(
          DiskFull.imagePassWork(
              tasks, files, visualWriter, request.imageEncoder().pooledDim(), textualWriter,
              textual ? layout(request, captionTable.featureDim()) : null, captionTable));
      ImagePass pass =
          new ImagePass(
              new ImagePass.Config(
                  visual,
                  textual,
                  textual ? request.crops() : List.of(),
                  request.k(),
                  request.compact(),
                  request.skipBad(),
                  request.threads(),
                  request.imageBatchSize()),
              request.imageEncoder(),
              request.preprocessor(),
              index,
              captionTable,
              visualWriter,
              textualWriter,
              request.progress(),
              timings);
      request.progress().started(ImagePass.TASK, tasks.size(), resumed);
      try {
        outcome = pass.run(tasks);
      } finally {
        request.progress().finished(ImagePass.TASK, tasks.size());
      }
      long t = System.nanoTime();
      closeAll(visualWriter, textualWriter);
      finished = true;
      timings.addSince("finalise files", t);
    } finally {
      if (!finished) {
        // Keep what was written resumable: abandon() commits and leaves the .partial file and
        // its journal. An interrupted caller's flag would make the JDK close the file channels
        // at their first blocking call (ClosedByInterruptException) and lose that commit, so it
        // is cleared for the commit and set again after.
        boolean interrupted = Thread.interrupted();
        try {
          abandonQuietly(visualWriter);
          abandonQuietly(textualWriter);
        } finally {
          if (interrupted) {
            Thread.currentThread().interrupt();
          }
        }
      }
      closeAll(index, db);
    }
    if (request.skipBad()) {
      writeSkipped(files.skipped(), outcome.skipped());
    }
    if (visual) {
      manifest.markDone(Stage.VISUAL);
    }
    if (textual) {
      manifest.markDone(Stage.TEXTUAL);
    }
    return new ImagePassResult(outcome, resumed, captions);
  }

  /**
   * A final file whose stage the manifest doesn't list as done (the process died between renaming
   * the file into place and saving the manifest, or the manifest was deleted): writers refuse to
   * reopen finished files, so accept it if it was made with this run's model.
   */
  private static void adoptFinishedFile(
      BuildRequest request, BuildManifest manifest, Stage stage, Path file) {
    if (!request.stages().contains(stage) || manifest.isDone(stage) || !Files.exists(file)) {
      return;
    }
    Map<String, String> attributes;
    if (stage == Stage.VISUAL) {
      try (VisualContextFile f = VisualContextFile.open(file)) {
        attributes = f.attributes();
      }
    } else {
      try (TextualContextFile f = TextualContextFile.open(file, null)) {
        attributes = f.attributes();
      }
    }
    String model = attributes.get("model");
    String digest = attributes.get(MODEL_DIGEST_ATTRIBUTE);
    String wanted = request.imageEncoder().contentDigest();
    if (!request.imageEncoder().modelId().equals(model)
        || (digest != null && !digest.equals(wanted))) {
      throw new BuildSettingsException(
          file + " exists and was built with model " + model + " (" + digest + "), not "
              + request.imageEncoder().modelId() + " (" + wanted + ")"
              + ": use another output directory, or delete it to rebuild");
    }
    manifest.markDone(stage);
  }

  private static void abandonQuietly(VisualContextWriter writer) {
    if (writer != null) {
      try {
        writer.abandon();
      } catch (RuntimeException e) {
        // the build already failed; that failure is the one to report
      }
    }
  }

  private static void abandonQuietly(TextualContextWriter writer) {
    if (writer != null) {
      try {
        writer.abandon();
      } catch (RuntimeException e) {
        // the build already failed; that failure is the one to report
      }
    }
  }

  static Path captionDbPath(BuildRequest request, OutputFiles files) {
    return request.captionDb() != null ? request.captionDb() : files.captionDb();
  }

  private static CaptionDbFile openCaptionDb(Path path, BuildRequest request) {
    if (!Files.isRegularFile(path)) {
      throw new BuildSettingsException(
          "no caption db at "
              + path
              + ": build it (visualGenome(dir) with stage CAPTION_DB) or pass an existing one"
              + " with captionDb(file)");
    }
    CaptionDbFile db = CaptionDbFile.open(path);
    try {
      if (db.size() == 0) {
        throw new Ctx4jException("the caption db " + path + " holds no captions");
      }
      int embedDim = request.imageEncoder().embedDim();
      if (db.keyDim() != embedDim) {
        throw new BuildSettingsException(
            String.format(
                Locale.ROOT,
                "the image encoder (%s) embeds into %d dims but the caption db %s has %d-dim keys:"
                    + " it was built with another model",
                request.imageEncoder().modelId(),
                embedDim,
                path,
                db.keyDim()));
      }
      checkK(request, db.size(), path);
      return db;
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /**
   * The index a build with {@code options} retrieves with, for {@code encoder}'s queries: the same
   * resolution (device, precision, IVF) as the build's, so that a live context retrieves as the
   * build did.
   */
  public static TopKIndex openIndex(
      CaptionDbFile db, RetrievalOptions options, ImageEncoder encoder) {
    return RetrievalChoice.resolve(options, encoder).open(db);
  }

  private static void checkK(BuildRequest request, int captions, Path captionDb) {
    for (Map.Entry<CropStrategy, Integer> e : request.k().entrySet()) {
      if (e.getValue() > captions) {
        throw new BuildSettingsException(
            String.format(
                Locale.ROOT,
                "k (%d) for crop %s > captions in the caption db (%d) %s",
                e.getValue(),
                e.getKey().key(),
                captions,
                captionDb));
      }
    }
  }

  static TextualLayout layout(BuildRequest request, int featureDim) {
    List<CropSpec> specs = new ArrayList<>();
    for (CropStrategy s : request.crops()) {
      specs.add(new CropSpec(s.key(), s.count(), request.k().get(s)));
    }
    return new TextualLayout(featureDim, specs, request.compact());
  }

  /** Root attribute of every output file: the digest of the model that made it. */
  static final String MODEL_DIGEST_ATTRIBUTE = "model_digest";
  /** Root attribute: engine, device, precision and threads the model ran with. */
  static final String NUMERICS_ATTRIBUTE = "numerics";
  /** Root attribute of vis_ctx and txt_ctx: the digest of the image list (see ImageListDigest). */
  static final String IMAGES_DIGEST_ATTRIBUTE = "images_digest";
  /** Root attribute of the caption db: the digest of the Visual Genome annotation files. */
  static final String VISUAL_GENOME_DIGEST_ATTRIBUTE = "visual_genome_digest";
  /** Root attribute of txt_ctx: what identifies the caption db it was retrieved from. */
  static final String CAPTION_DB_IDENTITY_ATTRIBUTE = "caption_db_identity";

  /** The settings of the caption db stage a rerun must repeat (empty when not requested). */
  static Map<String, String> captionDbSettings(BuildRequest request) {
    Map<String, String> s = new LinkedHashMap<>();
    if (request.stages().contains(Stage.CAPTION_DB)) {
      TextEncoder text = request.textEncoder();
      s.put("text model", modelSetting(text.modelId(), text.contentDigest()));
      s.put("text numerics", text.numerics());
      s.put("caption db layout", request.captionDbInOriginalLayout() ? "original" : "ctx4j");
      s.put(
          "visual genome",
          ContentDigest.ofFiles(
              List.of(
                  request.visualGenomeDir().resolve("attributes.json"),
                  request.visualGenomeDir().resolve("relationships.json"))));
    }
    return s;
  }

  /** "name (sha256:…)", or just the name for encoders that identify by name only. */
  private static String modelSetting(String modelId, String digest) {
    return digest.equals("name:" + modelId) ? modelId : modelId + " (" + digest + ")";
  }

  /** The settings of the image pass a rerun must repeat (empty when not requested). */
  static Map<String, String> imagePassSettings(
      BuildRequest request,
      OutputFiles files,
      List<ImageRecord> images,
      Map<String, String> captionSettings) {
    Map<String, String> s = new LinkedHashMap<>();
    if (request.stages().contains(Stage.VISUAL) || request.stages().contains(Stage.TEXTUAL)) {
      ImageEncoder encoder = request.imageEncoder();
      s.put("image model", modelSetting(encoder.modelId(), encoder.contentDigest()));
      s.put("image numerics", encoder.numerics());
      s.put("preprocessor", request.preprocessor().config().toString());
      s.put("images", ImageListDigest.of(images));
      s.put("shard", request.shard().toString());
    }
    if (request.stages().contains(Stage.TEXTUAL)) {
      s.put("retrieval", RetrievalChoice.resolve(request).setting());
      s.put("crops", cropsSetting(request));
      s.put("layout", request.compact() ? "compact" : "original");
      s.put("caption db", captionDbIdentity(request, files, captionSettings));
    }
    return s;
  }

  /**
   * What identifies the caption db retrieval runs against: for one built by ctx4j (now or
   * earlier), the text model and Visual Genome digests it records; for a foreign file (the
   * original's layout), its size and modification time (digesting 9 GB on every run would cost more
   * than it guards).
   */
  static String captionDbIdentity(
      BuildRequest request, OutputFiles files, Map<String, String> captionSettings) {
    if (request.captionDb() == null && request.stages().contains(Stage.CAPTION_DB)) {
      return "text model " + request.textEncoder().contentDigest() + ", visual genome "
          + captionSettings.get("visual genome");
    }
    Path path = captionDbPath(request, files);
    if (!Files.isRegularFile(path)) {
      return "missing " + path;
    }
    try (CaptionDbFile db = CaptionDbFile.open(path)) {
      Map<String, String> a = db.attributes();
      if (a.containsKey(MODEL_DIGEST_ATTRIBUTE) && a.containsKey(VISUAL_GENOME_DIGEST_ATTRIBUTE)) {
        return "text model " + a.get(MODEL_DIGEST_ATTRIBUTE) + ", visual genome "
            + a.get(VISUAL_GENOME_DIGEST_ATTRIBUTE);
      }
      return db.size() + " captions, " + Files.size(path) + " bytes, modified "
          + Files.getLastModifiedTime(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  static String cropsSetting(BuildRequest request) {
    return request.crops().stream()
        .map(c -> c.key() + " k=" + request.k().get(c))
        .collect(Collectors.joining(", "));
  }

  private static Map<Stage, Path> outputs(BuildRequest request, OutputFiles files) {
    Map<Stage, Path> out = new EnumMap<>(Stage.class);
    if (request.stages().contains(Stage.CAPTION_DB)) {
      out.put(Stage.CAPTION_DB, files.captionDb());
    }
    if (request.stages().contains(Stage.VISUAL)) {
      out.put(Stage.VISUAL, files.visual());
    }
    if (request.stages().contains(Stage.TEXTUAL)) {
      out.put(Stage.TEXTUAL, files.textual());
    }
    return out;
  }

  private static void writeSkipped(Path file, List<SkippedImage> skipped) {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("id\tfile\treason\n");
      for (SkippedImage s : skipped) {
        w.write(s.id() + "\t" + s.file() + "\t" + s.reason().replace('\t', ' ') + "\n");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Closes each non-null resource, even if one fails; rethrows the first failure. */
  static void closeAll(AutoCloseable... resources) {
    RuntimeException first = null;
    for (AutoCloseable r : resources) {
      if (r == null) {
        continue;
      }
      try {
        r.close();
      } catch (Exception e) {
        RuntimeException wrapped =
            e instanceof RuntimeException ? (RuntimeException) e : new IllegalStateException(e);
        if (first == null) {
          first = wrapped;
        } else {
          first.addSuppressed(wrapped);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
