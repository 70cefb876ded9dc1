package org.ctx4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Byte-for-byte comparison of a build's three files with a one-machine build's. When bytes differ,
 * the failure shows where: the lines of {@code h5dump -A} (structure and attributes, which is where
 * a difference of settings or provenance shows) that differ, not two arrays of raw bytes.
 */
final class ContextFiles {
  static final List<String> FILES = List.of("caption_db.hdf5", "vis_ctx.hdf5", "txt_ctx.hdf5");

  private ContextFiles() {}

  static void assertSame(Path expected, Path actual, String what) {
    for (String file : FILES) {
      byte[] want = read(expected.resolve(file));
      byte[] got = read(actual.resolve(file));
      if (!java.util.Arrays.equals(want, got)) {
        assertThat(headerDump(actual.resolve(file)))
            .as(file + " " + what + ": the h5dump -A lines of " + actual + " vs " + expected)
            .containsExactlyElementsOf(headerDump(expected.resolve(file)));
        assertThat(got).as(file + " " + what + " (same h5dump -A, data differ)").isEqualTo(want);
      }
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code h5dump -A} of {@code file}, without the line naming the file. */
  private static List<String> headerDump(Path file) {
    try {
      Process p = new ProcessBuilder("h5dump", "-A", file.toString()).redirectErrorStream(true)
          .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      List<String> lines = new ArrayList<>(out.lines().toList());
      lines.removeIf(l -> l.startsWith("HDF5 \""));
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
