package org.ctx4j.core.dataset;

import com.google.common.base.Preconditions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ctx4j.DatasetException;
import org.ctx4j.DatasetFormatException;
import org.ctx4j.core.internal.dataset.JsonInput;
import org.ctx4j.core.internal.dataset.VgCaptionCollector;
import org.ctx4j.core.internal.dataset.VgJsonReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caption database of Xmodal-Ctx: short phrases ("white dog", "man riding horse") built from
 * Visual Genome's {@code attributes.json} and {@code relationships.json}, with the rules of the
 * original {@code encode_captions.py} (its {@code VisualGenomeCaptions.parse_annotations}):
 *
 * <ul>
 *   <li>words are lowercased, stripped of surrounding whitespace and then of the characters
 *       U+0000..U+001F, with Python's semantics; synsets keep the part before the first '.';
 *   <li>each object adds its attributes to the attribute set of its synset names; the captions are
 *       {@code "{attribute} {name}"} for every non-empty attribute. As in the original, names first
 *       seen in the same object share one set from then on;
 *   <li>each relationship gives {@code "{subject} {predicate} {object}"} for every subject and
 *       object synset;
 *   <li>the result is the unique captions, sorted by code point (as numpy sorts).
 * </ul>
 *
 * <p>Both files are streamed; memory holds the distinct words and one packed long per distinct
 * caption, under 1 GB of heap for the real files (see docs/datasets.md).
 */
public final class VisualGenomeCaptions {
  private static final Logger LOG = LoggerFactory.getLogger(VisualGenomeCaptions.class);

  /** Receives how far reading has come, after each image of either file. */
  @FunctionalInterface
  public interface ProgressListener {
    /**
     * @param file the file being read
     * @param bytesRead bytes of it consumed so far
     * @param totalBytes its size
     */
    void progress(Path file, long bytesRead, long totalBytes);
  }

  private VisualGenomeCaptions() {}

  /**
   * Builds the caption list.
   *
   * @return the unique captions sorted by Unicode code point; immutable
   * @throws DatasetException if a file is absent or unreadable
   * @throws DatasetFormatException if a file is not Visual Genome JSON, naming line, column, field
   */
  public static List<String> build(Path attributesJson, Path relationshipsJson) {
    return build(attributesJson, relationshipsJson, (file, done, total) -> {});
  }

  /** {@link #build(Path, Path)} reporting progress to {@code progress}. */
  public static List<String> build(
      Path attributesJson, Path relationshipsJson, ProgressListener progress) {
    Preconditions.checkNotNull(attributesJson, "attributesJson");
    Preconditions.checkNotNull(relationshipsJson, "relationshipsJson");
    Preconditions.checkNotNull(progress, "progress");
    long start = System.nanoTime();
    VgCaptionCollector collector = new VgCaptionCollector();
    try (JsonInput in = JsonInput.open(attributesJson)) {
      long total = sizeOf(attributesJson);
      VgJsonReader.readAttributes(
          in, collector, bytes -> progress.progress(attributesJson, bytes, total));
    }
    try (JsonInput in = JsonInput.open(relationshipsJson)) {
      long total = sizeOf(relationshipsJson);
      VgJsonReader.readRelationships(
          in, collector, bytes -> progress.progress(relationshipsJson, bytes, total));
    }
    List<String> captions = List.copyOf(collector.sortedCaptions());
    LOG.info(
        "{} Visual Genome captions from {} distinct words in {} s",
        captions.size(),
        collector.vocabularySize(),
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
    return captions;
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new DatasetException(file, "cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
