package org.ctx4j.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/** Reads the golden files that the committed Python scripts under {@code golden/} produced. */
final class GoldenFiles {
  private GoldenFiles() {}

  static Path path(String resource) {
    try {
      return Path.of(
          Objects.requireNonNull(GoldenFiles.class.getResource(resource), resource).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static InputStream open(String resource) {
    return Objects.requireNonNull(GoldenFiles.class.getResourceAsStream(resource), resource);
  }

  static byte[] gunzip(String resource) {
    try (InputStream in = new GZIPInputStream(open(resource))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** CSV rows, comment lines ({@code #}) skipped. */
  static List<String[]> csv(String resource) {
    List<String[]> rows = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(open(resource), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.startsWith("#") && !line.isBlank()) {
          rows.add(line.split(","));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }
}
