package org.ctx4j.clip;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.ctx4j.clip.internal.Safetensors;

/**
 * The ONNX graphs ctx4j writes from a HuggingFace CLIP checkpoint, as files, for peers that run them
 * outside ctx4j (benchmarks): the vision tower the ONNX backend runs, and a text tower laid out as
 * an exported model runs it (padded, causal mask).
 */
public final class OnnxExport {
  private OnnxExport() {}

  /** The vision tower for batches of exactly {@code batch} images. */
  public static void vision(Path weights, ClipConfig clip, int batch, Path out) {
    try (Safetensors file = Safetensors.open(weights)) {
      OnnxClipGraph.writeVision(file, clip, batch, out);
    } catch (IOException e) {
      throw new UncheckedIOException("writing the ONNX graph of " + weights + " to " + out, e);
    }
  }

  /**
   * The onnxruntime session settings the ONNX backend runs its graph with ({@code threads} intra-op
   * threads, sequential execution, all graph optimisations), so a peer runs exactly the same.
   * Needs the optional {@code com.microsoft.onnxruntime:onnxruntime} dependency.
   */
  public static OrtSession.SessionOptions sessionOptions(int threads) throws OrtException {
    return OnnxImageEncoder.sessionOptions(threads);
  }

  /** The text tower for batches of exactly {@code batch} texts padded to {@code length} ids. */
  public static void text(Path weights, ClipConfig clip, int batch, int length, Path out) {
    try (Safetensors file = Safetensors.open(weights)) {
      OnnxClipGraph.writeText(file, clip, batch, length, out);
    } catch (IOException e) {
      throw new UncheckedIOException("writing the ONNX graph of " + weights + " to " + out, e);
    }
  }
}
