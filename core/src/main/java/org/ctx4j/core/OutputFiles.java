package org.ctx4j.core;

import java.nio.file.Path;

/**
 * Where a build writes. The caption db is shared by all shards; every other file carries the
 * shard's suffix ({@code vis_ctx.shard-1-of-4.hdf5}) so that shards can share a directory.
 */
record OutputFiles(Path dir, Shard shard) {
  public static final String CAPTION_DB = "caption_db.hdf5";
  public static final String VISUAL = "vis_ctx";
  public static final String TEXTUAL = "txt_ctx";
  public static final String SKIPPED = "skipped";
  public static final String MANIFEST = "ctx4j-build";

  public Path captionDb() {
    return dir.resolve(CAPTION_DB);
  }

  public Path visual() {
    return dir.resolve(VISUAL + shard.fileSuffix() + ".hdf5");
  }

  public Path textual() {
    return dir.resolve(TEXTUAL + shard.fileSuffix() + ".hdf5");
  }

  /** The list of skipped images (id, file, reason), next to the outputs. */
  public Path skipped() {
    return dir.resolve(SKIPPED + shard.fileSuffix() + ".tsv");
  }

  /** The build's settings and finished stages, for resume and for refusing mixed settings. */
  public Path manifest() {
    return dir.resolve(MANIFEST + shard.fileSuffix() + ".json");
  }
}
