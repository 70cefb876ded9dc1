package org.ctx4j.clip;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ctx4j.ClipModelException;
import org.ctx4j.clip.internal.CheckpointLayout;
import org.ctx4j.clip.internal.CpuPool;
import org.ctx4j.clip.internal.GemmKernel;
import org.ctx4j.clip.internal.ModelIdentity;
import org.ctx4j.clip.internal.Safetensors;
import org.ctx4j.clip.internal.WeightLoader;

/** Builds the encoders of either route from a checkpoint; the entry point {@code ClipModel} uses. */
final class ClipTowers {
  private ClipTowers() {}

  /** The PyTorch engine's name in DJL. */
  public static final String ENGINE = "PyTorch";

  /**
   * Checks that {@code weights} holds every tensor both towers need with the right shape and a
   * float dtype, so a bad checkpoint fails at load time rather than at first use. Extra tensors
   * ({@code position_ids}, {@code logit_scale}, ...) are ignored.
   */
  public static void checkCheckpoint(Path weights, ClipConfig config) {
    ClipConfig.VisionConfig v = config.vision();
    ClipConfig.TextConfig x = config.text();
    List<CheckpointLayout.Tensor> expected =
        new ArrayList<>(
            CheckpointLayout.vision(
                new CheckpointLayout.VisionShape(
                    v.hiddenSize(),
                    v.intermediateSize(),
                    v.numLayers(),
                    v.numPositions(),
                    v.numChannels(),
                    v.patchSize(),
                    config.projectionDim())));
    expected.addAll(
        CheckpointLayout.text(
            new CheckpointLayout.TextShape(
                x.hiddenSize(),
                x.intermediateSize(),
                x.numLayers(),
                x.maxPositions(),
                x.vocabSize(),
                config.projectionDim())));
    try (Safetensors file = Safetensors.open(weights)) {
      for (CheckpointLayout.Tensor t : expected) {
        Safetensors.TensorInfo info = file.tensors().get(t.name());
        if (info == null) {
          throw new ClipModelException(
              weights, t.name(), "missing tensor " + t.name() + " (expected shape "
                  + Arrays.toString(t.shape()) + ")");
        }
        if (!Arrays.equals(info.shape(), t.shape())) {
          throw new ClipModelException(
              weights, t.name(), "tensor " + t.name() + " has shape "
                  + Arrays.toString(info.shape()) + ", expected "
                  + Arrays.toString(t.shape()) + " for this config.json");
        }
        if (!List.of("F32", "F16", "BF16").contains(info.dtype())) {
          throw new ClipModelException(
              weights, t.name(), "tensor " + t.name() + " has dtype " + info.dtype()
                  + "; only F32, F16 and BF16 are supported");
        }
      }
    }
  }

  /** Loads the vision tower onto {@code device} in {@code working} precision. */
  public static DjlImageEncoder imageEncoder(
      Path weights, ClipConfig config, Device device, DataType working, int maxBatch,
      ModelIdentity identity) {
    NDManager manager = NDManager.newBaseManager(device, ENGINE);
    try (Safetensors file = Safetensors.open(weights)) {
      VisionTower tower = new VisionTower(new WeightLoader(file, manager, working), config, working);
      return new DjlImageEncoder(manager, tower, config, maxBatch, identity);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** Loads the text tower onto {@code device} in {@code working} precision. */
  public static DjlTextEncoder textEncoder(
      Path weights, ClipConfig config, ClipTokenizer tokenizer, Device device, DataType working,
      int maxBatch, ModelIdentity identity) {
    NDManager manager = NDManager.newBaseManager(device, ENGINE);
    try (Safetensors file = Safetensors.open(weights)) {
      TextTower tower = new TextTower(new WeightLoader(file, manager, working), config, working);
      return new DjlTextEncoder(manager, tower, config, tokenizer, maxBatch, identity);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** Loads the vision tower for the Java CPU route (weights packed for {@code kernel}). */
  public static JavaImageEncoder javaImageEncoder(
      Path weights, ClipConfig config, GemmKernel kernel, CpuPool pool, int maxBatch,
      ModelIdentity identity) {
    try (Safetensors file = Safetensors.open(weights)) {
      return new JavaImageEncoder(file, config, kernel, pool, maxBatch, identity);
    }
  }

  /**
   * Loads the vision tower for the onnxruntime route: the checkpoint's graph for batches of
   * {@code maxBatch}, run on {@code threads} intra-op threads.
   */
  public static OnnxImageEncoder onnxImageEncoder(
      Path weights, ClipConfig config, int maxBatch, int threads, ModelIdentity identity) {
    try (Safetensors file = Safetensors.open(weights)) {
      return new OnnxImageEncoder(file, config, maxBatch, threads, identity);
    }
  }

  /** Loads the text tower for the Java CPU route. */
  public static JavaTextEncoder javaTextEncoder(
      Path weights, ClipConfig config, ClipTokenizer tokenizer, GemmKernel kernel, CpuPool pool,
      int maxBatch, ModelIdentity identity) {
    try (Safetensors file = Safetensors.open(weights)) {
      return new JavaTextEncoder(file, config, tokenizer, kernel, pool, maxBatch, identity);
    }
  }
}
