package org.ctx4j.core.internal.pipeline;

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
import org.ctx4j.Ctx4jException;
import org.ctx4j.core.BuildReport;
import org.ctx4j.core.BuildReport.SkippedImage;
import org.ctx4j.core.BuildSettingsException;
import org.ctx4j.core.CropStrategy;
import org.ctx4j.core.Stage;
import org.ctx4j.core.dataset.ImageRecord;
import org.ctx4j.core.dataset.ImageSource;
import org.ctx4j.core.retrieval.TopKIndex;
import org.ctx4j.core.retrieval.TopKIndexes;
import org.ctx4j.hdf5.CaptionDbFile;
import org.ctx4j.hdf5.CropSpec;
import org.ctx4j.hdf5.TextualContextFile;
import org.ctx4j.hdf5.TextualContextWriter;
import org.ctx4j.hdf5.TextualLayout;
import org.ctx4j.hdf5.VisualContextFile;
import org.ctx4j.hdf5.VisualContextWriter;

/** Runs a validated {@link BuildRequest}: resume checks, the caption db stage, the image pass. */
public final class BuildRunner {
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
    try {
      Files.createDirectories(request.output());
    } catch (IOException e) {
      throw new Ctx4jException("cannot create output directory " + request.output() + ": " + e, e);
    }
    BuildManifest manifest = BuildManifest.load(files.manifest());
    manifest.checkAndMerge(settings(request));
    Map<Stage, Path> outputs = outputs(request, files);
    if (request.stages().stream().allMatch(manifest::isDone)) {
      return new BuildReport(
          request.output(), request.stages(), true, 0, 0, 0, 0, List.of(), Map.of(),
          Duration.ofNanos(System.nanoTime() - start), outputs);
    }
    manifest.save(); // a rerun with other settings is refused even if this run is interrupted
    Timings timings = new Timings();
    int captions = 0;
    if (request.stages().contains(Stage.CAPTION_DB) && !manifest.isDone(Stage.CAPTION_DB)) {
      captions =
          CaptionDbStage.run(
              request.visualGenomeDir(),
              request.textEncoder(),
              files.captionDb(),
              request.captionBatchSize(),
              Map.of("model", request.textEncoder().modelId()),
              request.progress(),
              timings,
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
    ImageSource source = request.images().get();
    List<ImageRecord> all = source.images();
    if (all.isEmpty()) {
      throw new Ctx4jException("no images in " + source.description());
    }
    List<ImageRecord> mine = request.shard().slice(all);
    ImagePassResult result =
        runImagePass(request, files, manifest, mine, visual, textual, timings, workLeft);
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

  private record ImagePassResult(ImagePass.Outcome outcome, int resumed, int captions) {}

  private static ImagePassResult runImagePass(
      BuildRequest request,
      OutputFiles files,
      BuildManifest manifest,
      List<ImageRecord> images,
      boolean visual,
      boolean textual,
      Timings timings,
      AtomicReference<Supplier<DiskFull.Estimate>> workLeft) {
    Path captionDbPath = captionDbPath(request, files);
    Map<String, String> provenance = new LinkedHashMap<>();
    provenance.put("model", request.imageEncoder().modelId());
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
        index = openIndex(db);
        captionTable = new CaptionTable(db, request.featureCacheBytes());
        Map<String, String> textualProvenance = new LinkedHashMap<>(provenance);
        Path textualDir = files.textual().toAbsolutePath().getParent();
        textualProvenance.put(
            TextualContextFile.CAPTION_DB_ATTRIBUTE,
            textualDir.relativize(captionDbPath.toAbsolutePath()).toString());
        textualProvenance.put(
            TextualContextFile.CAPTION_DB_SIZE_ATTRIBUTE, Integer.toString(db.size()));
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
        // Keep what was written resumable: abandon() leaves the .partial file and its journal.
        abandonQuietly(visualWriter);
        abandonQuietly(textualWriter);
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
    if (!request.imageEncoder().modelId().equals(model)) {
      throw new BuildSettingsException(
          file + " exists and was built with model " + model + ", not "
              + request.imageEncoder().modelId()
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
      for (Map.Entry<CropStrategy, Integer> e : request.k().entrySet()) {
        if (e.getValue() > db.size()) {
          throw new BuildSettingsException(
              String.format(
                  Locale.ROOT,
                  "k (%d) for crop %s > captions in the caption db (%d) %s",
                  e.getValue(),
                  e.getKey().key(),
                  db.size(),
                  path));
        }
      }
      return db;
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  private static TopKIndex openIndex(CaptionDbFile db) {
    return db.keysLocation()
        .map(loc -> TopKIndexes.exactMapped(loc.file(), loc.offset(), loc.rows(), loc.cols()))
        .orElseGet(() -> TopKIndexes.exact(db.keys(0, db.size()), db.size(), db.keyDim()));
  }

  static TextualLayout layout(BuildRequest request, int featureDim) {
    List<CropSpec> specs = new ArrayList<>();
    for (CropStrategy s : request.crops()) {
      specs.add(new CropSpec(s.key(), s.count(), request.k().get(s)));
    }
    return new TextualLayout(featureDim, specs, request.compact());
  }

  /** The settings a rerun must repeat, per stage requested. */
  static Map<String, String> settings(BuildRequest request) {
    Map<String, String> s = new LinkedHashMap<>();
    if (request.stages().contains(Stage.CAPTION_DB)) {
      s.put("text model", request.textEncoder().modelId());
    }
    if (request.stages().contains(Stage.VISUAL) || request.stages().contains(Stage.TEXTUAL)) {
      s.put("image model", request.imageEncoder().modelId());
      s.put("shard", request.shard().toString());
    }
    if (request.stages().contains(Stage.TEXTUAL)) {
      s.put("crops", cropsSetting(request));
      s.put("layout", request.compact() ? "compact" : "original");
    }
    return s;
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
