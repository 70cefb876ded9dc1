package org.ctx4j.clip.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.util.Float16Utils;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ctx4j.ClipModelException;
import org.ctx4j.testing.SafetensorsWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
  @TempDir Path tmp;

  @Test
  void roundTripsFloat32Float16AndBfloat16() {
    float[] values = {0f, 1f, -2.5f, 0.1f, 1000f, -0.0078125f};
    Path file = tmp.resolve("t.safetensors");
    new SafetensorsWriter()
        .addFloats("a", "F32", new long[] {2, 3}, () -> values)
        .addFloats("b", "F16", new long[] {6}, () -> values)
        .addFloats("c", "BF16", new long[] {3, 2}, () -> values)
        .addLongs("ids", new long[] {1, 3}, () -> new long[] {0, 1, 2})
        .write(file);
    try (Safetensors st = Safetensors.open(file)) {
      assertThat(st.tensors().keySet()).containsExactly("a", "b", "c", "ids");
      assertThat(st.readFloats("a", 2, 3)).containsExactly(values);
      // These values are exact in half; 0.1 is not and rounds to the nearest half/bfloat16.
      float[] half = st.readFloats("b", 6);
      assertThat(half[3]).isEqualTo(Float16Utils.halfToFloat(SafetensorsWriter.floatToHalf(0.1f)));
      assertThat(half[4]).isEqualTo(1000f);
      float[] bf = st.readFloats("c", 3, 2);
      assertThat(bf[2]).isEqualTo(-2.5f);
      assertThat(Math.abs(bf[3] - 0.1f)).isLessThan(0.1f / 128);
    }
  }

  @Test
  void headerIsPaddedToEightBytes() throws IOException {
    Path file = tmp.resolve("t.safetensors");
    new SafetensorsWriter().addFloats("x", "F32", new long[] {1}, () -> new float[] {1}).write(file);
    long headerLength =
        ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(headerLength % 8).isZero();
  }

  @Test
  void rejectsWrongShapeAndMissingTensorAndIntegerRead() {
    Path file = tmp.resolve("t.safetensors");
    new SafetensorsWriter()
        .addFloats("w", "F32", new long[] {2, 2}, () -> new float[4])
        .addLongs("ids", new long[] {2}, () -> new long[2])
        .write(file);
    try (Safetensors st = Safetensors.open(file)) {
      assertThatThrownBy(() -> st.readFloats("w", 4))
          .isInstanceOf(ClipModelException.class)
          .hasMessageContaining("tensor w has shape [2, 2], expected [4]");
      assertThatThrownBy(() -> st.readFloats("v", 3))
          .hasMessageContaining("missing tensor v (expected shape [3])");
      assertThatThrownBy(() -> st.readFloats("ids", 2))
          .hasMessageContaining("dtype I64; only F32, F16 and BF16");
    }
  }

  @Test
  void rejectsGarbageNamingTheFile() throws IOException {
    Path file = tmp.resolve("garbage.safetensors");
    Files.write(file, "this is not a safetensors file at all".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> Safetensors.open(file))
        .isInstanceOf(ClipModelException.class)
        .hasMessageContaining("not a safetensors file")
        .hasMessageContaining(file.toString());
  }

  @Test
  void rejectsInconsistentByteCount() throws IOException {
    String header = "{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}";
    ByteBuffer b = ByteBuffer.allocate(8 + header.length() + 8).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(header.length()).put(header.getBytes(StandardCharsets.UTF_8)).putLong(0);
    Path file = tmp.resolve("bad.safetensors");
    Files.write(file, b.array());
    assertThatThrownBy(() -> Safetensors.open(file))
        .hasMessageContaining("F32 tensor of shape [3] needs 12 bytes, data_offsets give 8");
  }
}
