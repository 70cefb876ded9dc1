package org.ctx4j.clip.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An ONNX graph under construction: float32 initializers, nodes of the default domain, static
 * input and output shapes, written as an ONNX model file (IR version 8, opset 17). Field numbers
 * are those of ONNX's {@code onnx.proto}.
 */
public final class OnnxGraph {
  private static final int FLOAT = 1;
  private static final int INT64 = 7;
  private static final int ATTR_FLOAT = 1;
  private static final int ATTR_INT = 2;
  private static final int ATTR_INTS = 7;

  private final List<OnnxProto> nodes = new ArrayList<>();
  private final List<OnnxProto> initializers = new ArrayList<>();
  private final List<OnnxProto> inputs = new ArrayList<>();
  private final List<OnnxProto> outputs = new ArrayList<>();
  private final Map<Float, String> scalars = new HashMap<>();
  private int next;

  /** A node attribute. */
  public record Attr(String name, int type, long i, long[] ints, float f) {
    public static Attr i(String name, long value) {
      return new Attr(name, ATTR_INT, value, null, 0);
    }

    public static Attr ints(String name, long... values) {
      return new Attr(name, ATTR_INTS, 0, values, 0);
    }

    public static Attr f(String name, float value) {
      return new Attr(name, ATTR_FLOAT, 0, null, value);
    }

    OnnxProto encode() {
      OnnxProto p = new OnnxProto().string(1, name).int64(20, type);
      switch (type) {
        case ATTR_FLOAT -> p.float32(2, f);
        case ATTR_INT -> p.int64(3, i);
        default -> {
          for (long v : ints) {
            p.int64(8, v);
          }
        }
      }
      return p;
    }
  }

  /** Adds a float input of a fixed shape; returns its name. */
  public String input(String name, long... shape) {
    inputs.add(valueInfo(name, FLOAT, shape));
    return name;
  }

  /** Adds an int64 input of a fixed shape (token ids, row indices); returns its name. */
  public String inputLongs(String name, long... shape) {
    inputs.add(valueInfo(name, INT64, shape));
    return name;
  }

  /** Declares {@code name} a float output of a fixed shape. */
  public void output(String name, long... shape) {
    outputs.add(valueInfo(name, FLOAT, shape));
  }

  /** A float32 initializer of the given shape; returns its name. */
  public String weight(String name, float[] values, long... shape) {
    ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(values);
    initializers.add(tensor(name, FLOAT, raw.array(), shape));
    return name;
  }

  /** A float32 scalar initializer, one per value however often it is asked for. */
  public String scalar(float value) {
    return scalars.computeIfAbsent(value, v -> weight("scalar_" + next++, new float[] {v}));
  }

  /** An int64 initializer (shapes, indices); a scalar when {@code shape} is empty. */
  public String longs(long[] values, long... shape) {
    ByteBuffer raw = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    raw.asLongBuffer().put(values);
    String name = "const_" + next++;
    initializers.add(tensor(name, INT64, raw.array(), shape));
    return name;
  }

  /** A node of one output; returns the output's name. */
  public String node(String op, List<String> in, Attr... attrs) {
    return named(op.toLowerCase(Locale.ROOT) + "_" + next++, op, in, attrs);
  }

  /** A node whose output has the given name (a graph output's); returns it. */
  public String named(String out, String op, List<String> in, Attr... attrs) {
    OnnxProto n = new OnnxProto();
    for (String i : in) {
      n.string(1, i);
    }
    n.string(2, out).string(3, out).string(4, op);
    for (Attr a : attrs) {
      n.message(5, a.encode());
    }
    nodes.add(n);
    return out;
  }

  /**
   * Writes the model: the graph, opset 17 of the default domain, IR version 8. The graph message is
   * streamed piece by piece (its length is known from the pieces), so the weights are not copied
   * into one more array.
   */
  public void write(Path file) throws IOException {
    List<byte[]> pieces = new ArrayList<>();
    for (OnnxProto n : nodes) {
      pieces.add(new OnnxProto().message(1, n).toByteArray());
    }
    pieces.add(new OnnxProto().string(2, "ctx4j").toByteArray());
    for (OnnxProto t : initializers) {
      pieces.add(new OnnxProto().message(5, t).toByteArray());
    }
    for (OnnxProto i : inputs) {
      pieces.add(new OnnxProto().message(11, i).toByteArray());
    }
    for (OnnxProto o : outputs) {
      pieces.add(new OnnxProto().message(12, o).toByteArray());
    }
    long graphLength = 0;
    for (byte[] piece : pieces) {
      graphLength += piece.length;
    }
    OnnxProto head =
        new OnnxProto()
            .int64(1, 8)
            .string(2, "ctx4j")
            .message(8, new OnnxProto().string(1, "").int64(2, 17));
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      out.write(head.toByteArray());
      out.write(OnnxProto.lengthDelimitedHeader(7, graphLength));
      for (byte[] piece : pieces) {
        out.write(piece);
      }
    }
  }

  private static OnnxProto tensor(String name, int type, byte[] raw, long... shape) {
    OnnxProto t = new OnnxProto();
    for (long d : shape) {
      t.int64(1, d);
    }
    return t.int64(2, type).string(8, name).bytes(9, raw);
  }

  private static OnnxProto valueInfo(String name, int type, long... shape) {
    OnnxProto dims = new OnnxProto();
    for (long d : shape) {
      dims.message(1, new OnnxProto().int64(1, d));
    }
    OnnxProto tensorType = new OnnxProto().int64(1, type).message(2, dims);
    return new OnnxProto().string(1, name).message(2, new OnnxProto().message(1, tensorType));
  }
}
