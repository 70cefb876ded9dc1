package org.ctx4j.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ctx4j.ClipModelException;
import org.ctx4j.clip.internal.Safetensors;
import org.ctx4j.core.ImageEncoder;
import org.ctx4j.core.TextEncoder;
import org.ctx4j.testing.SafetensorsWriter;
import org.ctx4j.testing.TinyClipModels;
import org.ctx4j.testing.TinyClipSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipModelLoadingTest {
  @TempDir Path tmp;

  private Path tiny(String name) {
    return TinyClipModels.write(tmp.resolve(name), TinyClipSpec.tiny(), 3);
  }

  /** Rewrites model.safetensors keeping every tensor but {@code drop}, optionally reshaping one. */
  private static void rewriteWeights(Path dir, String drop, String reshape, long[] newShape) {
    Path file = dir.resolve(ClipModel.WEIGHTS_FILE);
    SafetensorsWriter writer = new SafetensorsWriter();
    try (Safetensors in = Safetensors.open(file)) {
      for (Safetensors.TensorInfo t : in.tensors().values()) {
        if (t.name().equals(drop) || t.dtype().equals("I64")) {
          continue;
        }
        float[] values = in.readFloats(t.name(), t.shape());
        long[] shape = t.name().equals(reshape) ? newShape : t.shape();
        float[] data = t.name().equals(reshape) ? new float[(int) product(newShape)] : values;
        writer.addFloats(t.name(), t.dtype(), shape, () -> data);
      }
    }
    writer.write(file);
  }

  private static long product(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  @Test
  void exposesSizesFromConfig() {
    try (ClipModel model = ClipModel.load(tiny("m"))) {
      assertThat(model.config().vision().hiddenSize()).isEqualTo(32);
      assertThat(model.config().text().hiddenSize()).isEqualTo(24);
      assertThat(model.device()).isEqualTo(Device.cpu());
      assertThat(model.batchSize()).isEqualTo(ClipOptions.DEFAULT_CPU_BATCH);
      ImageEncoder image = model.imageEncoder();
      assertThat(image.inputSize()).isEqualTo(32);
      assertThat(image.pooledDim()).isEqualTo(32);
      assertThat(image.embedDim()).isEqualTo(16);
      assertThat(image.modelId()).isEqualTo("m");
      assertThat(model.imageEncoder()).isSameAs(image);
      TextEncoder text = model.textEncoder();
      assertThat(text.featureDim()).isEqualTo(24);
      assertThat(text.embedDim()).isEqualTo(16);
    }
  }

  @Test
  void embeddingsAreUnitLengthAndEmptyBatchesAreEmpty() {
    try (ClipModel model = ClipModel.load(tiny("m"))) {
      TextEncoder.TextEncoding t = model.textEncoder().encode(List.of("white dog", "a"));
      for (int i = 0; i < 2; i++) {
        double norm = 0;
        for (int j = 0; j < 16; j++) {
          norm += t.keys()[i * 16 + j] * t.keys()[i * 16 + j];
        }
        assertThat(Math.sqrt(norm)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
      }
      assertThat(model.textEncoder().encode(List.of()).count()).isZero();
      assertThat(model.imageEncoder().encode(new float[0], 0).batch()).isZero();
    }
  }

  @Test
  void ignoresExtraTensorsAndLoadsWithoutThem() {
    // The generated file carries position_ids (I64) and logit_scale (0-d): loading ignores them,
    // and a file without them loads too.
    Path dir = tiny("m");
    rewriteWeights(dir, "logit_scale", null, null);
    try (ClipModel model = ClipModel.load(dir)) {
      assertThat(model.textEncoder().encode(List.of("cat")).count()).isEqualTo(1);
    }
  }

  @Test
  void rejectsMissingTensorNamingItAndItsShape() {
    Path dir = tiny("m");
    rewriteWeights(dir, "text_model.encoder.layers.1.mlp.fc2.bias", null, null);
    assertThatThrownBy(() -> ClipModel.load(dir))
        .isInstanceOf(ClipModelException.class)
        .hasMessageContaining("missing tensor text_model.encoder.layers.1.mlp.fc2.bias")
        .hasMessageContaining("[24]")
        .satisfies(e -> assertThat(((ClipModelException) e).item())
            .isEqualTo("text_model.encoder.layers.1.mlp.fc2.bias"));
  }

  @Test
  void rejectsMisShapedTensorNamingBothShapes() {
    Path dir = tiny("m");
    rewriteWeights(dir, null, "visual_projection.weight", new long[] {16, 31});
    assertThatThrownBy(() -> ClipModel.load(dir))
        .isInstanceOf(ClipModelException.class)
        .hasMessageContaining("visual_projection.weight has shape [16, 31], expected [16, 32]");
  }

  @Test
  void rejectsMissingWeightsFile() throws IOException {
    Path dir = tiny("m");
    Files.delete(dir.resolve(ClipModel.WEIGHTS_FILE));
    assertThatThrownBy(() -> ClipModel.load(dir))
        .isInstanceOf(ClipModelException.class)
        .hasMessageContaining("no model.safetensors");
  }

  @Test
  void rejectsTruncatedWeightsFile() throws IOException {
    Path dir = tiny("m");
    Path file = dir.resolve(ClipModel.WEIGHTS_FILE);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> ClipModel.load(dir))
        .isInstanceOf(ClipModelException.class)
        .hasMessageContaining("data_offsets")
        .hasMessageContaining(file.toString());
  }

  @Test
  void rejectsMalformedConfigNamingTheField() throws IOException {
    Path dir = tiny("m");
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode config = (ObjectNode) mapper.readTree(dir.resolve("config.json").toFile());
    ((ObjectNode) config.get("vision_config")).put("num_attention_heads", 5);
    mapper.writeValue(dir.resolve("config.json").toFile(), config);
    assertThatThrownBy(() -> ClipModel.load(dir))
        .isInstanceOf(ClipModelException.class)
        .hasMessageContaining("not a multiple of num_attention_heads (5)");

    ((ObjectNode) config.get("vision_config")).put("num_attention_heads", "four");
    mapper.writeValue(dir.resolve("config.json").toFile(), config);
    assertThatThrownBy(() -> ClipModel.load(dir))
        .isInstanceOf(ClipModelException.class)
        .hasMessageContaining("vision_config.num_attention_heads");

    Files.writeString(dir.resolve("config.json"), "{not json");
    assertThatThrownBy(() -> ClipModel.load(dir))
        .isInstanceOf(ClipModelException.class)
        .hasMessageContaining("config.json");
  }

  @Test
  void rejectsUnsupportedActivationWhenTheTowerLoads() throws IOException {
    Path dir = TinyClipModels.write(tmp.resolve("act"), TinyClipSpec.tiny().withHiddenAct("relu"), 1);
    try (ClipModel model = ClipModel.load(dir)) {
      assertThatThrownBy(model::textEncoder)
          .hasMessageContaining("unsupported hidden_act 'relu' in text_config.hidden_act");
    }
  }

  @Test
  void bfloat16AndFloat16WeightsGiveNearlyTheFloat32Results() {
    Path f32 = TinyClipModels.write(tmp.resolve("f32"), TinyClipSpec.tiny(), 5);
    Path bf16 =
        TinyClipModels.write(tmp.resolve("bf16"), TinyClipSpec.tiny().withWeightType("BF16"), 5);
    List<String> texts = List.of("a photo of a cat", "white dog on grass");
    float[] expected;
    try (ClipModel model = ClipModel.load(f32)) {
      expected = model.textEncoder().encode(texts).keys();
    }
    try (ClipModel model = ClipModel.load(bf16)) {
      assertThat(min(cosines(model.textEncoder().encode(texts).keys(), expected, 16)))
          .isGreaterThan(0.99);
    }
    // float16 compute (slow on a CPU, but it must work and agree).
    ClipOptions half = ClipOptions.builder().precision(ClipOptions.Precision.FP16).build();
    try (ClipModel model = ClipModel.load(f32, half)) {
      assertThat(min(cosines(model.textEncoder().encode(texts).keys(), expected, 16)))
          .isGreaterThan(0.999);
      assertThat(model.imageEncoder().encode(new float[3 * 32 * 32], 1).embeddings()).hasSize(16);
    }
  }

  private static double min(double[] values) {
    return java.util.Arrays.stream(values).min().orElseThrow();
  }

  private static double[] cosines(float[] a, float[] b, int dim) {
    double[] out = new double[a.length / dim];
    for (int i = 0; i < out.length; i++) {
      double dot = 0;
      for (int j = 0; j < dim; j++) {
        dot += a[i * dim + j] * b[i * dim + j];
      }
      out[i] = dot; // both unit length
    }
    return out;
  }

  @Test
  void closedModelRefusesNewEncodersAndClosedEncoderRefusesWork() {
    ClipModel model = ClipModel.load(tiny("m"));
    TextEncoder text = model.textEncoder();
    text.close();
    assertThatThrownBy(() -> text.encode(List.of("cat"))).hasMessageContaining("closed");
    model.close();
    model.close(); // idempotent
    assertThatThrownBy(model::imageEncoder).hasMessageContaining("closed");
  }

  @Test
  void rejectsNonPositiveBatchSize() {
    assertThatThrownBy(() -> ClipOptions.builder().batchSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batchSize (0)");
  }

  @Test
  void rejectsTooFewPixels() {
    try (ClipModel model = ClipModel.load(tiny("m"))) {
      assertThatThrownBy(() -> model.imageEncoder().encode(new float[100], 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("pixels hold 100 floats");
    }
  }
}
