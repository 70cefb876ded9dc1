package org.ctx4j.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * SHA-256 digests of the files a build is made from, as recorded in its manifest and its files'
 * root attributes: {@code sha256:} and 64 hex digits, the same value {@code sha256sum} prints for a
 * single file.
 *
 * <p>Why SHA-256 over content and not sizes and dates: a model checkpoint replaced by another of
 * the same name and size must be told apart, and SHA-256 runs at 1.1-1.3 GB/s on the 2-core build
 * box (x86 SHA extensions), so a 600 MB ViT-B/32 checkpoint costs about half a second per build run
 * — small next to loading it. Image files are the exception (see the pipeline's image list
 * digest): 123,287 COCO images are 19 GB.
 */
public final class ContentDigest {
  private static final int CHUNK = 1 << 20;

  private ContentDigest() {}

  /** {@code sha256:<hex>} of one file's bytes. */
  public static String ofFile(Path file) {
    MessageDigest md = sha256();
    update(md, file);
    return format(md);
  }

  /**
   * {@code sha256:<hex>} of several files: each file's name (not its directory) and bytes, in the
   * order given; files that do not exist are recorded as absent.
   */
  public static String ofFiles(List<Path> files) {
    MessageDigest md = sha256();
    for (Path f : files) {
      md.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
      if (Files.isRegularFile(f)) {
        md.update((byte) 1);
        update(md, f);
      } else {
        md.update((byte) 0);
      }
    }
    return format(md);
  }

  /** {@code sha256:<hex>} of a string (UTF-8). */
  public static String ofText(String text) {
    MessageDigest md = sha256();
    md.update(text.getBytes(StandardCharsets.UTF_8));
    return format(md);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static void update(MessageDigest md, Path file) {
    // A byte channel, not FileChannel.open: inputs may be on another file system provider (the
    // Spark job reads hdfs:// inputs through java.nio); on the default one it is a FileChannel.
    try (SeekableByteChannel ch = Files.newByteChannel(file)) {
      ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
      while (ch.read(buffer) >= 0) {
        buffer.flip();
        md.update(buffer);
        buffer.clear();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + " to digest it", e);
    }
  }

  static String format(MessageDigest md) {
    return "sha256:" + HexFormat.of().formatHex(md.digest());
  }
}
