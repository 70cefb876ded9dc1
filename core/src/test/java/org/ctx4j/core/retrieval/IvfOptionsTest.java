package org.ctx4j.core.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * The IVF defaults are the original's: faiss's own training parameters for {@code IndexIVFFlat}
 * with inner product, as {@code golden/ivf/make_golden.py} read them from faiss (k-means iterations,
 * training points per list, seed; spherical k-means, which the index always does).
 */
class IvfOptionsTest {
  @Test
  void defaultsAreTheTrainingParametersFaissSetsForTheOriginalsIndex() throws IOException {
    JsonNode faiss;
    try (InputStream in = getClass().getResourceAsStream("/golden/ivf/faiss_ivf_defaults.json")) {
      faiss = new ObjectMapper().readTree(in);
    }
    IvfOptions defaults = IvfOptions.defaults();
    assertThat(defaults.iterations()).isEqualTo(faiss.get("niter").asInt());
    assertThat(defaults.maxTrainingPointsPerList())
        .isEqualTo(faiss.get("max_points_per_centroid").asInt());
    assertThat(defaults.seed()).isEqualTo(faiss.get("seed").asLong());
    assertThat(faiss.get("spherical").asBoolean()).isTrue();
  }
}
