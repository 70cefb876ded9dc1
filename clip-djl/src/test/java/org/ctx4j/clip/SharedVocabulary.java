package org.ctx4j.clip;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Finds the real CLIP vocabulary ({@code shared/data/clip-vocab/}, beside the repository in CI) by
 * walking up from the working directory; tests that need it skip with a message when it is absent.
 */
final class SharedVocabulary {
  private SharedVocabulary() {}

  static Path dirOrSkip() {
    for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared/data/clip-vocab");
      if (Files.isRegularFile(candidate.resolve("vocab.json"))
          && Files.isRegularFile(candidate.resolve("merges.txt"))) {
        return candidate;
      }
    }
    assumeTrue(false, "real CLIP vocabulary not found: expected ../shared/data/clip-vocab/"
        + "{vocab.json,merges.txt} above " + Paths.get("").toAbsolutePath());
    throw new AssertionError("unreachable");
  }
}
