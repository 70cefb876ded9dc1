package org.ctx4j.core;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import java.util.function.LongPredicate;
import org.ctx4j.Ctx4jException;
import org.ctx4j.hdf5.TextualContextFile;
import org.ctx4j.hdf5.TextualContextWriter;
import org.ctx4j.hdf5.VisualContextFile;
import org.ctx4j.hdf5.VisualContextWriter;

/**
 * Joins the shards of a sharded build ({@link ContextBuilder#shard(int, int)}) into {@code
 * vis_ctx.hdf5} and {@code txt_ctx.hdf5} one shard at a time, in shard order, as each one is
 * finished: a scheduler can merge shard 0 while later shards are still being built, so that the
 * merge overlaps the image pass instead of following it. {@link ContextBuilder#mergeShards} is
 * this with every shard added at once.
 *
 * <p>The result is byte for byte the one-machine build: shards are slices of one image list sorted
 * by id, so appending them in order writes every image where that build writes it (each image's
 * bytes are copied, not decoded: {@link TextualContextWriter#copyImage}). Resumable like a build:
 * after an interruption, open the same directory again and add every shard from 0; images already
 * merged are skipped. Not thread-safe.
 */
public final class ShardMerge implements AutoCloseable {
  /**
   * The root attribute naming a shard: besides those the writers set themselves, the only one a
   * merged file drops. Everything else (model, its digest and numerics, the image list's digest,
   * the caption db's identity) is the same in every shard and in a one-machine build.
   */
  private static final String SHARD_ATTRIBUTE = "shard";

  private final Path dir;
  private final int count;
  private final long start = System.nanoTime();
  private final OutputFiles merged;
  private final BuildManifest manifest;
  private final Set<Stage> stages = EnumSet.noneOf(Stage.class);
  private Map<String, String> settings;
  private VisualContextWriter visual;
  private TextualContextWriter textual;
  private int next;
  private long lastId = -1;
  private int lastIdShard = -1;
  private int images;
  private int written;
  private boolean finished;

  private ShardMerge(Path dir, int count) {
    this.dir = dir;
    this.count = count;
    this.merged = new OutputFiles(dir, Shard.WHOLE);
    this.manifest = BuildManifest.load(merged.manifest());
  }

  /**
   * Starts (or resumes) merging the {@code count} shards of {@code dir}; nothing is written before
   * the first {@link #add}.
   */
  public static ShardMerge open(Path dir, int count) {
    checkArgument(count >= 2, "a sharded build has at least 2 shards, not %s", count);
    return new ShardMerge(dir, count);
  }

  /** The number of shards added so far: the next {@link #add} takes this index. */
  public int added() {
    return next;
  }

  /**
   * Appends shard {@code shard}'s images. Its files (and its manifest) must be in the directory
   * and finished.
   *
   * @throws IllegalStateException if {@code shard} is not the next one (shards go in order)
   * @throws Ctx4jException naming the shard when it is missing or unfinished, was built with other
   *     settings than shard 0 or with other stages, or holds an image at or before one of an
   *     earlier shard (then it is not a slice of the same sorted image list)
   */
  public void add(int shard) {
    checkState(!finished, "merge of %s is finished", dir);
    checkState(shard == next, "shards are merged in order: expected shard %s, got %s", next, shard);
    Shard s = new Shard(shard, count);
    OutputFiles files = new OutputFiles(dir, s);
    Map<Stage, Path> present = new EnumMap<>(Stage.class);
    if (Files.exists(files.visual())) {
      present.put(Stage.VISUAL, files.visual());
    }
    if (Files.exists(files.textual())) {
      present.put(Stage.TEXTUAL, files.textual());
    }
    if (present.isEmpty()) {
      throw new Ctx4jException(
          "missing shard files in " + dir + ": " + files.visual().getFileName() + ", "
              + files.textual().getFileName());
    }
    checkShard(s, present);
    if (present.containsKey(Stage.VISUAL)) {
      addVisual(shard, present.get(Stage.VISUAL));
    }
    if (present.containsKey(Stage.TEXTUAL)) {
      addTextual(shard, present.get(Stage.TEXTUAL));
    }
    next++;
  }

  /** The shard finished its stages, with shard 0's settings and stages. */
  private void checkShard(Shard shard, Map<Stage, Path> present) {
    Map<String, String> s = finishedSettings(dir, shard, present.keySet());
    if (settings == null) {
      settings = s;
      Map<String, String> mergedSettings = new LinkedHashMap<>(s);
      mergedSettings.put("shard", Shard.WHOLE.toString());
      manifest.checkAndMerge(mergedSettings);
      manifest.save();
      stages.addAll(present.keySet());
      return;
    }
    checkSameSettings(shard, s, settings);
    if (!present.keySet().equals(stages)) {
      throw new Ctx4jException(
          "shard " + shard + " has the files of stages " + present.keySet() + ", shard 0/" + count
              + " those of " + stages + " (in " + dir + ")");
    }
  }

  /**
   * Checks, before anything is written, that every shard finished {@code stages} with the same
   * settings (what {@link #add} checks shard by shard).
   */
  static void checkAll(Path dir, int count, Set<Stage> stages) {
    Map<String, String> first = null;
    for (int i = 0; i < count; i++) {
      Shard shard = new Shard(i, count);
      Map<String, String> s = finishedSettings(dir, shard, stages);
      if (first == null) {
        first = s;
      } else {
        checkSameSettings(shard, s, first);
      }
    }
  }

  /** The shard's build settings (without its index), after checking it finished {@code stages}. */
  private static Map<String, String> finishedSettings(Path dir, Shard shard, Set<Stage> stages) {
    Path manifestFile = new OutputFiles(dir, shard).manifest();
    BuildManifest m = BuildManifest.load(manifestFile);
    for (Stage stage : stages) {
      if (!m.isDone(stage)) {
        throw new Ctx4jException(
            "shard " + shard + " has not finished stage " + stage + " (" + manifestFile
                + "): rerun its build with --shard " + shard + " first");
      }
    }
    Map<String, String> s = new TreeMap<>(m.settings());
    s.remove("shard");
    return s;
  }

  private static void checkSameSettings(
      Shard shard, Map<String, String> s, Map<String, String> first) {
    if (!first.equals(s)) {
      throw new Ctx4jException(
          "shard " + shard + " was built with other settings (" + s + ") than shard 0/"
              + shard.count() + " (" + first + ")");
    }
  }

  private void addVisual(int shard, Path file) {
    try (VisualContextFile from = VisualContextFile.open(file)) {
      if (visual == null) {
        visual =
            VisualContextWriter.open(merged.visual(), from.dim(), withoutShard(from.attributes()));
      }
      long[] ids = from.ids();
      checkOrder(shard, file, ids);
      written += copyMissing(ids, visual::isComplete, id -> visual.copyImage(from, id));
      images += ids.length;
    }
  }

  private void addTextual(int shard, Path file) {
    try (TextualContextFile from = TextualContextFile.open(file)) {
      if (textual == null) {
        textual =
            TextualContextWriter.open(
                merged.textual(), from.layout(), withoutShard(from.attributes()));
      }
      long[] ids = from.ids();
      if (visual == null) {
        checkOrder(shard, file, ids); // else checked with the shard's vis_ctx
      }
      int copied = copyMissing(ids, textual::isComplete, id -> textual.copyImage(from, id));
      if (visual == null) {
        images += ids.length;
        written += copied;
      }
    }
  }

  /** Copies the images not merged yet (all but those of an interrupted earlier merge). */
  private static int copyMissing(long[] ids, LongPredicate merged, LongConsumer copy) {
    int copied = 0;
    for (long id : ids) {
      if (!merged.test(id)) {
        copy.accept(id);
        copied++;
      }
    }
    return copied;
  }

  /** The shard's ids come after every earlier shard's: one sorted list cut into slices. */
  private void checkOrder(int shard, Path file, long[] ids) {
    if (ids.length == 0) {
      return;
    }
    if (ids[0] <= lastId) {
      throw new Ctx4jException(
          String.format(
              Locale.ROOT,
              "image %d of shard %d (%s) is not after image %d of shard %d: shards must be"
                  + " slices of one image list sorted by id (an image in two shards?)",
              ids[0], shard, file, lastId, lastIdShard));
    }
    lastId = ids[ids.length - 1];
    lastIdShard = shard;
  }

  /**
   * Finalises the merged files after the last shard, and joins the shards' {@code skipped.tsv}.
   *
   * @throws IllegalStateException if a shard has not been added
   */
  public BuildReport finish() {
    checkState(next == count, "%s of %s shards of %s added", next, count, dir);
    checkState(!finished, "merge of %s is finished", dir);
    Map<Stage, Path> outputs = new EnumMap<>(Stage.class);
    if (visual != null) {
      visual.close();
      outputs.put(Stage.VISUAL, merged.visual());
      manifest.markDone(Stage.VISUAL);
    }
    if (textual != null) {
      textual.close();
      outputs.put(Stage.TEXTUAL, merged.textual());
      manifest.markDone(Stage.TEXTUAL);
    }
    mergeSkipped();
    finished = true;
    return new BuildReport(
        dir, outputs.keySet(), false, 0, images, written, images - written, List.of(), Map.of(),
        Duration.ofNanos(System.nanoTime() - start), outputs);
  }

  /**
   * Without {@link #finish}: stops, leaving the merged files partial (a later merge of the same
   * directory resumes them). After {@link #finish}: nothing.
   */
  @Override
  public void close() {
    if (!finished) {
      BuildRunner.closeAll(abandoning(visual), abandoning(textual));
    }
  }

  private static AutoCloseable abandoning(VisualContextWriter w) {
    return w == null ? null : w::abandon;
  }

  private static AutoCloseable abandoning(TextualContextWriter w) {
    return w == null ? null : w::abandon;
  }

  private static Map<String, String> withoutShard(Map<String, String> attributes) {
    Map<String, String> p = new LinkedHashMap<>(attributes);
    p.remove(SHARD_ATTRIBUTE);
    p.keySet().removeAll(VisualContextWriter.WRITER_ATTRIBUTES);
    return p;
  }

  private void mergeSkipped() {
    List<String> lines = new ArrayList<>();
    boolean any = false;
    for (int i = 0; i < count; i++) {
      Path p = new OutputFiles(dir, new Shard(i, count)).skipped();
      if (Files.exists(p)) {
        any = true;
        try {
          List<String> shardLines = Files.readAllLines(p, StandardCharsets.UTF_8);
          lines.addAll(shardLines.subList(Math.min(1, shardLines.size()), shardLines.size()));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + p, e);
        }
      }
    }
    if (any) {
      lines.add(0, "id\tfile\treason");
      try {
        Files.write(merged.skipped(), lines, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + merged.skipped(), e);
      }
    }
  }
}
