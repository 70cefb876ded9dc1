package org.ctx4j.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a {@link ContextBuilder#build()} did.
 *
 * @param outputDir the directory holding the files
 * @param stages the stages this build covers
 * @param upToDate true when an earlier run had already finished everything: nothing was done
 * @param captions captions in the caption db used or built (0 when no stage needed one)
 * @param images images in this build (this shard's slice, after nothing is skipped)
 * @param imagesWritten images encoded and written by this run
 * @param imagesResumed images found complete from an earlier, interrupted run
 * @param skipped images skipped as bad (only with {@link ContextBuilder#skipBad(boolean)}), by id
 * @param timings busy time per pipeline step, in pipeline order (keys such as {@code "decode"},
 *     {@code "preprocess"}, {@code "encode images"}, {@code "encoder idle"}, {@code "retrieve"},
 *     {@code "write"}); decode and preprocess are summed over worker threads
 * @param wallTime wall-clock time of the whole build
 * @param files the files written, by stage
 */
public record BuildReport(
    Path outputDir,
    Set<Stage> stages,
    boolean upToDate,
    int captions,
    int images,
    int imagesWritten,
    int imagesResumed,
    List<SkippedImage> skipped,
    Map<String, Duration> timings,
    Duration wallTime,
    Map<Stage, Path> files) {

  /** An image left out by {@link ContextBuilder#skipBad(boolean)}, as listed in skipped.tsv. */
  public record SkippedImage(long id, Path file, String reason) {}

  public BuildReport {
    stages =
        stages.isEmpty()
            ? Set.of()
            : Collections.unmodifiableSet(EnumSet.copyOf(stages)); // pipeline order
    skipped = List.copyOf(skipped);
    timings = Collections.unmodifiableMap(new LinkedHashMap<>(timings));
    files = Collections.unmodifiableMap(new TreeMap<>(files));
  }

  /** Images per second written by this run (0 when none). */
  public double imagesPerSecond() {
    double seconds = wallTime.toNanos() / 1e9;
    return imagesWritten == 0 || seconds <= 0 ? 0 : imagesWritten / seconds;
  }

  /** A few human-readable lines: what was done, where the files are. */
  public String summary() {
    List<String> lines = new ArrayList<>();
    if (upToDate) {
      lines.add("nothing to do: the build in " + outputDir + " is already complete");
    } else {
      lines.add(
          String.format(
              Locale.ROOT,
              "built %s in %.1f s: %d images written, %d resumed, %d skipped%s",
              stages,
              wallTime.toMillis() / 1000.0,
              imagesWritten,
              imagesResumed,
              skipped.size(),
              captions > 0 ? ", " + captions + " captions" : ""));
    }
    files.forEach((stage, file) -> lines.add("  " + stage + ": " + file));
    return String.join(System.lineSeparator(), lines);
  }
}
