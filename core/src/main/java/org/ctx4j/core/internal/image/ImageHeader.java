package org.ctx4j.core.internal.image;

import java.awt.image.SampleModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * What an image file's header says about the memory its decoding takes, read without decoding
 * pixels: the ImageIO reader (TwelveMonkeys for JPEG) parses the header up to the frame size, a
 * few kilobytes at most.
 *
 * @param width pixels
 * @param height pixels
 * @param decodedBytesPerPixel bytes per pixel of the raster the reader decodes to, before the RGB
 *     conversion (3 for colour JPEG, 4 for CMYK, up to 8 for 16-bit RGBA PNG)
 */
public record ImageHeader(int width, int height, int decodedBytesPerPixel) {
  /** Used when the reader does not say how it decodes: 16-bit RGBA, the widest ImageIO raster. */
  static final int WIDEST_PIXEL_BYTES = 8;

  /** Pixels as a long (width·height overflows an int beyond 2 Gpx). */
  public long pixels() {
    return (long) width * height;
  }

  /**
   * Reads the header of {@code file}; empty if no ImageIO reader accepts it or it cannot be read
   * (decoding then reports why, naming the file).
   */
  public static Optional<ImageHeader> read(Path file) {
    try (ImageInputStream in = open(file)) {
      if (in == null) {
        return Optional.empty();
      }
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return Optional.empty();
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        return Optional.of(new ImageHeader(width, height, decodedBytesPerPixel(reader)));
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      // ImageIO plugins report corrupt headers with IOException or assorted runtime exceptions.
      return Optional.empty();
    }
  }

  /**
   * A random-access stream on a local file; on another file system provider (the Spark job's
   * hdfs:// inputs) a stream over its bytes, which ImageIO caches as it reads the header.
   */
  private static ImageInputStream open(Path file) throws IOException {
    if (file.getFileSystem() == FileSystems.getDefault()) {
      return ImageIO.createImageInputStream(file.toFile());
    }
    InputStream bytes = Files.newInputStream(file);
    return new MemoryCacheImageInputStream(bytes) {
      @Override
      public void close() throws IOException {
        try {
          super.close(); // does not close the stream it reads
        } finally {
          bytes.close();
        }
      }
    };
  }

  private static int decodedBytesPerPixel(ImageReader reader) throws IOException {
    ImageTypeSpecifier raw = reader.getRawImageType(0);
    if (raw == null) {
      return WIDEST_PIXEL_BYTES;
    }
    SampleModel model = raw.getSampleModel();
    int bits = 0;
    for (int band = 0; band < model.getNumBands(); band++) {
      // Packed samples (1/2/4-bit gray, palettes) still take at least a byte per pixel here.
      bits += Math.max(8, roundUpToByte(model.getSampleSize(band)));
    }
    return Math.max(1, bits / 8);
  }

  private static int roundUpToByte(int bits) {
    return (bits + 7) / 8 * 8;
  }
}
