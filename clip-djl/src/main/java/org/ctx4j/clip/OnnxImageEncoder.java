package org.ctx4j.clip;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.ctx4j.ClipModelException;
import org.ctx4j.clip.internal.ModelIdentity;
import org.ctx4j.clip.internal.Safetensors;

/**
 * The vision tower on onnxruntime's CPU provider: at load, the checkpoint's tower is written as an
 * ONNX graph of one fixed batch ({@link OnnxClipGraph}, into a temporary file deleted once the
 * session has read it) and run by an onnxruntime session with all graph optimisations. Every
 * forward pass has that one shape (a shorter chunk is padded with zero images), so a row's result
 * does not depend on how many images share its call; MLAS splits work between threads by output
 * blocks, never along a dot product.
 */
final class OnnxImageEncoder extends CpuImageEncoder {
  private final OrtSession session;
  private final FloatBuffer input;
  private final float[] zeroImage;

  OnnxImageEncoder(
      Safetensors file, ClipConfig clip, int maxBatch, int threads, ModelIdentity identity) {
    super(clip, maxBatch, identity);
    this.input =
        ByteBuffer.allocateDirect(4 * maxBatch * perImage).order(ByteOrder.nativeOrder())
            .asFloatBuffer();
    this.zeroImage = new float[perImage];
    Path graph = null;
    try {
      graph = Files.createTempFile("ctx4j-clip-vision-", ".onnx");
      OnnxClipGraph.writeVision(file, clip, maxBatch, graph);
      try (OrtSession.SessionOptions options = sessionOptions(threads)) {
        session = OrtEnvironment.getEnvironment().createSession(graph.toString(), options);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing the ONNX graph of " + file.file(), e);
    } catch (OrtException e) {
      throw new ClipModelException(file.file(), null,
          "onnxruntime refused the vision graph written from this checkpoint: " + e.getMessage(),
          e);
    } finally {
      if (graph != null) {
        try {
          Files.deleteIfExists(graph);
        } catch (IOException e) {
          graph.toFile().deleteOnExit();
        }
      }
    }
  }

  /**
   * The session settings of this route: {@code threads} intra-op threads, one inter-op, sequential
   * execution, all graph optimisations (peers that run the same graph use these too).
   */
  static OrtSession.SessionOptions sessionOptions(int threads) throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(threads);
    options.setInterOpNumThreads(1);
    options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    return options;
  }

  /** onnxruntime's version, for the model's numerics. */
  static String runtimeVersion() {
    return OrtEnvironment.getEnvironment().getVersion();
  }

  @Override
  float[][] forward(float[] pixels, int offset, int n) {
    // one direct buffer for every pass: onnxruntime reads it in place (a heap buffer would be
    // copied into a new direct one per call); the pass always has the model's batch shape
    input.clear();
    input.put(pixels, offset, n * perImage);
    for (int i = n; i < maxBatch; i++) {
      input.put(zeroImage);
    }
    input.rewind();
    int size = inputSize();
    long[] shape = {maxBatch, config.numChannels(), size, size};
    try (OnnxTensor tensor =
            OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), input, shape);
        OrtSession.Result out = session.run(Map.of(OnnxClipGraph.INPUT, tensor))) {
      return new float[][] {rows(out, OnnxClipGraph.POOLED, n * pooledDim()),
          rows(out, OnnxClipGraph.EMBEDS, n * embedDim())};
    } catch (OrtException e) {
      throw new IllegalStateException("onnxruntime failed on the vision tower of CLIP model "
          + modelId() + ": " + e.getMessage(), e);
    }
  }

  /** The first {@code count} floats of output {@code name}. */
  private static float[] rows(OrtSession.Result out, String name, int count) throws OrtException {
    float[] values = new float[count];
    ((OnnxTensor) out.get(name).orElseThrow()).getFloatBuffer().get(values);
    return values;
  }

  @Override
  public void close() {
    if (!isClosed()) {
      try {
        session.close();
      } catch (OrtException e) {
        throw new IllegalStateException("closing onnxruntime's session: " + e.getMessage(), e);
      } finally {
        super.close();
      }
    }
  }
}
