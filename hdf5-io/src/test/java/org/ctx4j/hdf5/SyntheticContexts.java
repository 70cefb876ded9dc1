package org.ctx4j.hdf5;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Deterministic synthetic contexts, and how h5py (dump_context.py) must print them. */
final class SyntheticContexts {
  static final TextualLayout LAYOUT =
      new TextualLayout(
          3,
          List.of(new CropSpec("whole", 1, 4), new CropSpec("five", 5, 4), new CropSpec("nine", 9, 4)),
          false);

  private SyntheticContexts() {}

  static float[] visual(long id, int dim) {
    Random r = new Random(id);
    float[] f = new float[dim];
    for (int i = 0; i < dim; i++) {
      f[i] = (float) r.nextGaussian();
    }
    return f;
  }

  static String text(long id, String crop, int i) {
    if (i == 1) {
      return ""; // empty strings must survive too
    }
    return crop + " " + i + " caption of " + id + (i % 3 == 0 ? " café 日本" : "");
  }

  static List<CropContext> textual(TextualLayout layout, long id) {
    List<CropContext> crops = new ArrayList<>();
    Random r = new Random(id * 31);
    for (CropSpec s : layout.crops()) {
      int n = s.count() * s.k();
      String[] texts = new String[n];
      float[] scores = new float[n];
      int[] ids = new int[n];
      float[] features = new float[n * layout.dim()];
      for (int i = 0; i < n; i++) {
        texts[i] = text(id, s.name(), i);
        scores[i] = r.nextFloat();
        ids[i] = r.nextInt(1_000_000);
      }
      for (int i = 0; i < features.length; i++) {
        features[i] = (float) r.nextGaussian();
      }
      crops.add(
          layout.compact()
              ? CropContext.compact(s.name(), s.count(), s.k(), ids, scores)
              : CropContext.of(s.name(), s.count(), s.k(), texts, scores, features));
    }
    return crops;
  }

  static String floats(long[] shape, float[] values, int from, int count) {
    ByteBuffer b = ByteBuffer.allocate(4 * count).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values, from, count);
    return "<f4" + shapeText(shape) + ":" + HexFormat.of().formatHex(b.array());
  }

  static String ints(long[] shape, int[] values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asIntBuffer().put(values);
    return "<i4" + shapeText(shape) + ":" + HexFormat.of().formatHex(b.array());
  }

  private static String shapeText(long[] shape) {
    return "["
        + java.util.Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "))
        + "]";
  }

  static String quoted(String s) {
    return "\"" + s + "\"";
  }

  /** json.dumps of texts shaped (k,) or (count, k), followed by h5py's element type. */
  static String texts(CropSpec spec, String[] texts) {
    String json;
    if (!spec.hasCropAxis()) {
      json = "[" + IntStream.range(0, spec.k()).mapToObj(i -> quoted(texts[i])).collect(Collectors.joining(", ")) + "]";
    } else {
      json =
          "["
              + IntStream.range(0, spec.count())
                  .mapToObj(
                      c ->
                          "["
                              + IntStream.range(0, spec.k())
                                  .mapToObj(i -> quoted(texts[c * spec.k() + i]))
                                  .collect(Collectors.joining(", "))
                              + "]")
                  .collect(Collectors.joining(", "))
              + "]";
    }
    return json + " bytes";
  }
}
