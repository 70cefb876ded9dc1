package org.ctx4j.clip.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The few protocol-buffer wire encodings an ONNX file needs (varints, 32-bit floats, nested
 * messages), written by hand so that writing a graph needs neither protoc nor ONNX's own schema
 * classes. Fields are written in call order; the reader does not care about order.
 */
final class OnnxProto {
  private static final int VARINT = 0;
  private static final int LENGTH_DELIMITED = 2;
  private static final int FIXED32 = 5;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  OnnxProto int64(int field, long value) {
    tag(field, VARINT);
    varint(value);
    return this;
  }

  OnnxProto float32(int field, float value) {
    tag(field, FIXED32);
    int bits = Float.floatToRawIntBits(value);
    for (int i = 0; i < 4; i++) {
      out.write(bits >>> (8 * i));
    }
    return this;
  }

  OnnxProto string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  OnnxProto bytes(int field, byte[] value) {
    tag(field, LENGTH_DELIMITED);
    varint(value.length);
    out.writeBytes(value);
    return this;
  }

  OnnxProto message(int field, OnnxProto value) {
    return bytes(field, value.toByteArray());
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }

  private void tag(int field, int wireType) {
    varint(((long) field << 3) | wireType);
  }

  /** Base-128, least significant group first; negative values take ten bytes (two's complement). */
  private void varint(long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  /** The header of a length-delimited field, for writing a large nested message as a stream. */
  static byte[] lengthDelimitedHeader(int field, long length) {
    OnnxProto p = new OnnxProto();
    p.tag(field, LENGTH_DELIMITED);
    p.varint(length);
    return p.toByteArray();
  }
}
