package org.ctx4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.ctx4j.Ctx4jException;
import org.ctx4j.core.CaptionDb;

/**
 * Local copies of an output's caption db on an executor, for outputs the executors cannot mount
 * ({@code hdfs://}, {@code s3a://}): each JVM copies the file once to its temporary directory,
 * named by the output, the file's length and modification time, and memory-maps its keys from
 * there like a one-machine build; a later task (or a JVM of the same machine) finds the copy. When
 * the tasks search the keys mapped, the copy's panel cache is made with it, before any of them
 * searches ({@link CaptionDb#preparePanelCache}).
 */
final class ExecutorCaptionDbs {
  /** Local copies whose panel cache this JVM has made or found (each task need not check). */
  private static final Set<Path> PANELS_READY = new HashSet<>();

  private ExecutorCaptionDbs() {}

  /** The local copy of {@code relative} in {@code store}'s output, made on first use. */
  static synchronized Path local(OutputStore store, String relative, boolean mappedKeys) {
    long[] stat = store.stat(relative);
    if (stat == null) {
      throw new Ctx4jException("no " + store.path(relative) + ": the caption db must be built first");
    }
    String key = store.path(relative) + "\u0000" + stat[0] + "\u0000" + stat[1];
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "ctx4j-caption-db-" + shortHash(key));
    Path file = dir.resolve(relative);
    try {
      boolean copied = !Files.isRegularFile(file) || Files.size(file) != stat[0];
      if (copied) {
        Files.createDirectories(dir);
        store.download(relative, file);
      }
      if (mappedKeys && (PANELS_READY.add(file) || copied)) {
        try (CaptionDb db = CaptionDb.open(file)) {
          db.preparePanelCache();
        }
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the caption db to " + file, e);
    }
  }

  /** 16 hex digits of the SHA-256 of {@code text}: a short file name for a long key. */
  static String shortHash(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
