package org.ctx4j.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.ctx4j.BuildInterruptedException;
import org.ctx4j.Ctx4jException;
import org.ctx4j.core.dataset.VisualGenomeCaptions;
import org.ctx4j.hdf5.CaptionDbWriter;

/**
 * Stage 1, as the original's {@code encode_captions.py}: Visual Genome captions → CLIP text keys
 * and features → {@code caption_db.hdf5}. The text encoder is used from one thread; batches are
 * appended in caption order. An interrupted run leaves no final file and is redone from the start
 * (it is minutes, not hours, next to the image pass).
 */
final class CaptionDbStage {
  static final String TASK = "captions";
  static final String READ_TASK = "reading Visual Genome (bytes)";

  private CaptionDbStage() {}

  private static List<String> readCaptions(
      Path attributes, Path relationships, ProgressListener progress) {
    long attributeBytes = sizeOf(attributes);
    long total = attributeBytes + sizeOf(relationships);
    progress.started(READ_TASK, total, 0);
    long[] done = {0};
    try {
      return VisualGenomeCaptions.build(
          attributes,
          relationships,
          (file, bytesRead, totalBytes) -> {
            done[0] = file.equals(attributes) ? bytesRead : attributeBytes + bytesRead;
            progress.advanced(READ_TASK, done[0]);
          });
    } finally {
      progress.finished(READ_TASK, done[0]);
    }
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Builds the caption db at {@code out}; returns the number of captions. {@code beforeWriting}
   * gets the number of captions once they are read, before anything is written, and may throw.
   */
  static int run(
      Path visualGenomeDir,
      TextEncoder encoder,
      Path out,
      boolean originalLayout,
      int batchSize,
      Map<String, String> provenance,
      ProgressListener progress,
      Timings timings,
      IntConsumer beforeWriting,
      AtomicReference<Supplier<DiskFull.Estimate>> workLeft) {
    Path attributes = visualGenomeDir.resolve("attributes.json");
    Path relationships = visualGenomeDir.resolve("relationships.json");
    for (Path p : List.of(attributes, relationships)) {
      if (!Files.isRegularFile(p)) {
        throw new Ctx4jException(
            "Visual Genome annotation file missing: " + p + " (expected attributes.json and"
                + " relationships.json in " + visualGenomeDir + ")");
      }
    }
    long t = System.nanoTime();
    List<String> captions = readCaptions(attributes, relationships, progress);
    t = timings.addSince("read captions", t);
    if (captions.isEmpty()) {
      throw new Ctx4jException(
          "no captions in " + attributes + " and " + relationships + ": the caption db would be empty");
    }
    beforeWriting.accept(captions.size()); // may refuse: nothing is written yet
    workLeft.set(
        DiskFull.captionDbWork(out, captions, encoder.embedDim(), encoder.featureDim()));
    try {
      Files.deleteIfExists(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot replace unfinished caption db " + out, e);
    }
    progress.started(TASK, captions.size(), 0);
    int done = 0;
    try (CaptionDbWriter writer =
        originalLayout
            ? CaptionDbWriter.createOriginalLayout(
                out, captions.size(), encoder.embedDim(), encoder.featureDim(), provenance)
            : CaptionDbWriter.create(
                out, captions.size(), encoder.embedDim(), encoder.featureDim(), provenance)) {
      for (int from = 0; from < captions.size(); from += batchSize) {
        if (Thread.currentThread().isInterrupted()) {
          // The caption db is redone from the start anyway: stop now, writing nothing final.
          throw new BuildInterruptedException(
              "interrupted after encoding " + done + " of " + captions.size() + " captions; the"
                  + " caption db is not written, and running the same build again redoes it");
        }
        List<String> batch = captions.subList(from, Math.min(captions.size(), from + batchSize));
        t = System.nanoTime();
        TextEncoder.TextEncoding enc = encoder.encode(batch);
        t = timings.addSince("encode captions", t);
        writer.append(batch, enc.keys(), enc.features());
        timings.addSince("write captions", t);
        done += batch.size();
        progress.advanced(TASK, done);
      }
    } finally {
      progress.finished(TASK, done);
    }
    return captions.size();
  }
}
