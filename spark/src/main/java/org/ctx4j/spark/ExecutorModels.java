package org.ctx4j.spark;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.ctx4j.clip.ClipModel;
import org.ctx4j.clip.ClipOptions;

/**
 * Loaded models of this executor JVM, kept for its lifetime: a task borrows one and gives it back,
 * so a JVM loads the model once per task slot that runs at the same time (a {@link ClipModel} is
 * not thread-safe), and never again for later tasks. With one task per executor ({@code
 * spark.task.cpus} = executor cores, the advice for GPUs) that is once per JVM.
 */
final class ExecutorModels {
  private static final ConcurrentHashMap<String, ConcurrentLinkedQueue<ClipModel>> IDLE =
      new ConcurrentHashMap<>();

  private ExecutorModels() {}

  /** A model for {@code spec}, to be handed back with {@link Lease#close()}. */
  static Lease borrow(JobSpec spec) {
    ClipOptions options = spec.clipOptions();
    String key = spec.model() + "\u0000" + options;
    ConcurrentLinkedQueue<ClipModel> idle =
        IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>());
    ClipModel model = idle.poll();
    if (model == null) {
      model =
          ClipModel.load(InputPaths.localModel(spec.model(), spec.hadoopConfiguration()), options);
    }
    return new Lease(model, idle);
  }

  /** A borrowed model; closing the lease returns it to the JVM's idle models. */
  record Lease(ClipModel model, ConcurrentLinkedQueue<ClipModel> idle) implements AutoCloseable {
    @Override
    public void close() {
      idle.offer(model);
    }
  }
}
