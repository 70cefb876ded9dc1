package org.ctx4j.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.base.Preconditions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes complete HuggingFace CLIP model directories with random weights: {@code config.json},
 * {@code model.safetensors} (with the extra {@code position_ids} and {@code logit_scale} tensors
 * real checkpoints carry), {@code vocab.json}, {@code merges.txt}, {@code tokenizer_config.json},
 * {@code special_tokens_map.json} and {@code preprocessor_config.json}. The same spec and seed
 * always give the same bytes. For tests, the demo and benchmarks; the outputs are meaningless.
 */
public final class TinyClipModels {
  private TinyClipModels() {}

  /** CLIP's pixel normalisation (OpenAI's), written to {@code preprocessor_config.json}. */
  private static final double[] IMAGE_MEAN = {0.48145466, 0.4578275, 0.40821073};

  private static final double[] IMAGE_STD = {0.26862954, 0.26130258, 0.27577711};

  /**
   * Writes a model directory for {@code spec} into {@code dir} (created if needed; existing files
   * of the same names are replaced) and returns {@code dir}.
   */
  public static Path write(Path dir, TinyClipSpec spec, long seed) {
    Preconditions.checkNotNull(dir, "dir");
    Preconditions.checkNotNull(spec, "spec");
    try {
      Files.createDirectories(dir);
      int vocabSize = writeVocabulary(dir, spec);
      ObjectMapper mapper = new ObjectMapper();
      writeJson(mapper, dir.resolve("config.json"), configJson(mapper, spec, vocabSize));
      writeWeights(dir.resolve("model.safetensors"), spec, vocabSize, seed);
      writeTokenizerFiles(mapper, dir, spec);
      writeJson(mapper, dir.resolve("preprocessor_config.json"), preprocessorJson(mapper, spec));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write tiny CLIP model " + dir, e);
    }
  }

  private static int writeVocabulary(Path dir, TinyClipSpec spec) throws IOException {
    if (spec.vocabulary().isPresent()) {
      Path source = spec.vocabulary().get();
      Files.copy(source.resolve("vocab.json"), dir.resolve("vocab.json"),
          StandardCopyOption.REPLACE_EXISTING);
      Files.copy(source.resolve("merges.txt"), dir.resolve("merges.txt"),
          StandardCopyOption.REPLACE_EXISTING);
      Map<?, ?> vocab = new ObjectMapper().readValue(dir.resolve("vocab.json").toFile(), Map.class);
      return vocab.size();
    }
    TinyVocabulary vocabulary = TinyVocabulary.generate();
    new ObjectMapper().writeValue(dir.resolve("vocab.json").toFile(), vocabulary.vocab());
    List<String> lines = new ArrayList<>();
    lines.add("#version: 0.2");
    lines.addAll(vocabulary.merges());
    Files.write(dir.resolve("merges.txt"), lines, StandardCharsets.UTF_8);
    return vocabulary.vocab().size();
  }

  private static void writeWeights(Path file, TinyClipSpec spec, int vocabSize, long seed) {
    SafetensorsWriter writer = new SafetensorsWriter();
    writer.addFloats("logit_scale", "F32", new long[0], () -> new float[] {2.6592f});
    writer.addLongs(
        "text_model.embeddings.position_ids", new long[] {1, spec.maxPositions()},
        () -> range(spec.maxPositions()));
    int positions = visionPositions(spec);
    writer.addLongs(
        "vision_model.embeddings.position_ids", new long[] {1, positions},
        () -> range(positions));
    for (HfClipTensors.Tensor t : HfClipTensors.of(spec, vocabSize)) {
      writer.addFloats(t.name(), spec.weightType(), t.shape(), () -> randomValues(t, seed));
    }
    writer.write(file);
  }

  /** The class token plus one per patch. */
  static int visionPositions(TinyClipSpec spec) {
    int grid = spec.imageSize() / spec.patchSize();
    return grid * grid + 1;
  }

  /**
   * Values with the scale of a trained CLIP, so activations neither vanish nor explode: matrices
   * ~ N(0, 1/fan_in), embeddings ~ N(0, 0.5²), norm scales ~ 1 ± 0.1, shifts and biases small.
   * Each tensor has its own generator (seeded from the seed and its name), so its values do not
   * depend on the order or the presence of other tensors.
   */
  private static float[] randomValues(HfClipTensors.Tensor t, long seed) {
    Random random = new Random(seed * 1_000_003L + t.name().hashCode());
    float[] v = new float[t.size()];
    long[] shape = t.shape();
    double std;
    double mean = 0;
    switch (t.role()) {
      case NORM_SCALE:
        mean = 1;
        std = 0.1;
        break;
      case NORM_SHIFT:
      case BIAS:
        std = 0.05;
        break;
      default:
        long fanIn = 1;
        for (int i = 1; i < shape.length; i++) {
          fanIn *= shape[i];
        }
        std = shape.length >= 2 && !t.name().contains("embedding") ? 1 / Math.sqrt(fanIn) : 0.5;
        break;
    }
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (mean + std * random.nextGaussian());
    }
    return v;
  }

  private static long[] range(int n) {
    long[] r = new long[n];
    for (int i = 0; i < n; i++) {
      r[i] = i;
    }
    return r;
  }

  private static ObjectNode configJson(ObjectMapper mapper, TinyClipSpec spec, int vocabSize) {
    ObjectNode root = mapper.createObjectNode();
    root.putArray("architectures").add("CLIPModel");
    root.put("model_type", "clip");
    root.put("projection_dim", spec.projectionDim());
    root.put("logit_scale_init_value", 2.6592);
    root.put("torch_dtype", spec.weightType().equals("F32") ? "float32"
        : spec.weightType().equals("F16") ? "float16" : "bfloat16");
    ObjectNode text = root.putObject("text_config");
    text.put("model_type", "clip_text_model");
    text.put("hidden_size", spec.textHidden());
    text.put("intermediate_size", spec.textIntermediate());
    text.put("num_attention_heads", spec.textHeads());
    text.put("num_hidden_layers", spec.textLayers());
    text.put("max_position_embeddings", spec.maxPositions());
    text.put("vocab_size", vocabSize);
    text.put("hidden_act", spec.hiddenAct());
    text.put("layer_norm_eps", LAYER_NORM_EPS);
    text.put("projection_dim", spec.projectionDim());
    text.put("bos_token_id", vocabSize - 2);
    text.put("eos_token_id", vocabSize - 1);
    text.put("pad_token_id", vocabSize - 1);
    ObjectNode vision = root.putObject("vision_config");
    vision.put("model_type", "clip_vision_model");
    vision.put("hidden_size", spec.visionHidden());
    vision.put("intermediate_size", spec.visionIntermediate());
    vision.put("num_attention_heads", spec.visionHeads());
    vision.put("num_hidden_layers", spec.visionLayers());
    vision.put("image_size", spec.imageSize());
    vision.put("patch_size", spec.patchSize());
    vision.put("num_channels", 3);
    vision.put("hidden_act", spec.hiddenAct());
    vision.put("layer_norm_eps", LAYER_NORM_EPS);
    vision.put("projection_dim", spec.projectionDim());
    return root;
  }

  private static final double LAYER_NORM_EPS = 1e-5;

  private static void writeTokenizerFiles(ObjectMapper mapper, Path dir, TinyClipSpec spec)
      throws IOException {
    ObjectNode config = mapper.createObjectNode();
    config.put("tokenizer_class", "CLIPTokenizer");
    config.put("model_max_length", spec.maxPositions());
    config.put("do_lower_case", true);
    config.put("errors", "replace");
    config.put("bos_token", "<|startoftext|>");
    config.put("eos_token", "<|endoftext|>");
    config.put("unk_token", "<|endoftext|>");
    config.put("pad_token", "<|endoftext|>");
    writeJson(mapper, dir.resolve("tokenizer_config.json"), config);
    ObjectNode special = mapper.createObjectNode();
    special.put("bos_token", "<|startoftext|>");
    special.put("eos_token", "<|endoftext|>");
    special.put("unk_token", "<|endoftext|>");
    special.put("pad_token", "<|endoftext|>");
    writeJson(mapper, dir.resolve("special_tokens_map.json"), special);
  }

  private static ObjectNode preprocessorJson(ObjectMapper mapper, TinyClipSpec spec) {
    ObjectNode p = mapper.createObjectNode();
    p.put("feature_extractor_type", "CLIPFeatureExtractor");
    p.put("image_processor_type", "CLIPImageProcessor");
    p.put("do_resize", true);
    p.put("size", spec.imageSize());
    p.put("resample", 3);
    p.put("do_center_crop", true);
    p.put("crop_size", spec.imageSize());
    p.put("do_normalize", true);
    p.put("do_convert_rgb", true);
    for (double m : IMAGE_MEAN) {
      p.withArray("image_mean").add(m);
    }
    for (double s : IMAGE_STD) {
      p.withArray("image_std").add(s);
    }
    return p;
  }

  private static void writeJson(ObjectMapper mapper, Path file, Object value) throws IOException {
    mapper.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), value);
  }
}
