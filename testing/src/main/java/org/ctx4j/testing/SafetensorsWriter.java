package org.ctx4j.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Writes a {@code .safetensors} file. Tensors are declared with their shapes first; their values
 * are asked for one at a time while writing, so a model larger than the heap can be generated.
 */
public final class SafetensorsWriter {

  private record Entry(
      String name, String dtype, long[] shape, Supplier<float[]> floats, Supplier<long[]> longs) {
    long elementCount() {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      return n;
    }

    long byteCount() {
      return elementCount() * (dtype.equals("I64") ? 8 : dtype.equals("F32") ? 4 : 2);
    }
  }

  private final List<Entry> entries = new ArrayList<>();

  /** Declares a float tensor stored as {@code dtype} ("F32", "F16" or "BF16"). */
  public SafetensorsWriter addFloats(
      String name, String dtype, long[] shape, Supplier<float[]> values) {
    if (!dtype.equals("F32") && !dtype.equals("F16") && !dtype.equals("BF16")) {
      throw new IllegalArgumentException("unsupported dtype " + dtype + " for " + name);
    }
    entries.add(new Entry(name, dtype, shape.clone(), values, null));
    return this;
  }

  /** Declares an int64 tensor (HF checkpoints carry {@code position_ids} buffers like this). */
  public SafetensorsWriter addLongs(String name, long[] shape, Supplier<long[]> values) {
    entries.add(new Entry(name, "I64", shape.clone(), null, values));
    return this;
  }

  /** Writes the file (header padded with spaces to a multiple of 8 bytes, as the format allows). */
  public void write(Path file) {
    byte[] json = header();
    int padded = (json.length + 7) / 8 * 8;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      length.putLong(padded);
      out.write(length.array());
      out.write(json);
      for (int i = json.length; i < padded; i++) {
        out.write(' ');
      }
      for (Entry e : entries) {
        out.write(encode(e));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write safetensors file " + file, e);
    }
  }

  private byte[] header() {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode header = mapper.createObjectNode();
    header.putObject("__metadata__").put("format", "pt");
    long offset = 0;
    for (Entry e : entries) {
      ObjectNode node = header.putObject(e.name());
      node.put("dtype", e.dtype());
      ArrayNode shape = node.putArray("shape");
      for (long d : e.shape()) {
        shape.add(d);
      }
      node.putArray("data_offsets").add(offset).add(offset + e.byteCount());
      offset += e.byteCount();
    }
    try {
      return mapper.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise a safetensors header", e);
    }
  }

  private static byte[] encode(Entry e) {
    ByteBuffer buffer =
        ByteBuffer.allocate(Math.toIntExact(e.byteCount())).order(ByteOrder.LITTLE_ENDIAN);
    if (e.longs() != null) {
      long[] values = e.longs().get();
      checkCount(e, values.length);
      for (long v : values) {
        buffer.putLong(v);
      }
      return buffer.array();
    }
    float[] values = e.floats().get();
    checkCount(e, values.length);
    for (float v : values) {
      switch (e.dtype()) {
        case "F32":
          buffer.putFloat(v);
          break;
        case "F16":
          buffer.putShort(floatToHalf(v));
          break;
        default:
          buffer.putShort(bfloat16(v));
          break;
      }
    }
    return buffer.array();
  }

  private static void checkCount(Entry e, int count) {
    if (count != e.elementCount()) {
      throw new IllegalStateException(
          e.name() + ": " + count + " values for " + e.elementCount() + " elements");
    }
  }

  /** Round to nearest even on the upper 16 bits of the float32. */
  private static short bfloat16(float v) {
    int bits = Float.floatToRawIntBits(v);
    int rounding = 0x7fff + ((bits >>> 16) & 1);
    return (short) ((bits + rounding) >>> 16);
  }

  /** IEEE binary16 of {@code value}, rounding to nearest even as numpy and torch do. */
  public static short floatToHalf(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int exponent = (bits >>> 23) & 0xff;
    int mantissa = bits & 0x7fffff;
    if (exponent == 0xff) { // infinity or NaN (keep NaN quiet and non-zero)
      return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 : 0));
    }
    int e = exponent - 127 + 15;
    if (e >= 0x1f) {
      return (short) (sign | 0x7c00); // overflow to infinity
    }
    if (e <= 0) {
      if (e < -10) {
        return (short) sign; // underflows to zero
      }
      // Subnormal half: shift the mantissa (with its implicit one) into place, rounding to even.
      int m = mantissa | 0x800000;
      int shift = 14 - e;
      int halfMantissa = m >>> shift;
      int remainder = m & ((1 << shift) - 1);
      int halfway = 1 << (shift - 1);
      if (remainder > halfway || (remainder == halfway && (halfMantissa & 1) != 0)) {
        halfMantissa++;
      }
      return (short) (sign | halfMantissa);
    }
    int halfBits = (e << 10) | (mantissa >>> 13);
    int remainder = mantissa & 0x1fff;
    if (remainder > 0x1000 || (remainder == 0x1000 && (halfBits & 1) != 0)) {
      halfBits++; // may carry into the exponent, which is the right result (up to infinity)
    }
    return (short) (sign | halfBits);
  }}
