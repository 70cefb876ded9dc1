package org.ctx4j.benchmarks.clip.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ctx4j.benchmarks.clip.ClipEncodeBenchmark;
import org.ctx4j.clip.ClipConfig;
import org.ctx4j.clip.ClipModel;
import org.ctx4j.clip.ClipOptions;
import org.ctx4j.clip.OnnxExport;
import org.ctx4j.core.TextEncoder;

/**
 * The CLIP text tower side by side in one JVM: ctx4j's Java route (packed texts) and onnxruntime
 * running the same checkpoint's text tower as an exported model runs it (the batch padded to its
 * longest text, causal mask, pooled at each end token; graph by {@link OnnxExport#text}), same
 * texts (ClipEncodeBenchmark's Visual Genome-like phrases in turn), same threads. Rounds alternate
 * peer, ours, ..., peer after a warm-up of each; parity first; JSON lines as {@link
 * ClipOrtInJvmMain}.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Xmx6g -cp benchmarks/target/benchmarks.jar \
 *   org.ctx4j.benchmarks.clip.onnx.ClipTextOrtInJvmMain --batch 64 --rounds 3 --seconds 8
 * </pre>
 */
public final class ClipTextOrtInJvmMain {
  private ClipTextOrtInJvmMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = ClipOrtInJvmMain.options(args);
    int batch = Integer.parseInt(a.getOrDefault("batch", "64"));
    int threads = Integer.parseInt(a.getOrDefault("threads", "2"));
    int rounds = Integer.parseInt(a.getOrDefault("rounds", "3"));
    double seconds = Double.parseDouble(a.getOrDefault("seconds", "8"));
    double warmup = Double.parseDouble(a.getOrDefault("warmup-seconds", "30"));
    Path dir = a.containsKey("model") ? Paths.get(a.get("model")) : ClipEncodeBenchmark.modelDir();
    try (ClipModel model = ClipModel.load(dir, ClipOptions.builder()
        .backend(ClipOptions.Backend.JAVA).threads(threads).batchSize(batch).build())) {
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < batch; i++) {
        texts.add(ClipEncodeBenchmark.PHRASES[i % ClipEncodeBenchmark.PHRASES.length]);
      }
      int[][] tokens = new int[batch][];
      int length = 0;
      int total = 0;
      for (int i = 0; i < batch; i++) {
        tokens[i] = model.tokenizer().encode(texts.get(i));
        length = Math.max(length, tokens[i].length);
        total += tokens[i].length;
      }
      long[][] ids = new long[batch][length];
      long[] pooledRows = new long[batch];
      for (int i = 0; i < batch; i++) {
        int[] t = tokens[i];
        for (int j = 0; j < length; j++) {
          ids[i][j] = j < t.length ? t[j] : t[t.length - 1]; // padding repeats the end token
        }
        pooledRows[i] = (long) i * length + t.length - 1;
      }
      Path onnx = dir.resolve("text-b" + batch + "-l" + length + ".onnx");
      if (!Files.exists(onnx)) {
        Path partial = dir.resolve(onnx.getFileName() + ".partial");
        OnnxExport.text(dir.resolve("model.safetensors"), ClipConfig.read(dir), batch, length,
            partial);
        Files.move(partial, onnx);
      }
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OrtSession.SessionOptions options = OnnxExport.sessionOptions(threads)) {
        try (OrtSession session = env.createSession(onnx.toString(), options);
            OnnxTensor idTensor = OnnxTensor.createTensor(env, ids);
            OnnxTensor rowTensor = OnnxTensor.createTensor(env, pooledRows)) {
          Map<String, OnnxTensor> inputs = Map.of("input_ids", idTensor, "pooled_rows", rowTensor);
          Runnable peer = () -> run(session, inputs);
          TextEncoder ours = model.textEncoder();
          float[][] p = run(session, inputs);
          TextEncoder.TextEncoding o = ours.encode(texts);
          System.out.printf(Locale.ROOT,
              "{\"check\": \"parity\", \"ours\": \"JAVA\", \"batch\": %d, \"tokens\": %d,"
                  + " \"padded_tokens\": %d, \"max_abs_pooled\": %.3g, \"max_abs_embeds\": %.3g}%n",
              batch, total, batch * length, ClipOrtInJvmMain.maxAbs(p[0], o.features()),
              ClipOrtInJvmMain.maxAbs(p[1], o.keys()));
          ClipOrtInJvmMain.rate(peer, batch, warmup / 2);
          ClipOrtInJvmMain.rate(() -> ours.encode(texts), batch, warmup);
          List<Double> peerRates = new ArrayList<>();
          List<Double> ourRates = new ArrayList<>();
          for (int r = 0; r <= rounds; r++) {
            peerRates.add(ClipOrtInJvmMain.rate(peer, batch, seconds));
            ClipOrtInJvmMain.report("onnxruntime", r + 1, batch, peerRates.get(r));
            if (r < rounds) {
              ourRates.add(ClipOrtInJvmMain.rate(() -> ours.encode(texts), batch, seconds));
              ClipOrtInJvmMain.report("ctx4j-JAVA", r + 1, batch, ourRates.get(r));
            }
          }
          List<Double> ratios = new ArrayList<>();
          for (int r = 0; r < rounds; r++) {
            ratios.add(ourRates.get(r) / ((peerRates.get(r) + peerRates.get(r + 1)) / 2));
          }
          System.out.printf(Locale.ROOT,
              "{\"summary\": true, \"tower\": \"text\", \"ours\": \"JAVA\", \"batch\": %d,"
                  + " \"threads\": %d, \"onnxruntime\": \"%s\", \"ratios\": %s}%n",
              batch, threads, env.getVersion(), ClipOrtInJvmMain.format(ratios));
        }
      }
    }
  }

  private static float[][] run(OrtSession session, Map<String, OnnxTensor> inputs) {
    try (OrtSession.Result result = session.run(inputs)) {
      float[][] pooled = (float[][]) result.get("pooled").orElseThrow().getValue();
      float[][] embeds = (float[][]) result.get("embeds").orElseThrow().getValue();
      return new float[][] {ClipOrtInJvmMain.flatten(pooled), ClipOrtInJvmMain.flatten(embeds)};
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }
}
