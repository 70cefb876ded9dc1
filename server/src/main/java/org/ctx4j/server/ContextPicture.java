package org.ctx4j.server;

import com.google.common.base.Preconditions;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.ctx4j.core.CropBox;
import org.ctx4j.core.RgbImage;
import org.ctx4j.core.TopKTexts;

/**
 * The page's picture as a PNG, for papers and reports: the image with one crop's boxes drawn (each
 * in its colour, numbered) and, beside it, each box's top-k captions with scores. Drawn with
 * Java2D; the same colours as the page.
 */
public final class ContextPicture {
  /** The page's box colours, in crop index order. */
  static final Color[] COLORS = {
    new Color(0xe6194b), new Color(0x3cb44b), new Color(0x4363d8), new Color(0xf58231),
    new Color(0x911eb4), new Color(0x42d4f4), new Color(0xf032e6), new Color(0xbfef45),
    new Color(0xfabed4)
  };
  /** Longest side of the drawn image, in pixels. */
  public static final int IMAGE_SIDE = 480;
  private static final int MARGIN = 16;
  private static final int PANEL = 560;
  private static final int STROKE = 3;

  private ContextPicture() {}

  /** One box and its captions. */
  public record Entry(String label, CropBox box, TopKTexts captions) {}

  /** Where the image lies in a picture: its top-left corner and scale. */
  public record Placement(int left, int top, double scale) {
    /** The picture pixel of image pixel ({@code x}, {@code y}). */
    public int x(double x) {
      return left + (int) Math.floor(x * scale);
    }

    /** The picture row of image row {@code y}. */
    public int y(double y) {
      return top + (int) Math.floor(y * scale);
    }
  }

  /** Where {@link #render} puts an image of this size. */
  public static Placement placement(int width, int height) {
    return new Placement(MARGIN, 2 * MARGIN + 8, (double) IMAGE_SIDE / Math.max(width, height));
  }

  /**
   * Draws {@code image} with the boxes of {@code entries} and their captions under {@code title}.
   */
  public static BufferedImage render(RgbImage image, String title, List<Entry> entries) {
    Preconditions.checkArgument(entries.size() <= COLORS.length,
        "at most %s boxes, got %s", COLORS.length, entries.size());
    Placement p = placement(image.width(), image.height());
    int w = (int) Math.round(image.width() * p.scale());
    int h = (int) Math.round(image.height() * p.scale());
    Font body = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    Font bold = body.deriveFont(Font.BOLD);
    int lines = 0;
    for (Entry e : entries) {
      lines += 1 + e.captions().k();
    }
    int line = 17;
    int height = Math.max(p.top() + h + MARGIN, p.top() + lines * line + entries.size() * 6 + MARGIN);
    BufferedImage out =
        new BufferedImage(p.left() + w + MARGIN + PANEL, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, out.getWidth(), out.getHeight());
      g.setColor(Color.BLACK);
      g.setFont(bold.deriveFont(15f));
      g.drawString(title, MARGIN, MARGIN + 10);
      g.drawImage(toBufferedImage(image), p.left(), p.top(), w, h, null);
      g.setStroke(new BasicStroke(STROKE));
      g.setFont(bold);
      for (int i = 0; i < entries.size(); i++) {
        CropBox b = entries.get(i).box();
        g.setColor(COLORS[i]);
        int x0 = p.x(b.left());
        int y0 = p.y(b.top());
        int x1 = p.x(b.right()) - STROKE;
        int y1 = p.y(b.bottom()) - STROKE;
        // A 3-pixel stroke centred one pixel in: it covers x0..x0+2 and x1..x1+2, inside the box.
        g.drawRect(x0 + 1, y0 + 1, Math.max(1, x1 - x0), Math.max(1, y1 - y0));
        g.drawString(entries.get(i).label(), x0 + 6, y0 + 18);
      }
      int x = p.left() + w + MARGIN;
      int y = p.top() + 12;
      FontMetrics fm = g.getFontMetrics(body);
      for (int i = 0; i < entries.size(); i++) {
        Entry e = entries.get(i);
        g.setColor(COLORS[i]);
        g.fillRect(x, y - 11, 10, 12);
        g.setColor(Color.BLACK);
        g.setFont(bold);
        g.drawString(e.label(), x + 16, y);
        y += line;
        g.setFont(body);
        for (int j = 0; j < e.captions().k(); j++) {
          String score = String.format(Locale.ROOT, "%.4f", e.captions().scores()[j]);
          g.setColor(Color.GRAY);
          g.drawString(score, x + 16, y);
          g.setColor(Color.BLACK);
          g.drawString(
              clip(e.captions().texts().get(j), fm, PANEL - 90), x + 16 + fm.stringWidth(score) + 10, y);
          y += line;
        }
        y += 6;
      }
    } finally {
      g.dispose();
    }
    return out;
  }

  /** Writes {@code picture} to {@code file} as PNG. */
  public static void writePng(BufferedImage picture, Path file) {
    try {
      if (!ImageIO.write(picture, "png", file.toFile())) {
        throw new IllegalStateException("no PNG writer in this JVM");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static String clip(String text, FontMetrics fm, int width) {
    if (fm.stringWidth(text) <= width) {
      return text;
    }
    String s = text;
    while (!s.isEmpty() && fm.stringWidth(s + "…") > width) {
      s = s.substring(0, s.length() - 1);
    }
    return s + "…";
  }

  private static BufferedImage toBufferedImage(RgbImage image) {
    int w = image.width();
    int h = image.height();
    byte[] rgb = image.rgb();
    int[] pixels = new int[w * h];
    for (int i = 0, s = 0; i < pixels.length; i++, s += 3) {
      pixels[i] = (rgb[s] & 0xFF) << 16 | (rgb[s + 1] & 0xFF) << 8 | (rgb[s + 2] & 0xFF);
    }
    BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    b.setRGB(0, 0, w, h, pixels, 0, w);
    return b;
  }
}
