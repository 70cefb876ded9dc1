package org.ctx4j.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.ctx4j.clip.ClipOptions;
import org.ctx4j.core.ContextBuilder;
import org.ctx4j.core.CropStrategy;

/**
 * Everything a task needs to run its part, shipped to the executors. Paths to inputs (images,
 * Visual Genome, model) are local paths every executor can read (a shared mount); the output is a
 * Hadoop FileSystem URI, opened with the session's {@code spark.hadoop.*} settings.
 */
record JobSpec(
    String coco,
    String imageFolder,
    String visualGenome,
    String captionDb,
    String model,
    String longTexts,
    String backend,
    String out,
    int topK,
    Map<String, Integer> cropK,
    List<String> crops,
    boolean compact,
    boolean captionDbInOriginalLayout,
    RetrievalSpec retrieval,
    boolean skipBad,
    int imageParts,
    int captionParts,
    int batchSize,
    int captionBatchSize,
    int threads,
    Map<String, String> hadoopSettings)
    implements Serializable {

  JobSpec {
    cropK = new LinkedHashMap<>(cropK);
    hadoopSettings = new TreeMap<>(hadoopSettings);
    crops = new ArrayList<>(crops);
  }

  /** Hadoop's defaults plus the session's {@code spark.hadoop.*} settings, on any JVM. */
  Configuration hadoopConfiguration() {
    return hadoopConfiguration(hadoopSettings);
  }

  /** Hadoop's defaults plus {@code settings}. */
  static Configuration hadoopConfiguration(Map<String, String> settings) {
    Configuration conf = new Configuration();
    settings.forEach(conf::set);
    return conf;
  }

  boolean hasImages() {
    return coco != null || imageFolder != null;
  }

  /**
   * The model options of an executor's task. The Java route's workers are the task's threads:
   * tasks share the executor's cores, and two tasks each running a pool of all cores ran 13-18 %
   * slower on two cores than one build. Not for ONNX, whose thread count is part of its
   * numerics (recorded in the files); PyTorch's threads are its own global setting.
   */
  ClipOptions clipOptions() {
    return clipOptions(longTexts, backend, taskThreads());
  }

  /** {@link #clipOptions()} for these settings and task threads. */
  static ClipOptions clipOptions(String longTexts, String backend, int threads) {
    ClipOptions.Backend chosen = ClipOptions.Backend.valueOf(backend);
    ClipOptions.Builder b =
        ClipOptions.builder().longTexts(ClipOptions.LongTexts.valueOf(longTexts)).backend(chosen);
    if (chosen != ClipOptions.Backend.ONNX) {
      b.threads(threads);
    }
    return b.build();
  }

  /**
   * CPU threads of one task: {@code threads}, else the task's {@code spark.task.cpus} (on the
   * driver, which only needs the model's identity, 1).
   */
  int taskThreads() {
    if (threads > 0) {
      return threads;
    }
    TaskContext task = TaskContext.get();
    return task == null ? 1 : Math.max(1, task.cpus());
  }

  /** A builder over this job's images with its retrieval settings (no encoders, no output). */
  ContextBuilder imageBuilder() {
    ContextBuilder b =
        coco != null
            ? ContextBuilder.forCoco(InputPaths.resolve(coco, hadoopConfiguration()))
            : ContextBuilder.forImageFolder(InputPaths.resolve(imageFolder, hadoopConfiguration()));
    b.topK(topK)
        .crops(crops.stream().map(CropStrategy::fromKey).toArray(CropStrategy[]::new))
        .compact(compact)
        .captionDbInOriginalLayout(captionDbInOriginalLayout)
        .retrieval(retrieval.options())
        .skipBad(skipBad)
        .batchSize(batchSize)
        .threads(taskThreads());
    cropK.forEach((crop, k) -> b.topK(CropStrategy.fromKey(crop), k));
    return b;
  }

  /**
   * What a rerun into the same output must repeat (recorded in {@code _ctx4j_spark/job.json}):
   * everything that changes the output bytes or the part files, not batch sizes or threads.
   */
  Map<String, String> identity(String modelDigest) {
    Map<String, String> id = new TreeMap<>();
    id.put("coco", String.valueOf(coco));
    id.put("images", String.valueOf(imageFolder));
    id.put("visual genome", String.valueOf(visualGenome));
    id.put("caption db", String.valueOf(captionDb));
    id.put("model", modelDigest);
    id.put("long texts", longTexts);
    id.put("backend", backend);
    id.put("top k", Integer.toString(topK));
    id.put("crop k", new TreeMap<>(cropK).toString());
    id.put("crops", String.join(",", crops));
    id.put("compact", Boolean.toString(compact));
    id.put("caption db layout", captionDbInOriginalLayout ? "original" : "ctx4j");
    id.put("retrieval", retrieval.options().toString());
    id.put("skip bad", Boolean.toString(skipBad));
    id.put("image parts", Integer.toString(imageParts));
    return id;
  }
}
