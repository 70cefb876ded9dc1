package org.ctx4j.clip.internal;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.common.base.Preconditions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.ctx4j.ClipModelException;
import org.ctx4j.clip.ClipConfig;
import org.ctx4j.core.ImageEncoder;

/**
 * The vision tower on onnxruntime's CPU provider: at load, the checkpoint's tower is written as an
 * ONNX graph of one fixed batch ({@link OnnxClipGraph}, into a temporary file deleted once the
 * session has read it) and run by an onnxruntime session with all graph optimisations. Every
 * forward pass has that one shape (a shorter chunk is padded with zero images), so a row's result
 * does not depend on how many images share its call; MLAS splits work between threads by output
 * blocks, never along a dot product.
 */
public final class OnnxImageEncoder extends TowerScope implements ImageEncoder {
  private final ClipConfig.VisionConfig config;
  private final int embedDim;
  private final OrtSession session;
  private final int perImage;
  private final FloatBuffer input;
  private final float[] zeroImage;

  OnnxImageEncoder(
      Safetensors file, ClipConfig clip, int maxBatch, int threads, ModelIdentity identity) {
    super(null, maxBatch, identity, "image encoder");
    this.config = clip.vision();
    this.embedDim = clip.projectionDim();
    this.perImage = config.numChannels() * config.imageSize() * config.imageSize();
    this.input =
        ByteBuffer.allocateDirect(4 * maxBatch * perImage).order(ByteOrder.nativeOrder())
            .asFloatBuffer();
    this.zeroImage = new float[perImage];
    Path graph = null;
    try {
      graph = Files.createTempFile("ctx4j-clip-vision-", ".onnx");
      OnnxClipGraph.writeVision(file, clip, maxBatch, graph);
      try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
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

  /** onnxruntime's version, for the model's numerics. */
  public static String runtimeVersion() {
    return OrtEnvironment.getEnvironment().getVersion();
  }

  @Override
  public int inputSize() {
    return config.imageSize();
  }

  @Override
  public int pooledDim() {
    return config.hiddenSize();
  }

  @Override
  public int embedDim() {
    return embedDim;
  }

  @Override
  public int preferredBatch() {
    return maxBatch;
  }

  @Override
  public String numerics() {
    return super.numerics() + ", image rows independent of the batch";
  }

  @Override
  public ImageEncoding encode(float[] pixels, int batch) {
    checkOpen();
    Preconditions.checkArgument(batch >= 0, "batch (%s) < 0", batch);
    int size = inputSize();
    Preconditions.checkArgument(
        pixels.length >= (long) batch * perImage,
        "pixels hold %s floats, %s images of %s need %s",
        pixels.length, batch, config.numChannels() + "x" + size + "x" + size,
        (long) batch * perImage);
    float[] pooled = new float[batch * pooledDim()];
    float[] embeddings = new float[batch * embedDim()];
    for (int start = 0; start < batch; start += maxBatch) {
      int n = Math.min(maxBatch, batch - start);
      // one direct buffer for every call: onnxruntime reads it in place (a heap buffer would be
      // copied into a new direct one per call)
      input.clear();
      input.put(pixels, start * perImage, n * perImage);
      for (int i = n; i < maxBatch; i++) {
        input.put(zeroImage);
      }
      input.rewind();
      long[] shape = {maxBatch, config.numChannels(), size, size};
      try (OnnxTensor tensor =
              OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), input, shape);
          OrtSession.Result out = session.run(Map.of(OnnxClipGraph.INPUT, tensor))) {
        copyRows(out, OnnxClipGraph.POOLED, n, pooledDim(), pooled, start);
        copyRows(out, OnnxClipGraph.EMBEDS, n, embedDim(), embeddings, start);
      } catch (OrtException e) {
        throw new IllegalStateException("onnxruntime failed on the vision tower of CLIP model "
            + modelId() + ": " + e.getMessage(), e);
      }
    }
    return new ImageEncoding(batch, pooledDim(), embedDim(), pooled, embeddings);
  }

  private static void copyRows(
      OrtSession.Result out, String name, int rows, int width, float[] into, int start)
      throws OrtException {
    FloatBuffer values = ((OnnxTensor) out.get(name).orElseThrow()).getFloatBuffer();
    values.get(into, start * width, rows * width);
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
