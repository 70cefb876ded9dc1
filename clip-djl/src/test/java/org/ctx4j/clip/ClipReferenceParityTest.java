package org.ctx4j.clip;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ctx4j.core.ImageEncoder;
import org.ctx4j.core.TextEncoder;
import org.ctx4j.testing.TinyClipModels;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our towers, on both CPU routes (libtorch and ctx4j's Java route), against {@code
 * clip_reference.py} (torch's own layers, float64, each text run alone): within 1e-4 on pooled
 * outputs and 2e-5 on normalised embeddings, for one batch, for batches of one, and for chunked
 * batches.
 */
class ClipReferenceParityTest {
  private static final double POOLED_TOLERANCE = 1e-4;
  private static final double EMBEDDING_TOLERANCE = 2e-5;

  @TempDir Path tmp;

  private static JsonNode reference(String model) throws IOException {
    return new ObjectMapper().readTree(ReferenceModels.dir(model).resolve("reference.json").toFile());
  }

  @ParameterizedTest
  @CsvSource({
    "tiny-f32-quickgelu, PYTORCH", "tiny-f16-gelu, PYTORCH",
    "tiny-f32-quickgelu, JAVA", "tiny-f16-gelu, JAVA",
    "tiny-f32-quickgelu, ONNX", "tiny-f16-gelu, ONNX"
  })
  void imageOutputsMatchReferenceInOneBatchAndOneByOne(String model, ClipOptions.Backend backend)
      throws IOException {
    JsonNode ref = reference(model);
    int count = ref.get("image_count").asInt();
    float[] pixels = readFloats(ReferenceModels.dir(model).resolve("images.f32"));
    // 5 images: chunks 3 + 2
    ClipOptions options = ClipOptions.builder().batchSize(3).backend(backend).build();
    try (ClipModel clip = ClipModel.load(ReferenceModels.dir(model), options)) {
      ImageEncoder encoder = clip.imageEncoder();
      ImageEncoder.ImageEncoding all = encoder.encode(pixels, count);
      assertClose(all.pooled(), ref.get("image_pooled"), POOLED_TOLERANCE, "pooled");
      assertClose(all.embeddings(), ref.get("image_embeddings"), EMBEDDING_TOLERANCE, "embedding");

      int perImage = pixels.length / count;
      List<Float> pooledOneByOne = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        float[] one = Arrays.copyOfRange(pixels, i * perImage, (i + 1) * perImage);
        ImageEncoder.ImageEncoding single = encoder.encode(one, 1);
        JsonNode refRow = ref.get("image_pooled").get(i);
        assertClose(single.pooled(), wrap(refRow), POOLED_TOLERANCE, "pooled, image " + i);
        for (float f : single.pooled()) {
          pooledOneByOne.add(f);
        }
      }
      // Batch composition must not matter beyond float rounding.
      for (int i = 0; i < all.pooled().length; i++) {
        assertThat((double) all.pooled()[i]).isCloseTo(pooledOneByOne.get(i), offset(1e-5));
      }
    }
  }

  @ParameterizedTest
  @CsvSource({
    "tiny-f32-quickgelu, PYTORCH", "tiny-f16-gelu, PYTORCH",
    "tiny-f32-quickgelu, JAVA", "tiny-f16-gelu, JAVA",
    "tiny-f32-quickgelu, ONNX", "tiny-f16-gelu, ONNX"
  })
  void textOutputsMatchReferencePackedAndAlone(String model, ClipOptions.Backend backend)
      throws IOException {
    JsonNode ref = reference(model);
    List<String> texts = new ArrayList<>();
    ref.get("texts").forEach(t -> texts.add(t.asText()));
    ClipOptions options = ClipOptions.builder().batchSize(4).backend(backend).build();
    try (ClipModel clip = ClipModel.load(ReferenceModels.dir(model), options)) {
      for (int i = 0; i < texts.size(); i++) {
        int[] expected = toInts(ref.get("token_ids").get(i));
        assertThat(clip.tokenizer().encode(texts.get(i))).as("ids of '%s'", texts.get(i))
            .containsExactly(expected);
      }
      TextEncoder encoder = clip.textEncoder();
      // Chunks of 4 texts of 2 to 77 tokens each, packed: the last chunk holds 6 and 77.
      TextEncoder.TextEncoding all = encoder.encode(texts);
      assertClose(all.features(), ref.get("text_pooled"), POOLED_TOLERANCE, "pooled");
      assertClose(all.keys(), ref.get("text_embeddings"), EMBEDDING_TOLERANCE, "embedding");
      for (int i = 0; i < texts.size(); i++) {
        TextEncoder.TextEncoding single = encoder.encode(List.of(texts.get(i)));
        assertClose(single.features(), wrap(ref.get("text_pooled").get(i)), POOLED_TOLERANCE,
            "pooled, text " + i);
        assertClose(single.keys(), wrap(ref.get("text_embeddings").get(i)), EMBEDDING_TOLERANCE,
            "embedding, text " + i);
        // A text's batch mates (their number and lengths) must not matter beyond float rounding.
        int d = single.features().length;
        for (int j = 0; j < d; j++) {
          assertThat((double) all.features()[i * d + j]).as("pooled, text %s, dim %s", i, j)
              .isCloseTo(single.features()[j], offset(1e-5));
        }
      }
    }
  }

  /**
   * {@link ClipOptions.LongTexts#AS_XMODAL_CTX} against the reference running the original's rule
   * (ids cut to 75 when there are 75 or more, pooled at argmax): texts of 74, 75 and 76 ids around
   * the limit, then the model texts. Short texts encode exactly as under CLIP's own rule; texts cut
   * by the original all get the start token's output, as in the paper's files.
   */
  @ParameterizedTest
  @ValueSource(strings = {"tiny-f32-quickgelu", "tiny-f16-gelu"})
  void longTextsAsXmodalCtxMatchTheOriginalsRule(String model) throws IOException {
    JsonNode ref = reference(model);
    List<String> texts = new ArrayList<>();
    ref.get("xmodal_texts").forEach(t -> texts.add(t.asText()));
    ClipOptions asOriginal =
        ClipOptions.builder().batchSize(4).longTexts(ClipOptions.LongTexts.AS_XMODAL_CTX).build();
    try (ClipModel original = ClipModel.load(ReferenceModels.dir(model), asOriginal);
        ClipModel clip = ClipModel.load(ReferenceModels.dir(model))) {
      TextEncoder.TextEncoding ours = original.textEncoder().encode(texts);
      assertClose(ours.features(), ref.get("xmodal_text_pooled"), POOLED_TOLERANCE, "pooled");
      assertClose(ours.keys(), ref.get("xmodal_text_embeddings"), EMBEDDING_TOLERANCE, "embedding");
      TextEncoder.TextEncoding clipRule = clip.textEncoder().encode(texts);
      int d = ours.featureDim();
      int cut = 0;
      for (int i = 0; i < texts.size(); i++) {
        int fullLength = ref.get("xmodal_full_lengths").get(i).asInt();
        float[] row = Arrays.copyOfRange(ours.features(), i * d, (i + 1) * d);
        float[] clipRow = Arrays.copyOfRange(clipRule.features(), i * d, (i + 1) * d);
        if (fullLength <= 75) {
          assertThat(row).as("text %s (%s ids) is not cut: CLIP's rule's bytes", i, fullLength)
              .isEqualTo(clipRow);
        } else {
          assertThat(original.tokenizer().encode(texts.get(i)))
              .as("text %s (%s ids): pooled at the start token", i, fullLength)
              .containsExactly(original.tokenizer().startId());
          assertThat(row).as("text %s differs from CLIP's rule", i).isNotEqualTo(clipRow);
          cut++;
        }
      }
      assertThat(cut).as("texts the original cut").isGreaterThanOrEqualTo(2);
      assertThat(original.textEncoder().numerics())
          .isNotEqualTo(clip.textEncoder().numerics())
          .contains("long texts as Xmodal-Ctx");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tiny-f32-quickgelu", "tiny-f16-gelu"})
  void generatorReproducesTheCommittedReferenceModel(String model) throws IOException {
    var entry = ReferenceModels.MODELS.get(model);
    Path fresh = TinyClipModels.write(tmp.resolve(model), entry.getKey(), entry.getValue());
    for (String file : List.of("model.safetensors", "config.json", "vocab.json", "merges.txt")) {
      assertThat(Files.readAllBytes(fresh.resolve(file)))
          .as("%s differs from the committed one: regenerate the reference (see ReferenceModels)",
              file)
          .isEqualTo(Files.readAllBytes(ReferenceModels.dir(model).resolve(file)));
    }
  }

  static void assertClose(float[] actual, JsonNode expectedRows, double tolerance, String what) {
    double[] expected = flatten(expectedRows);
    assertThat(actual).as(what + " length").hasSize(expected.length);
    double worst = 0;
    int worstAt = -1;
    for (int i = 0; i < expected.length; i++) {
      double diff = Math.abs(actual[i] - expected[i]);
      if (diff > worst) {
        worst = diff;
        worstAt = i;
      }
    }
    assertThat(worst)
        .as("%s: worst |ours - reference| at flat index %s (ours %s, reference %s)", what, worstAt,
            worstAt < 0 ? 0 : actual[worstAt], worstAt < 0 ? 0 : expected[worstAt])
        .isLessThanOrEqualTo(tolerance);
  }

  private static JsonNode wrap(JsonNode row) {
    return new ObjectMapper().createArrayNode().add(row);
  }

  private static double[] flatten(JsonNode rows) {
    List<Double> values = new ArrayList<>();
    for (JsonNode row : rows) {
      if (row.isArray()) {
        row.forEach(v -> values.add(v.asDouble()));
      } else {
        values.add(row.asDouble());
      }
    }
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static int[] toInts(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asInt();
    }
    return out;
  }

  private static float[] readFloats(Path file) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[bytes.remaining() / 4];
    bytes.asFloatBuffer().get(out);
    return out;
  }

  private static org.assertj.core.data.Offset<Double> offset(double v) {
    return org.assertj.core.data.Offset.offset(v);
  }
}
