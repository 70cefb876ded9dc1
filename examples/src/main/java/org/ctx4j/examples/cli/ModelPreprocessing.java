package org.ctx4j.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ctx4j.core.ClipPreprocessor;
import org.ctx4j.core.PreprocessorConfig;

/** The CLIP model directory's pixel preprocessing, or CLIP ViT-B/32's when it has none. */
final class ModelPreprocessing {
  private ModelPreprocessing() {}

  static ClipPreprocessor of(Path modelDir) {
    Path config = modelDir.resolve("preprocessor_config.json");
    return Files.isRegularFile(config)
        ? ClipPreprocessor.of(PreprocessorConfig.read(config))
        : ClipPreprocessor.defaults();
  }
}
