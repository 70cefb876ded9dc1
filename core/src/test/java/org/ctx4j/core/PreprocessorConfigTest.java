package org.ctx4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ctx4j.PreprocessorConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreprocessorConfigTest {
  @TempDir Path dir;

  private Path json(String text) throws IOException {
    Path file = dir.resolve("preprocessor_config.json");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void readsTransformers417ClipConfig() throws IOException {
    // openai/clip-vit-base-patch32 as published for transformers 4.17.
    Path file =
        json(
            "{\"crop_size\": 224, \"do_center_crop\": true, \"do_normalize\": true,"
                + " \"do_resize\": true, \"feature_extractor_type\": \"CLIPFeatureExtractor\","
                + " \"image_mean\": [0.48145466, 0.4578275, 0.40821073],"
                + " \"image_std\": [0.26862954, 0.26130258, 0.27577711], \"resample\": 3,"
                + " \"size\": 224}");
    assertThat(PreprocessorConfig.read(file)).isEqualTo(PreprocessorConfig.clipVitB32());
  }

  @Test
  void readsNewerDictForms() throws IOException {
    Path file =
        json(
            "{\"size\": {\"shortest_edge\": 336}, \"crop_size\": {\"height\": 320, \"width\": 320},"
                + " \"do_rescale\": true, \"rescale_factor\": 0.00392156862745098,"
                + " \"do_convert_rgb\": true, \"image_processor_type\": \"CLIPImageProcessor\"}");
    PreprocessorConfig config = PreprocessorConfig.read(file);
    assertThat(config.shortestEdge()).isEqualTo(336);
    assertThat(config.cropSize()).isEqualTo(320);
    assertThat(config.mean()).containsExactly(PreprocessorConfig.clipVitB32().mean());
  }

  @Test
  void rejectsNonSquareCropNamingFileAndField() throws IOException {
    Path file = json("{\"size\": 224, \"crop_size\": {\"height\": 224, \"width\": 200}}");
    assertThatThrownBy(() -> PreprocessorConfig.read(file))
        .isInstanceOf(PreprocessorConfigException.class)
        .hasMessage(file + ": field 'crop_size': only square crops are supported, got 200x224");
  }

  @Test
  void rejectsOtherResampleFilters() throws IOException {
    Path file = json("{\"size\": 224, \"crop_size\": 224, \"resample\": 2}");
    assertThatThrownBy(() -> PreprocessorConfig.read(file))
        .isInstanceOf(PreprocessorConfigException.class)
        .hasMessageContaining("'resample'")
        .hasMessageContaining("got 2");
  }

  @Test
  void rejectsMissingSizeAndMalformedJson() throws IOException {
    Path noSize = json("{\"crop_size\": 224}");
    assertThatThrownBy(() -> PreprocessorConfig.read(noSize))
        .isInstanceOf(PreprocessorConfigException.class)
        .hasMessage(noSize + ": field 'size': missing");
    Path broken = json("{\"size\": ");
    assertThatThrownBy(() -> PreprocessorConfig.read(broken))
        .isInstanceOf(PreprocessorConfigException.class)
        .hasMessageStartingWith(broken + ": cannot read JSON");
  }

  @Test
  void arraysAreCopiedInAndOut() {
    float[] mean = {0.5f, 0.5f, 0.5f};
    PreprocessorConfig config = new PreprocessorConfig(10, 8, mean, new float[] {1, 1, 1});
    mean[0] = 9;
    config.mean()[1] = 9;
    assertThat(config.mean()).containsExactly(0.5f, 0.5f, 0.5f);
  }

  @Test
  void rejectsBadValuesNamingThem() {
    assertThatThrownBy(() -> new PreprocessorConfig(0, 8, new float[3], new float[] {1, 1, 1}))
        .hasMessage("shortestEdge must be positive, got 0");
    assertThatThrownBy(() -> new PreprocessorConfig(8, 8, new float[3], new float[] {1, 0, 1}))
        .hasMessage("std values must be positive, got [1.0, 0.0, 1.0]");
  }
}
