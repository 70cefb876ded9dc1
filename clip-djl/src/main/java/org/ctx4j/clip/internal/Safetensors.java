package org.ctx4j.clip.internal;

import ai.djl.util.Float16Utils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ctx4j.ClipModelException;

/**
 * Reads a {@code .safetensors} file: an 8-byte little-endian header length, a JSON header mapping
 * tensor names to {@code {dtype, shape, data_offsets}}, then the raw little-endian tensor bytes.
 * Tensors are read one at a time and converted to float32, so a file larger than the heap can be
 * loaded tensor by tensor. Not thread-safe.
 */
public final class Safetensors implements AutoCloseable {

  /** Header lengths above this are taken as a corrupt file rather than allocated. */
  private static final long MAX_HEADER_BYTES = 100L << 20;

  /** A tensor's entry in the header. */
  public record TensorInfo(String name, String dtype, long[] shape, long begin, long end) {
    /** Number of elements (1 for a scalar). */
    public long elementCount() {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      return n;
    }
  }

  private final Path file;
  private final FileChannel channel;
  private final long dataStart;
  private final Map<String, TensorInfo> tensors;

  private Safetensors(Path file, FileChannel channel, long dataStart, Map<String, TensorInfo> t) {
    this.file = file;
    this.channel = channel;
    this.dataStart = dataStart;
    this.tensors = t;
  }

  /** Opens the file and parses its header. */
  public static Safetensors open(Path file) {
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new ClipModelException(file, null, "cannot open safetensors file: " + e, e);
    }
    try {
      long size = sizeOf(channel, file);
      ByteBuffer lengthBytes = readFully(channel, 0, 8, file);
      long headerLength = lengthBytes.order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES || 8 + headerLength > size) {
        throw new ClipModelException(
            file, null, "not a safetensors file: header length " + headerLength
                + " does not fit a file of " + size + " bytes");
      }
      ByteBuffer header = readFully(channel, 8, (int) headerLength, file);
      long dataStart = 8 + headerLength;
      Map<String, TensorInfo> tensors = parseHeader(file, header.array(), size - dataStart);
      return new Safetensors(file, channel, dataStart, tensors);
    } catch (RuntimeException e) {
      closeQuietly(channel, e);
      throw e;
    }
  }

  private static Map<String, TensorInfo> parseHeader(Path file, byte[] json, long dataBytes) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new ClipModelException(file, null, "safetensors header is not JSON: " + e, e);
    }
    if (root == null || !root.isObject()) {
      throw new ClipModelException(file, null, "safetensors header is not a JSON object");
    }
    Map<String, TensorInfo> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : root.properties()) {
      String name = entry.getKey();
      if (name.equals("__metadata__")) {
        continue;
      }
      JsonNode node = entry.getValue();
      JsonNode dtype = node.get("dtype");
      JsonNode shape = node.get("shape");
      JsonNode offsets = node.get("data_offsets");
      if (dtype == null || !dtype.isTextual() || shape == null || !shape.isArray()
          || offsets == null || !offsets.isArray() || offsets.size() != 2) {
        throw new ClipModelException(file, name, "malformed safetensors header entry " + node);
      }
      long[] dims = new long[shape.size()];
      for (int i = 0; i < dims.length; i++) {
        dims[i] = shape.get(i).asLong(-1);
        if (dims[i] < 0) {
          throw new ClipModelException(file, name, "negative dimension in shape " + shape);
        }
      }
      long begin = offsets.get(0).asLong(-1);
      long end = offsets.get(1).asLong(-1);
      if (begin < 0 || end < begin || end > dataBytes) {
        throw new ClipModelException(
            file, name, "data_offsets " + offsets + " outside the " + dataBytes + " data bytes");
      }
      TensorInfo info = new TensorInfo(name, dtype.textValue(), dims, begin, end);
      int width = elementWidth(info.dtype());
      if (width > 0 && info.elementCount() * width != end - begin) {
        throw new ClipModelException(
            file, name, info.dtype() + " tensor of shape " + Arrays.toString(dims) + " needs "
                + info.elementCount() * width + " bytes, data_offsets give " + (end - begin));
      }
      tensors.put(name, info);
    }
    return Collections.unmodifiableMap(tensors);
  }

  /** Bytes per element of the dtypes we can convert, or -1 for others (which we never read). */
  private static int elementWidth(String dtype) {
    switch (dtype) {
      case "F32":
        return 4;
      case "F16":
      case "BF16":
        return 2;
      default:
        return -1;
    }
  }

  /** The file this reads. */
  public Path file() {
    return file;
  }

  /** All tensors in header order. */
  public Map<String, TensorInfo> tensors() {
    return tensors;
  }

  /** Whether the file holds a tensor of that name. */
  public boolean contains(String name) {
    return tensors.containsKey(name);
  }

  /**
   * Reads a tensor as float32, checking it has exactly {@code expectedShape}. F32, F16 and BF16 are
   * converted; anything else is rejected with a message naming the tensor.
   */
  public float[] readFloats(String name, long... expectedShape) {
    TensorInfo info = tensors.get(name);
    if (info == null) {
      throw new ClipModelException(
          file, name, "missing tensor " + name + " (expected shape "
              + Arrays.toString(expectedShape) + ")");
    }
    if (!Arrays.equals(info.shape(), expectedShape)) {
      throw new ClipModelException(
          file, name, "tensor " + name + " has shape " + Arrays.toString(info.shape())
              + ", expected " + Arrays.toString(expectedShape));
    }
    int width = elementWidth(info.dtype());
    if (width < 0) {
      throw new ClipModelException(
          file, name, "tensor " + name + " has dtype " + info.dtype()
              + "; only F32, F16 and BF16 are supported");
    }
    long count = info.elementCount();
    if (count > Integer.MAX_VALUE - 8) {
      throw new ClipModelException(file, name, "tensor " + name + " is too large: " + count);
    }
    ByteBuffer bytes = readFully(channel, dataStart + info.begin(), (int) (count * width), file);
    bytes.order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[(int) count];
    switch (info.dtype()) {
      case "F32":
        bytes.asFloatBuffer().get(out);
        break;
      case "F16":
        for (int i = 0; i < out.length; i++) {
          out[i] = Float16Utils.halfToFloat(bytes.getShort(2 * i));
        }
        break;
      default: // BF16: the upper half of a float32
        for (int i = 0; i < out.length; i++) {
          out[i] = Float.intBitsToFloat((bytes.getShort(2 * i) & 0xffff) << 16);
        }
        break;
    }
    return out;
  }

  private static long sizeOf(FileChannel channel, Path file) {
    try {
      return channel.size();
    } catch (IOException e) {
      throw new ClipModelException(file, null, "cannot read safetensors file: " + e, e);
    }
  }

  private static ByteBuffer readFully(FileChannel channel, long position, int length, Path file) {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    try {
      long at = position;
      while (buffer.hasRemaining()) {
        int n = channel.read(buffer, at);
        if (n < 0) {
          throw new ClipModelException(
              file, null, "safetensors file ends at byte " + at + ", expected "
                  + (position + length));
        }
        at += n;
      }
    } catch (IOException e) {
      throw new ClipModelException(file, null, "cannot read safetensors file: " + e, e);
    }
    buffer.flip();
    return buffer;
  }

  private static void closeQuietly(FileChannel channel, RuntimeException primary) {
    try {
      channel.close();
    } catch (IOException e) {
      primary.addSuppressed(e);
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new ClipModelException(file, null, "cannot close safetensors file: " + e, e);
    }
  }
}
