package org.ctx4j.core;

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
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.ctx4j.Ctx4jException;
import org.ctx4j.hdf5.TextualContextFile;
import org.ctx4j.hdf5.TextualContextWriter;
import org.ctx4j.hdf5.TextualLayout;
import org.ctx4j.hdf5.VisualContextFile;
import org.ctx4j.hdf5.VisualContextWriter;

/**
 * Joins the shard files of a directory ({@code vis_ctx.shard-i-of-n.hdf5}, {@code
 * txt_ctx.shard-i-of-n.hdf5}) into {@code vis_ctx.hdf5} and {@code txt_ctx.hdf5}, ids ascending.
 * Refuses when a shard is missing or unfinished, when shards disagree on n or settings, or when an
 * image id occurs in two shards. Resumable like a build: rerun after an interruption.
 */
final class ShardMerger {
  private static final Pattern SHARD_FILE =
      Pattern.compile("(vis_ctx|txt_ctx)\\.shard-(\\d+)-of-(\\d+)\\.hdf5");

  /**
   * The root attribute naming a shard: besides those the writers set themselves, the only one a
   * merged file drops. Everything else (model,
   * its digest and numerics, the image list's digest, the caption db's identity) is the same in
   * every shard and in a one-machine build, so the merged file has the bytes of that build.
   */
  private static final String SHARD_ATTRIBUTE = "shard";

  private ShardMerger() {}

  public static BuildReport merge(Path dir) {
    long start = System.nanoTime();
    Map<Stage, TreeMap<Integer, Path>> shardFiles = new EnumMap<>(Stage.class);
    int count = -1;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Matcher m = SHARD_FILE.matcher(p.getFileName().toString());
        if (!m.matches()) {
          continue;
        }
        int n = Integer.parseInt(m.group(3));
        if (count >= 0 && n != count) {
          throw new Ctx4jException(
              "shard files of different shard counts (" + count + " and " + n + ") in " + dir);
        }
        count = n;
        Stage stage = m.group(1).equals("vis_ctx") ? Stage.VISUAL : Stage.TEXTUAL;
        shardFiles.computeIfAbsent(stage, s -> new TreeMap<>()).put(Integer.parseInt(m.group(2)), p);
      }
    } catch (IOException e) {
      throw new Ctx4jException("cannot list shard directory " + dir + ": " + e, e);
    }
    if (shardFiles.isEmpty()) {
      throw new Ctx4jException("no shard files (vis_ctx.shard-i-of-n.hdf5, ...) in " + dir);
    }
    Map<String, String> settings = checkShards(dir, count, shardFiles);
    Map<Stage, Path> outputs = new EnumMap<>(Stage.class);
    int images = 0;
    int written = 0;
    OutputFiles merged = new OutputFiles(dir, Shard.WHOLE);
    BuildManifest manifest = BuildManifest.load(merged.manifest());
    Map<String, String> mergedSettings = new LinkedHashMap<>(settings);
    mergedSettings.put("shard", Shard.WHOLE.toString());
    manifest.checkAndMerge(mergedSettings);
    manifest.save();
    if (shardFiles.containsKey(Stage.VISUAL)) {
      outputs.put(Stage.VISUAL, merged.visual());
      int[] counts = mergeVisual(shardFiles.get(Stage.VISUAL), merged.visual());
      images = counts[0];
      written += counts[1];
      manifest.markDone(Stage.VISUAL);
    }
    if (shardFiles.containsKey(Stage.TEXTUAL)) {
      outputs.put(Stage.TEXTUAL, merged.textual());
      int[] counts = mergeTextual(shardFiles.get(Stage.TEXTUAL), merged.textual());
      images = Math.max(images, counts[0]);
      written = Math.max(written, counts[1]);
      manifest.markDone(Stage.TEXTUAL);
    }
    mergeSkipped(dir, count, merged.skipped());
    return new BuildReport(
        dir, outputs.keySet(), false, 0, images, written, images - written, List.of(), Map.of(),
        Duration.ofNanos(System.nanoTime() - start), outputs);
  }

  /** Every shard 0..n-1 present and finished, same settings; returns those settings. */
  private static Map<String, String> checkShards(
      Path dir, int count, Map<Stage, TreeMap<Integer, Path>> shardFiles) {
    Map<String, String> common = null;
    for (Map.Entry<Stage, TreeMap<Integer, Path>> e : shardFiles.entrySet()) {
      List<String> missing = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        if (!e.getValue().containsKey(i)) {
          OutputFiles files = new OutputFiles(dir, new Shard(i, count));
          Path expected = e.getKey() == Stage.VISUAL ? files.visual() : files.textual();
          missing.add(expected.getFileName().toString());
        }
      }
      if (!missing.isEmpty()) {
        throw new Ctx4jException("missing shard files in " + dir + ": " + String.join(", ", missing));
      }
    }
    for (int i = 0; i < count; i++) {
      Shard shard = new Shard(i, count);
      Path manifestFile = new OutputFiles(dir, shard).manifest();
      BuildManifest m = BuildManifest.load(manifestFile);
      for (Stage stage : shardFiles.keySet()) {
        if (!m.isDone(stage)) {
          throw new Ctx4jException(
              "shard " + shard + " has not finished stage " + stage + " (" + manifestFile
                  + "): rerun its build with --shard " + shard + " first");
        }
      }
      Map<String, String> s = new TreeMap<>(m.settings());
      s.remove("shard");
      if (common == null) {
        common = s;
      } else if (!common.equals(s)) {
        throw new Ctx4jException(
            "shard " + shard + " was built with other settings (" + s + ") than shard 0/" + count
                + " (" + common + ")");
      }
    }
    return common;
  }

  /** Returns {images in the merged file, images written now}. */
  private static int[] mergeVisual(TreeMap<Integer, Path> shards, Path out) {
    List<VisualContextFile> files = new ArrayList<>();
    try {
      for (Path p : shards.values()) {
        files.add(VisualContextFile.open(p));
      }
      TreeMap<Long, Integer> owner = owners(shards, files.stream().map(VisualContextFile::ids).toList());
      Map<String, String> provenance = withoutShard(files.get(0).attributes());
      int written = 0;
      try (VisualContextWriter w = VisualContextWriter.open(out, files.get(0).dim(), provenance)) {
        for (Map.Entry<Long, Integer> e : owner.entrySet()) {
          if (!w.isComplete(e.getKey())) {
            w.copyImage(files.get(e.getValue()), e.getKey());
            written++;
          }
        }
      }
      return new int[] {owner.size(), written};
    } finally {
      BuildRunner.closeAll(files.toArray(AutoCloseable[]::new));
    }
  }

  private static int[] mergeTextual(TreeMap<Integer, Path> shards, Path out) {
    List<TextualContextFile> files = new ArrayList<>();
    try {
      for (Path p : shards.values()) {
        files.add(TextualContextFile.open(p));
      }
      TextualContextFile first = files.get(0);
      TreeMap<Long, Integer> owner =
          owners(shards, files.stream().map(TextualContextFile::ids).toList());
      TextualLayout layout = new TextualLayout(first.dim(), first.crops(), first.isCompact());
      Map<String, String> provenance = withoutShard(first.attributes());
      int written = 0;
      try (TextualContextWriter w = TextualContextWriter.open(out, layout, provenance)) {
        for (Map.Entry<Long, Integer> e : owner.entrySet()) {
          if (!w.isComplete(e.getKey())) {
            w.copyImage(files.get(e.getValue()), e.getKey());
            written++;
          }
        }
      }
      return new int[] {owner.size(), written};
    } finally {
      BuildRunner.closeAll(files.toArray(AutoCloseable[]::new));
    }
  }

  /** Which shard holds each id; refuses an id held by two shards. */
  private static TreeMap<Long, Integer> owners(TreeMap<Integer, Path> shards, List<long[]> ids) {
    TreeMap<Long, Integer> owner = new TreeMap<>();
    List<Path> paths = new ArrayList<>(shards.values());
    for (int s = 0; s < ids.size(); s++) {
      for (long id : ids.get(s)) {
        Integer previous = owner.putIfAbsent(id, s);
        if (previous != null) {
          throw new Ctx4jException(
              String.format(
                  Locale.ROOT,
                  "image %d is in two shards: %s and %s",
                  id,
                  paths.get(previous),
                  paths.get(s)));
        }
      }
    }
    return owner;
  }

  private static Map<String, String> withoutShard(Map<String, String> attributes) {
    Map<String, String> p = new LinkedHashMap<>(attributes);
    p.remove(SHARD_ATTRIBUTE);
    p.keySet().removeAll(VisualContextWriter.WRITER_ATTRIBUTES);
    return p;
  }

  private static void mergeSkipped(Path dir, int count, Path out) {
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
        Files.write(out, lines, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + out, e);
      }
    }
  }
}
