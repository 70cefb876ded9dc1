package org.ctx4j.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ctx4j.ClipModelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipConfigTest {
  @TempDir Path tmp;

  @Test
  void readsOlderHuggingFaceLayoutWithDictSectionsAndDefaults() throws IOException {
    // The shape of openai/clip-vit-base-patch32's config.json: sizes only in *_config_dict, and
    // many fields left to CLIPConfig's defaults.
    Files.writeString(tmp.resolve("config.json"), "{\n"
        + "  \"architectures\": [\"CLIPModel\"],\n"
        + "  \"projection_dim\": 512,\n"
        + "  \"text_config\": {},\n"
        + "  \"text_config_dict\": {\"hidden_size\": 512, \"intermediate_size\": 2048,\n"
        + "     \"num_attention_heads\": 8, \"num_hidden_layers\": 12, \"projection_dim\": 512},\n"
        + "  \"vision_config\": null,\n"
        + "  \"vision_config_dict\": {\"hidden_size\": 768, \"intermediate_size\": 3072,\n"
        + "     \"num_attention_heads\": 12, \"num_hidden_layers\": 12, \"patch_size\": 32}\n"
        + "}\n");
    ClipConfig config = ClipConfig.read(tmp);
    assertThat(config.projectionDim()).isEqualTo(512);
    assertThat(config.vision().hiddenSize()).isEqualTo(768);
    assertThat(config.vision().imageSize()).isEqualTo(224);
    assertThat(config.vision().gridSize()).isEqualTo(7);
    assertThat(config.vision().numPositions()).isEqualTo(50);
    assertThat(config.vision().hiddenAct()).isEqualTo("quick_gelu");
    assertThat(config.text().maxPositions()).isEqualTo(77);
    assertThat(config.text().vocabSize()).isEqualTo(49408);
    assertThat(config.text().layerNormEps()).isEqualTo(1e-5);
  }

  @Test
  void rejectsImageSizeNotAMultipleOfPatchSize() throws IOException {
    Files.writeString(tmp.resolve("config.json"),
        "{\"vision_config\": {\"image_size\": 224, \"patch_size\": 30}}");
    assertThatThrownBy(() -> ClipConfig.read(tmp))
        .isInstanceOf(ClipModelException.class)
        .hasMessageContaining("image_size (224) is not a multiple of patch_size (30)")
        .hasMessageContaining("config.json");
  }

  @Test
  void rejectsMissingFileNamingIt() {
    assertThatThrownBy(() -> ClipConfig.read(tmp))
        .isInstanceOf(ClipModelException.class)
        .hasMessageContaining(tmp.resolve("config.json").toString());
  }
}
