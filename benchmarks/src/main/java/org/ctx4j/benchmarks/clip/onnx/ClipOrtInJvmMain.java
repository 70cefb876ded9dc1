package org.ctx4j.benchmarks.clip.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.ctx4j.benchmarks.clip.ClipEncodeBenchmark;
import org.ctx4j.clip.ClipConfig;
import org.ctx4j.clip.ClipModel;
import org.ctx4j.clip.ClipOptions;
import org.ctx4j.clip.OnnxExport;
import org.ctx4j.core.ImageEncoder;

/**
 * The CLIP vision tower side by side in one JVM: ctx4j's Java route and onnxruntime (its Java
 * artifact) running the same checkpoint, written to ONNX by the ONNX backend's graph writer, on
 * the same pixels, same threads. Rounds alternate peer, ours (each backend asked), peer, ours, ...,
 * peer, each timing whole calls
 * for the given seconds after a warm-up of each ({@code --warmup-seconds}, default 30), so every figure of ours has a peer figure measured just
 * before and just after it in the same process (steadier on a shared machine than separate
 * processes). First checks the two agree (largest absolute difference of pooled and unit
 * embeddings). One JSON line per round and one summary line.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Xmx4g -cp benchmarks/target/benchmarks.jar \
 *   org.ctx4j.benchmarks.clip.onnx.ClipOrtInJvmMain --batch 8 --rounds 3 --seconds 10
 * </pre>
 */
public final class ClipOrtInJvmMain {
  private ClipOrtInJvmMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = options(args);
    int batch = Integer.parseInt(a.getOrDefault("batch", "8"));
    int threads = Integer.parseInt(a.getOrDefault("threads", "2"));
    int rounds = Integer.parseInt(a.getOrDefault("rounds", "3"));
    double seconds = Double.parseDouble(a.getOrDefault("seconds", "10"));
    Path dir = a.containsKey("model") ? Paths.get(a.get("model")) : ClipEncodeBenchmark.modelDir();
    Path onnx = dir.resolve("vision-b" + batch + ".onnx");
    if (!Files.exists(onnx)) {
      Path partial = dir.resolve(onnx.getFileName() + ".partial");
      OnnxExport.vision(
          dir.resolve("model.safetensors"), ClipConfig.read(dir), batch, partial);
      Files.move(partial, onnx);
    }
    int size = ClipConfig.read(dir).vision().imageSize();
    List<ClipOptions.Backend> backends = new ArrayList<>();
    for (String name : a.getOrDefault("backends", "JAVA,ONNX").split(",")) {
      backends.add(ClipOptions.Backend.valueOf(name));
    }
    float[] pixels = new float[batch * 3 * size * size];
    Random random = new Random(0);
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) random.nextGaussian();
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = OnnxExport.sessionOptions(threads)) {
      if (a.containsKey("profile")) {
        // onnxruntime's own per-node timings (a JSON trace), to see where the peer's time goes
        options.enableProfiling(a.get("profile"));
        options.setOptimizedModelFilePath(a.get("profile") + "-optimized.onnx");
      }
      try (OrtSession session = env.createSession(onnx.toString(), options);
          OnnxTensor input =
              OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels),
                  new long[] {batch, 3, size, size})) {
        Supplier<float[][]> peer = () -> runPeer(session, input);
        float[][] p = peer.get();
        List<ClipModel> models = new ArrayList<>();
        try {
          for (ClipOptions.Backend backend : backends) {
            models.add(ClipModel.load(dir, ClipOptions.builder()
                .backend(backend).threads(threads).batchSize(batch).build()));
          }
          for (ClipModel m : models) {
            ImageEncoder.ImageEncoding o = m.imageEncoder().encode(pixels, batch);
            System.out.printf(Locale.ROOT,
                "{\"check\": \"parity\", \"ours\": \"%s\", \"batch\": %d,"
                    + " \"max_abs_pooled\": %.3g, \"max_abs_embeds\": %.3g}%n",
                m.backend(), batch, maxAbs(p[0], o.pooled()), maxAbs(p[1], o.embeddings()));
          }
          // The Java route reaches its steady speed only once C2 has compiled its kernels (tens of
          // seconds of calls); a build runs for hours, so warm every contender up before timing.
          double warmup = Double.parseDouble(a.getOrDefault("warmup-seconds", "30"));
          rate(() -> peer.get(), batch, warmup / (models.size() + 1));
          for (ClipModel m : models) {
            ImageEncoder ours = m.imageEncoder();
            rate(() -> ours.encode(pixels, batch), batch, warmup);
          }
          List<Double> peerRates = new ArrayList<>();
          List<List<Double>> ourRates = new ArrayList<>();
          for (int i = 0; i < models.size(); i++) {
            ourRates.add(new ArrayList<>());
          }
          for (int r = 0; r <= rounds; r++) {
            peerRates.add(rate(() -> peer.get(), batch, seconds));
            report("onnxruntime", r + 1, batch, peerRates.get(r));
            if (r < rounds) {
              for (int i = 0; i < models.size(); i++) {
                ImageEncoder ours = models.get(i).imageEncoder();
                ourRates.get(i).add(rate(() -> ours.encode(pixels, batch), batch, seconds));
                report("ctx4j-" + models.get(i).backend(), r + 1, batch, ourRates.get(i).get(r));
              }
            }
          }
          for (int i = 0; i < models.size(); i++) {
            List<Double> ratios = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
              ratios.add(ourRates.get(i).get(r)
                  / ((peerRates.get(r) + peerRates.get(r + 1)) / 2));
            }
            List<Double> sorted = new ArrayList<>(ratios);
            sorted.sort(null);
            double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
            System.out.printf(Locale.ROOT,
                "{\"summary\": true, \"ours\": \"%s\", \"batch\": %d, \"threads\": %d,"
                    + " \"numerics\": \"%s\", \"onnxruntime\": \"%s\", \"ratios\": %s,"
                    + " \"median_ratio\": %.3f}%n",
                models.get(i).backend(), batch, threads, models.get(i).imageEncoder().numerics(),
                env.getVersion(), format(ratios), median);
          }
        } finally {
          for (ClipModel m : models) {
            m.close();
          }
        }
      }
    }
  }

  private static float[][] runPeer(OrtSession session, OnnxTensor input) {
    try (OrtSession.Result result = session.run(Map.of("pixel_values", input))) {
      float[][] pooled = (float[][]) result.get("pooled").orElseThrow().getValue();
      float[][] embeds = (float[][]) result.get("embeds").orElseThrow().getValue();
      return new float[][] {flatten(pooled), flatten(embeds)};
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Images per second of whole calls for at least {@code seconds}, after three warm-up calls. */
  /** {@code --name value} pairs as a map from name to value. */
  static Map<String, String> options(String[] args) {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i].substring(2), args[i + 1]);
    }
    return a;
  }

  static double rate(Runnable call, int batch, double seconds) {
    for (int i = 0; i < 3; i++) {
      call.run();
    }
    long start = System.nanoTime();
    int calls = 0;
    double elapsed;
    do {
      call.run();
      calls++;
      elapsed = (System.nanoTime() - start) / 1e9;
    } while (elapsed < seconds || calls < 3);
    return calls * batch / elapsed;
  }

  static void report(String who, int round, int batch, double perSecond) {
    System.out.printf(Locale.ROOT,
        "{\"who\": \"%s\", \"round\": %d, \"batch\": %d, \"per_s\": %.2f}%n",
        who, round, batch, perSecond);
  }

  static float[] flatten(float[][] rows) {
    int width = rows[0].length;
    float[] out = new float[rows.length * width];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(rows[r], 0, out, r * width, width);
    }
    return out;
  }

  static double maxAbs(float[] a, float[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  static String format(List<Double> values) {
    StringBuilder s = new StringBuilder("[");
    for (double v : values) {
      s.append(s.length() > 1 ? ", " : "").append(String.format(Locale.ROOT, "%.3f", v));
    }
    return s.append(']').toString();
  }
}
