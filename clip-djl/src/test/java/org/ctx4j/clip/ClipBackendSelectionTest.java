package org.ctx4j.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.ctx4j.ClipModelException;
import org.ctx4j.testing.TinyClipModels;
import org.ctx4j.testing.TinyClipSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which route runs the towers, and what each reports. Tests run with the Vector API module
 * (see the pom), so AUTO picks the Java route on the CPU.
 */
class ClipBackendSelectionTest {
  @TempDir static Path dir;
  private static Path modelDir;

  @BeforeAll
  static void write() {
    modelDir = TinyClipModels.write(dir.resolve("tiny"), TinyClipSpec.tiny(), 3);
  }

  private static ClipModel load(ClipOptions.Builder options) {
    return ClipModel.load(modelDir, options.build());
  }

  @Test
  void autoPicksTheJavaRouteForFloat32OnTheCpu() {
    try (ClipModel model = load(ClipOptions.builder())) {
      assertThat(model.backend()).isEqualTo(ClipOptions.Backend.JAVA);
      assertThat(model.device()).isEqualTo(Device.cpu());
    }
    try (ClipModel model = load(ClipOptions.builder().device(Device.cpu()))) {
      assertThat(model.backend()).isEqualTo(ClipOptions.Backend.JAVA);
    }
  }

  @Test
  void autoKeepsLibtorchForReducedPrecision() {
    try (ClipModel model = load(ClipOptions.builder().precision(ClipOptions.Precision.BF16))) {
      assertThat(model.backend()).isEqualTo(ClipOptions.Backend.PYTORCH);
    }
  }

  @Test
  void pytorchIsKeptWhenAsked() {
    try (ClipModel model = load(ClipOptions.builder().backend(ClipOptions.Backend.PYTORCH))) {
      assertThat(model.backend()).isEqualTo(ClipOptions.Backend.PYTORCH);
    }
  }

  @Test
  void numericsNameTheRouteSoBuildsOfDifferentRoutesDoNotMix() {
    String java;
    String torch;
    String javaDigest;
    try (ClipModel model = load(ClipOptions.builder().backend(ClipOptions.Backend.JAVA))) {
      java = model.textEncoder().numerics();
      assertThat(model.imageEncoder().numerics()).startsWith("ctx4j java-vector-f32");
      assertThat(model.imageEncoder().preferredBatch()).isEqualTo(model.batchSize());
      javaDigest = model.textEncoder().contentDigest();
    }
    try (ClipModel model = load(ClipOptions.builder().backend(ClipOptions.Backend.PYTORCH))) {
      torch = model.textEncoder().numerics();
      assertThat(model.textEncoder().contentDigest()).isEqualTo(javaDigest);
    }
    assertThat(java).startsWith("ctx4j java-vector-f32").doesNotContain("PyTorch");
    assertThat(torch).startsWith("PyTorch");
    assertThat(java).isNotEqualTo(torch);
  }

  @Test
  void bothRoutesGiveNearlyTheSameEmbeddings() {
    List<String> texts = List.of("a photo of a cat", "white dog on grass");
    float[] java;
    float[] torch;
    try (ClipModel model = load(ClipOptions.builder().backend(ClipOptions.Backend.JAVA))) {
      java = model.textEncoder().encode(texts).keys();
    }
    try (ClipModel model = load(ClipOptions.builder().backend(ClipOptions.Backend.PYTORCH))) {
      torch = model.textEncoder().encode(texts).keys();
    }
    for (int i = 0; i < java.length; i++) {
      assertThat(java[i]).as("key value %s", i).isCloseTo(torch[i], org.assertj.core.data.Offset
          .offset(1e-5f));
    }
  }

  @Test
  void javaIsRefusedOnAGpuAndBelowFloat32WithTheSettingNamed() {
    assertThatThrownBy(
            () -> load(ClipOptions.builder().backend(ClipOptions.Backend.JAVA)
                .device(Device.gpu(0))))
        .isInstanceOf(ClipModelException.class)
        .hasMessageContaining("backend JAVA runs on the CPU only")
        .hasMessageContaining("gpu(0)");
    assertThatThrownBy(
            () -> load(ClipOptions.builder().backend(ClipOptions.Backend.JAVA)
                .precision(ClipOptions.Precision.FP16)))
        .isInstanceOf(ClipModelException.class)
        .hasMessageContaining("precision FP16");
  }

  @Test
  void javaWithoutTheVectorModuleNamesTheJavaFlag() throws Exception {
    // A JVM without the module: the same test classpath, no --add-modules.
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                javaBin, "-cp", System.getProperty("java.class.path"),
                NoVectorModuleMain.class.getName(), modelDir.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    assertThat(out)
        .contains("AUTO -> PYTORCH")
        .contains("backend JAVA needs the Vector API: run java with --add-modules"
            + " jdk.incubator.vector");
  }
}
