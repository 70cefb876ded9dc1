package org.ctx4j.examples;

import java.nio.file.Path;
import org.ctx4j.core.BuildReport;
import org.ctx4j.core.ClipPreprocessor;
import org.ctx4j.core.ContentDigest;
import org.ctx4j.core.ContextBuilder;
import org.ctx4j.core.ImageEncoder;
import org.ctx4j.core.Stage;

/**
 * Plugs your own image encoder into a build: here a toy one whose "feature" is each channel's mean
 * and standard deviation over the preprocessed 224×224 crop. A real one would wrap another model
 * (ONNX, a remote service...). Builds the visual context only.
 *
 * <pre>
 * java org.ctx4j.examples.CustomImageEncoder COCO_DIR OUT_DIR
 * </pre>
 */
public final class CustomImageEncoder {
  private CustomImageEncoder() {}

  /** Channel statistics of preprocessed pixels: 6 floats per image. */
  static final class ChannelStatistics implements ImageEncoder {
    private static final int SIZE = 224;

    @Override
    public int inputSize() {
      return SIZE;
    }

    @Override
    public int pooledDim() {
      return 6;
    }

    @Override
    public int embedDim() {
      return 6;
    }

    @Override
    public String modelId() {
      return "channel-statistics";
    }

    @Override
    public String contentDigest() {
      // No weights: the code is the model. Bump the text when the arithmetic changes.
      return ContentDigest.ofText("channel-statistics v1");
    }

    @Override
    public ImageEncoding encode(float[] pixels, int batch) {
      int plane = SIZE * SIZE;
      float[] pooled = new float[batch * 6];
      float[] unit = new float[batch * 6];
      for (int b = 0; b < batch; b++) {
        double norm = 0;
        for (int c = 0; c < 3; c++) {
          double sum = 0;
          double squares = 0;
          int from = (b * 3 + c) * plane;
          for (int i = 0; i < plane; i++) {
            sum += pixels[from + i];
            squares += (double) pixels[from + i] * pixels[from + i];
          }
          double mean = sum / plane;
          pooled[b * 6 + c] = (float) mean;
          pooled[b * 6 + 3 + c] = (float) Math.sqrt(Math.max(0, squares / plane - mean * mean));
        }
        for (int j = 0; j < 6; j++) {
          norm += (double) pooled[b * 6 + j] * pooled[b * 6 + j];
        }
        for (int j = 0; j < 6; j++) {
          unit[b * 6 + j] = (float) (pooled[b * 6 + j] / Math.sqrt(norm));
        }
      }
      return new ImageEncoding(batch, 6, 6, pooled, unit);
    }

    @Override
    public void close() {}
  }

  public static void main(String[] args) {
    try (ImageEncoder encoder = new ChannelStatistics()) {
      BuildReport report =
          ContextBuilder.forCoco(Path.of(args[0]))
              .imageEncoder(encoder)
              .preprocessor(ClipPreprocessor.defaults())
              .output(Path.of(args[1]))
              .stages(Stage.VISUAL)
              .build();
      System.out.println(report.summary());
    }
  }
}
