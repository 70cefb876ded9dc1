package org.ctx4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.ctx4j.Ctx4jException;
import org.ctx4j.clip.ClipModel;
import org.ctx4j.core.TextEncoder;
import org.ctx4j.testing.TinyClipModels;
import org.ctx4j.testing.TinyClipSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver reads committed caption parts only when their executor ran the numerics the caption
 * db will record: a part encoded otherwise is refused, naming the part and both numerics.
 */
class CaptionPartsTest {
  @TempDir Path tmp;

  /** Commits a one-part caption job whose single row is {@code key, feature} of ones. */
  private OutputStore onePart(TextEncoder text, String numerics) throws IOException {
    Path part =
        tmp.resolve("out").resolve(OutputStore.partDir(CaptionParts.KIND, CaptionParts.name(0, 1)))
            .resolve(CaptionParts.FILE);
    Files.createDirectories(part.getParent());
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(part))) {
      CaptionParts.writeHeader(out, 1, text.embedDim(), text.featureDim(), numerics);
      for (int i = 0; i < text.embedDim() + text.featureDim(); i++) {
        out.writeFloat(1f);
      }
    }
    return OutputStore.open(tmp.resolve("out").toString(), new Configuration());
  }

  @Test
  void partsEncodedWithTheDriversNumericsAreRead() throws IOException {
    try (ClipModel clip =
        ClipModel.load(TinyClipModels.write(tmp.resolve("m"), TinyClipSpec.tiny(), 7))) {
      TextEncoder text = clip.textEncoder();
      try (CaptionParts.PartsTextEncoder parts =
          new CaptionParts.PartsTextEncoder(text, onePart(text, text.numerics()), () -> 1)) {
        TextEncoder.TextEncoding rows = parts.encode(List.of("a cat"));
        assertThat(rows.keys()).containsOnly(1f).hasSize(text.embedDim());
        assertThat(rows.features()).containsOnly(1f).hasSize(text.featureDim());
      }
    }
  }

  @Test
  void aPartEncodedWithOtherNumericsIsRefusedNamingThePartAndBoth() throws IOException {
    try (ClipModel clip =
        ClipModel.load(TinyClipModels.write(tmp.resolve("m"), TinyClipSpec.tiny(), 7))) {
      TextEncoder text = clip.textEncoder();
      String executor = "PyTorch 2.7.1 on cpu(), FP32, 1 threads";
      try (CaptionParts.PartsTextEncoder parts =
          new CaptionParts.PartsTextEncoder(text, onePart(text, executor), () -> 1)) {
        assertThatThrownBy(() -> parts.encode(List.of("a cat")))
            .isInstanceOf(Ctx4jException.class)
            .hasMessageContaining("part-00000-of-00001")
            .hasMessageContaining(executor)
            .hasMessageContaining(text.numerics())
            .hasMessageContaining("--backend");
      }
    }
  }
}
