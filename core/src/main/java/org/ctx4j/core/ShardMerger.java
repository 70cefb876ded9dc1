package org.ctx4j.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.ctx4j.Ctx4jException;

/**
 * Finds the shard files of a directory ({@code vis_ctx.shard-i-of-n.hdf5}, {@code
 * txt_ctx.shard-i-of-n.hdf5}), checks that none is missing or unfinished and all were built with
 * the same settings before anything is written, then joins them with {@link ShardMerge}.
 */
final class ShardMerger {
  private static final Pattern SHARD_FILE =
      Pattern.compile("(vis_ctx|txt_ctx)\\.shard-(\\d+)-of-(\\d+)\\.hdf5");

  private ShardMerger() {}

  public static BuildReport merge(Path dir) {
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
    checkShards(dir, count, shardFiles);
    try (ShardMerge merge = ShardMerge.open(dir, count)) {
      for (int i = 0; i < count; i++) {
        merge.add(i);
      }
      return merge.finish();
    }
  }

  /** Every shard 0..n-1 present and finished, same settings. */
  private static void checkShards(
      Path dir, int count, Map<Stage, TreeMap<Integer, Path>> shardFiles) {
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
    ShardMerge.checkAll(dir, count, shardFiles.keySet());
  }
}
