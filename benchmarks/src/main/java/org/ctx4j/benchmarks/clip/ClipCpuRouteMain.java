package org.ctx4j.benchmarks.clip;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.ctx4j.clip.ClipModel;
import org.ctx4j.clip.ClipOptions;
import org.ctx4j.core.ImageEncoder;
import org.ctx4j.core.TextEncoder;

/**
 * Ours for {@code benchmarks/peers/clip_cpu_side_by_side.sh}: one CLIP tower at ViT-B/32 size on a
 * chosen backend, timed like the peer {@code clip_onnx_peer.py} (warm-up calls, then whole calls
 * for at least the given seconds), one JSON line out. The model directory is the one {@link
 * ClipEncodeBenchmark} generates, which the peer loads too.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *   org.ctx4j.benchmarks.clip.ClipCpuRouteMain --tower vision --batch 32 --backend JAVA
 * java -cp benchmarks/target/benchmarks.jar org.ctx4j.benchmarks.clip.ClipCpuRouteMain --model-dir
 * </pre>
 */
public final class ClipCpuRouteMain {
  private ClipCpuRouteMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--model-dir")) {
        System.out.println(ClipEncodeBenchmark.modelDir());
        return;
      }
      a.put(args[i].substring(2), args[++i]);
    }
    String tower = a.getOrDefault("tower", "vision");
    int batch = Integer.parseInt(a.getOrDefault("batch", "32"));
    int threads = Integer.parseInt(a.getOrDefault("threads", "2"));
    double seconds = Double.parseDouble(a.getOrDefault("seconds", "15"));
    int warmup = Integer.parseInt(a.getOrDefault("warmup", "3"));
    String texts = a.getOrDefault("texts", "mixed");
    ClipOptions.Backend backend = ClipOptions.Backend.valueOf(a.getOrDefault("backend", "JAVA"));
    Path dir = a.containsKey("model") ? Paths.get(a.get("model")) : ClipEncodeBenchmark.modelDir();
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    ClipOptions options =
        ClipOptions.builder().backend(backend).threads(threads).batchSize(batch).build();
    try (ClipModel model = ClipModel.load(dir, options)) {
      Runnable call;
      int tokens = 0;
      if (tower.equals("vision")) {
        ImageEncoder images = model.imageEncoder();
        int size = images.inputSize();
        float[] pixels = new float[batch * 3 * size * size];
        Random random = new Random(0);
        for (int i = 0; i < pixels.length; i++) {
          pixels[i] = (float) random.nextGaussian();
        }
        call = () -> images.encode(pixels, batch);
      } else {
        TextEncoder encoder = model.textEncoder();
        List<String> phrases = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
          phrases.add(texts.equals("uniform") ? ClipEncodeBenchmark.UNIFORM_PHRASE
              : ClipEncodeBenchmark.PHRASES[i % ClipEncodeBenchmark.PHRASES.length]);
        }
        for (String p : phrases) {
          tokens += model.tokenizer().encode(p).length;
        }
        call = () -> encoder.encode(phrases);
      }
      for (int i = 0; i < warmup; i++) {
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
      System.out.printf(Locale.ROOT,
          "{\"ours\": \"%s\", \"numerics\": \"%s\", \"tower\": \"%s\", \"batch\": %d, \"texts\":"
              + " \"%s\", \"tokens\": %d, \"threads\": %d, \"calls\": %d, \"per_s\": %.2f}%n",
          model.backend(), tower.equals("vision") ? model.imageEncoder().numerics()
              : model.textEncoder().numerics(), tower, batch, texts, tokens, threads, calls,
          calls * batch / elapsed);
    }
  }
}
