package org.ctx4j.clip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ctx4j.ClipModelException;

/**
 * The sizes of a CLIP model, parsed from a HuggingFace {@code config.json}. Fields missing from the
 * file take HuggingFace's {@code CLIPConfig} defaults (which are ViT-B/32's), as transformers does.
 *
 * @param vision the vision tower
 * @param text the text tower
 * @param projectionDim width of the shared embedding space (512 for ViT-B/32)
 */
public record ClipConfig(VisionConfig vision, TextConfig text, int projectionDim) {

  /**
   * The vision transformer's sizes.
   *
   * @param hiddenSize width of the residual stream (768 for ViT-B/32): the pooled output's width
   * @param intermediateSize width of the MLP
   * @param numHeads attention heads
   * @param numLayers encoder layers
   * @param imageSize side of the square input
   * @param patchSize side of a square patch
   * @param numChannels input channels (3)
   * @param hiddenAct MLP activation ({@code quick_gelu} for OpenAI's checkpoints)
   * @param layerNormEps epsilon of every layer norm
   */
  public record VisionConfig(
      int hiddenSize,
      int intermediateSize,
      int numHeads,
      int numLayers,
      int imageSize,
      int patchSize,
      int numChannels,
      String hiddenAct,
      double layerNormEps) {

    /** Number of patches along one side. */
    public int gridSize() {
      return imageSize / patchSize;
    }

    /** Sequence length: one class token plus the patches. */
    public int numPositions() {
      return gridSize() * gridSize() + 1;
    }
  }

  /**
   * The text transformer's sizes.
   *
   * @param hiddenSize width of the residual stream (512 for ViT-B/32): the pooled output's width
   * @param intermediateSize width of the MLP
   * @param numHeads attention heads
   * @param numLayers encoder layers
   * @param maxPositions context length (77)
   * @param vocabSize token embedding rows (49408)
   * @param hiddenAct MLP activation
   * @param layerNormEps epsilon of every layer norm
   */
  public record TextConfig(
      int hiddenSize,
      int intermediateSize,
      int numHeads,
      int numLayers,
      int maxPositions,
      int vocabSize,
      String hiddenAct,
      double layerNormEps) {}

  /** The file name HuggingFace uses. */
  public static final String FILE_NAME = "config.json";

  /** Reads {@code config.json} from a model directory (or the file itself). */
  public static ClipConfig read(Path modelDirOrFile) {
    Path file =
        Files.isDirectory(modelDirOrFile) ? modelDirOrFile.resolve(FILE_NAME) : modelDirOrFile;
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new ClipModelException(file, null, "cannot read CLIP config: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ClipModelException(file, null, "CLIP config is not a JSON object");
    }
    FieldReader v = new FieldReader(file, "vision_config", section(root, "vision_config"));
    FieldReader t = new FieldReader(file, "text_config", section(root, "text_config"));
    VisionConfig vision =
        new VisionConfig(
            v.positiveInt("hidden_size", 768),
            v.positiveInt("intermediate_size", 3072),
            v.positiveInt("num_attention_heads", 12),
            v.positiveInt("num_hidden_layers", 12),
            v.positiveInt("image_size", 224),
            v.positiveInt("patch_size", 32),
            v.positiveInt("num_channels", 3),
            v.text("hidden_act", "quick_gelu"),
            v.positiveDouble("layer_norm_eps", 1e-5));
    TextConfig text =
        new TextConfig(
            t.positiveInt("hidden_size", 512),
            t.positiveInt("intermediate_size", 2048),
            t.positiveInt("num_attention_heads", 8),
            t.positiveInt("num_hidden_layers", 12),
            t.positiveInt("max_position_embeddings", 77),
            t.positiveInt("vocab_size", 49408),
            t.text("hidden_act", "quick_gelu"),
            t.positiveDouble("layer_norm_eps", 1e-5));
    int projectionDim = new FieldReader(file, "", root).positiveInt("projection_dim", 512);
    ClipConfig config = new ClipConfig(vision, text, projectionDim);
    config.validate(file);
    return config;
  }

  /** Checks the sizes fit together; {@code file} names the source in messages. */
  void validate(Path file) {
    check(file, "vision_config.hidden_size", vision.hiddenSize % vision.numHeads == 0,
        "vision hidden_size (" + vision.hiddenSize + ") is not a multiple of num_attention_heads ("
            + vision.numHeads + ")");
    check(file, "text_config.hidden_size", text.hiddenSize % text.numHeads == 0,
        "text hidden_size (" + text.hiddenSize + ") is not a multiple of num_attention_heads ("
            + text.numHeads + ")");
    check(file, "vision_config.image_size", vision.imageSize % vision.patchSize == 0,
        "image_size (" + vision.imageSize + ") is not a multiple of patch_size ("
            + vision.patchSize + ")");
    check(file, "text_config.max_position_embeddings", text.maxPositions >= 2,
        "max_position_embeddings (" + text.maxPositions + ") leaves no room for start and end");
  }

  private static void check(Path file, String field, boolean ok, String message) {
    if (!ok) {
      throw new ClipModelException(file, field, message);
    }
  }

  /** Newer files keep sizes in {@code *_config}; some older ones only in {@code *_config_dict}. */
  private static JsonNode section(JsonNode root, String name) {
    JsonNode node = root.get(name);
    if (node != null && node.isObject() && node.size() > 0) {
      return node;
    }
    JsonNode dict = root.get(name + "_dict");
    return dict != null && dict.isObject() ? dict : null;
  }

  private record FieldReader(Path file, String prefix, JsonNode node) {
    private JsonNode field(String name) {
      JsonNode value = node == null ? null : node.get(name);
      return value == null || value.isNull() ? null : value;
    }

    private String qualified(String name) {
      return prefix.isEmpty() ? name : prefix + "." + name;
    }

    int positiveInt(String name, int fallback) {
      JsonNode value = field(name);
      if (value == null) {
        return fallback;
      }
      if (!value.canConvertToInt() || !value.isIntegralNumber() || value.intValue() <= 0) {
        throw new ClipModelException(
            file, qualified(name), "expected a positive integer, found " + value);
      }
      return value.intValue();
    }

    double positiveDouble(String name, double fallback) {
      JsonNode value = field(name);
      if (value == null) {
        return fallback;
      }
      if (!value.isNumber() || value.doubleValue() <= 0) {
        throw new ClipModelException(
            file, qualified(name), "expected a positive number, found " + value);
      }
      return value.doubleValue();
    }

    String text(String name, String fallback) {
      JsonNode value = field(name);
      if (value == null) {
        return fallback;
      }
      if (!value.isTextual()) {
        throw new ClipModelException(file, qualified(name), "expected a string, found " + value);
      }
      return value.textValue();
    }
  }
}
