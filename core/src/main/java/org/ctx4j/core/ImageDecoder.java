package org.ctx4j.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.ctx4j.ImageDecodeException;
import org.ctx4j.core.internal.image.PillowRgbDecoding;

/**
 * Decodes image files to 8-bit RGB the way {@code PIL.Image.open(f).convert("RGB")} does in Pillow
 * 9.4, so that preprocessing sees the pixels the original saw.
 *
 * <ul>
 *   <li>PNG, bit-exact: RGB; RGBA and LA drop alpha without blending; L and 1/2/4-bit gray expand;
 *       palette images expand (palette transparency is dropped); 16-bit RGB(A) and gray+alpha keep
 *       the high byte; 16-bit gray (Pillow mode {@code I}) clips values above 255 to 255, as
 *       Pillow's {@code I → RGB} conversion does.
 *   <li>JPEG (baseline, progressive, grayscale, CMYK, YCCK) through ImageIO with the TwelveMonkeys
 *       plugin. CMYK is converted with Pillow's formula ({@code 255 - k - c·(255 - k)/255}, no
 *       colour profile), always inverted as Pillow does; YCCK is first converted to CMYK with
 *       libjpeg's arithmetic. JPEG decoders differ slightly in IDCT and upsampling: see {@code
 *       docs/preprocessing.md} for the measured difference to Pillow.
 *   <li>Other formats ImageIO reads (GIF, BMP) are converted by the same rules.
 *   <li>EXIF orientation is ignored (Pillow does not apply it either).
 * </ul>
 *
 * <p>Stateless and thread-safe. Every failure is an {@link ImageDecodeException} naming the file.
 */
public final class ImageDecoder {
  private ImageDecoder() {}

  /**
   * Reads and decodes {@code file}.
   *
   * @throws ImageDecodeException if the file is missing, unreadable, empty, truncated, corrupt or
   *     not an image
   */
  public static RgbImage decode(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ImageDecodeException(file.toString(), "no such file", e);
    } catch (IOException e) {
      throw new ImageDecodeException(file.toString(), "cannot read file: " + e, e);
    }
    return decode(bytes, file.toString());
  }

  /**
   * Decodes an encoded image held in memory; {@code nameForErrors} (e.g. the file it came from)
   * appears in error messages.
   *
   * @throws ImageDecodeException if the bytes are empty, truncated, corrupt or not an image
   */
  public static RgbImage decode(byte[] bytes, String nameForErrors) {
    if (bytes.length == 0) {
      throw new ImageDecodeException(nameForErrors, "empty file", null);
    }
    try {
      PillowRgbDecoding.Pixels pixels = PillowRgbDecoding.decode(bytes);
      return RgbImage.of(pixels.width(), pixels.height(), pixels.rgb());
    } catch (PillowRgbDecoding.DecodeFailure e) {
      throw new ImageDecodeException(nameForErrors, e.getMessage(), e.getCause());
    } catch (IOException | RuntimeException e) {
      // ImageIO plugins report corrupt data with IOException or assorted runtime exceptions.
      throw new ImageDecodeException(nameForErrors, "corrupt or unsupported image data: " + e, e);
    }
  }
}
