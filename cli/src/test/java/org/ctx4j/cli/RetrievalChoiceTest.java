package org.ctx4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.ctx4j.BuildSettingsException;
import org.ctx4j.clip.ClipModel;
import org.ctx4j.clip.retrieval.DjlTopKIndex;
import org.ctx4j.core.CaptionDb;
import org.ctx4j.core.CropStrategy;
import org.ctx4j.core.TextualContext;
import org.ctx4j.core.retrieval.IvfOptions;
import org.ctx4j.core.retrieval.KeyPrecision;
import org.ctx4j.core.retrieval.RetrievalOptions;
import org.ctx4j.core.retrieval.TopKIndex;
import org.ctx4j.core.retrieval.TopKIndexes;
import org.ctx4j.core.retrieval.TopKResult;
import org.ctx4j.testing.DemoData;
import org.ctx4j.testing.TinyClipModels;
import org.ctx4j.testing.TinyClipSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The build chooses its retrieval index: the DJL index (the GPU path, run here on the CPU device)
 * gives the exact index's bytes; half-precision keys stay within their rounding bound; IVF records
 * the recall an exact comparison gives; the choice is a setting a resume must repeat.
 */
class RetrievalChoiceTest {
  private static final int IMAGES = 9;

  @TempDir static Path dir;
  private static Path data;
  private static Path model;
  private static Path exact;

  @BeforeAll
  static void exactBuild() {
    data = dir.resolve("data");
    DemoData.write(data, IMAGES, 41);
    model = TinyClipModels.write(dir.resolve("model"), TinyClipSpec.tiny(), 41);
    exact = dir.resolve("exact");
    build(exact, RetrievalOptions.exact());
  }

  private static void build(Path out, RetrievalOptions retrieval) {
    try (ClipModel clip = ClipModel.load(model)) {
      DemoBuilds.builder(data, clip, out).retrieval(retrieval).build();
    }
  }

  private static JsonNode settings(Path out) throws IOException {
    return new ObjectMapper().readTree(out.resolve("ctx4j-build.json").toFile()).get("settings");
  }

  @Test
  void djlIndexGivesTheBytesOfTheExactIndex() throws IOException {
    Path out = dir.resolve("djl");
    build(out, RetrievalOptions.exact().on(DjlTopKIndex.onDevice(Device.cpu())));
    assertThat(Files.readAllBytes(out.resolve("txt_ctx.hdf5")))
        .as("txt_ctx retrieved by the DJL index (CPU device) vs the exact index")
        .isEqualTo(Files.readAllBytes(exact.resolve("txt_ctx.hdf5")));
    assertThat(settings(out).get("retrieval").asText())
        .isEqualTo("exact, float32 keys, DJL exact on cpu(), float32 keys, host re-scoring");
    assertThat(settings(exact).get("retrieval").asText()).isEqualTo("exact, float32 keys, cpu");
  }

  /**
   * Keys and queries are unit vectors, so a key component rounded by at most 2^-m (relative)
   * moves a score by at most 2^-m, and so moves the j-th best score of a view: 2^-11 for float16,
   * 2^-8 for bfloat16 (round to nearest).
   */
  @ParameterizedTest
  @CsvSource({"FLOAT16, 11", "BFLOAT16, 8"})
  void halfPrecisionKeysStayWithinTheirRoundingBound(KeyPrecision precision, int mantissaBits)
      throws IOException {
    Path out = dir.resolve(precision.name());
    build(out, RetrievalOptions.exact().withKeyPrecision(precision));
    double bound = Math.scalb(1.0, -mantissaBits);
    double worst = 0;
    try (TextualContext a = TextualContext.open(exact.resolve("txt_ctx.hdf5"));
        TextualContext b = TextualContext.open(out.resolve("txt_ctx.hdf5"))) {
      for (long id : a.ids()) {
        for (CropStrategy crop : CropStrategy.values()) {
          for (int v = 0; v < crop.count(); v++) {
            float[] x = a.topK(id, crop, v, a.k()).scores();
            float[] y = b.topK(id, crop, v, b.k()).scores();
            for (int j = 0; j < x.length; j++) {
              worst = Math.max(worst, Math.abs(x[j] - y[j]));
            }
          }
        }
      }
    }
    assertThat(worst).as("largest score change").isGreaterThan(0).isLessThanOrEqualTo(bound);
    assertThat(settings(out).get("retrieval").asText())
        .isEqualTo("exact, " + precision.name().toLowerCase(java.util.Locale.ROOT) + " keys, cpu");
  }

  @Test
  void ivfRecordsTheRecallAnExactComparisonGives() throws IOException {
    Path out = dir.resolve("ivf");
    IvfOptions ivf = IvfOptions.defaults().withNlist(12).withNprobe(2);
    build(out, RetrievalOptions.ivf(ivf));
    String recorded = settings(out).get("retrieval recall@16").asText();

    // The same measurement by brute force: 256 caption keys spread evenly over the db as queries.
    double expected;
    try (CaptionDb db = CaptionDb.open(out.resolve("caption_db.hdf5"))) {
      int n = db.size();
      int dim = db.keyDim();
      float[] keys = new float[n * dim];
      for (int i = 0; i < n; i++) {
        System.arraycopy(db.key(i), 0, keys, i * dim, dim);
      }
      int samples = Math.min(256, n);
      float[] queries = new float[samples * dim];
      for (int s = 0; s < samples; s++) {
        System.arraycopy(db.key((int) ((long) s * n / samples)), 0, queries, s * dim, dim);
      }
      TopKResult found;
      try (TopKIndex index = TopKIndexes.ivf(keys, n, dim, ivf)) {
        found = index.search(queries, samples, 16);
      }
      long hits = 0;
      for (int s = 0; s < samples; s++) {
        Set<Integer> truth = bruteForceTopK(keys, n, dim, queries, s, 16);
        for (int j = 0; j < 16; j++) {
          hits += truth.contains(found.id(s, j)) ? 1 : 0;
        }
      }
      expected = hits / (samples * 16.0);
    }
    assertThat(recorded).startsWith(String.format(java.util.Locale.ROOT, "%.4f ", expected));
    assertThat(expected).as("nprobe 2 of 12 lists misses some").isLessThan(1.0);
    assertThat(settings(out).get("retrieval").asText()).startsWith("IvfOptions[nlist=12, nprobe=2");

    assertThatThrownBy(() -> build(out, RetrievalOptions.exact()))
        .isInstanceOf(BuildSettingsException.class)
        .hasMessageContaining("retrieval IvfOptions[nlist=12")
        .hasMessageContaining("(this run: exact, float32 keys, cpu)");
  }

  /** Exact top-k ids of query s by double-precision dot products (ties: lower id). */
  private static Set<Integer> bruteForceTopK(
      float[] keys, int n, int dim, float[] queries, int s, int k) {
    double[] scores = new double[n];
    for (int i = 0; i < n; i++) {
      double d = 0;
      for (int p = 0; p < dim; p++) {
        d += (double) queries[s * dim + p] * keys[i * dim + p];
      }
      scores[i] = d;
    }
    Set<Integer> top = new HashSet<>();
    for (int j = 0; j < k; j++) {
      int best = -1;
      for (int i = 0; i < n; i++) {
        if (!top.contains(i) && (best < 0 || scores[i] > scores[best])) {
          best = i;
        }
      }
      top.add(best);
    }
    return top;
  }
}
