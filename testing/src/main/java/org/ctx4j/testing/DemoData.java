package org.ctx4j.testing;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.common.base.Preconditions;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * A tiny COCO-format dataset and a matching Visual Genome sample, for the demo and pipeline tests:
 *
 * <pre>
 * root/coco/annotations/captions_train2014.json, captions_val2014.json   (real COCO schema)
 * root/coco/train2014/COCO_train2014_%012d.jpg, root/coco/val2014/COCO_val2014_%012d.jpg
 * root/visual_genome/attributes.json, relationships.json                 (real VG schema)
 * </pre>
 *
 * Images are coloured shapes on a plain background, 64..224 pixels a side (every fifth image goes
 * to val2014, every tenth is grayscale as some COCO images are), with five captions each that name
 * the shapes and colours; the Visual Genome sample uses the same words, so retrieval finds them.
 * Deterministic for a seed.
 */
public final class DemoData {
  private static final JsonFactory JSON = JsonFactory.builder().build();

  private static final String[] SHAPES = {"circle", "square", "triangle", "ring", "bar"};
  private static final String[] COLOUR_NAMES = {
    "red", "green", "blue", "yellow", "purple", "orange", "white", "black"
  };
  private static final Color[] COLOURS = {
    Color.RED,
    new Color(0, 160, 0),
    Color.BLUE,
    Color.YELLOW,
    new Color(128, 0, 128),
    Color.ORANGE,
    Color.WHITE,
    Color.BLACK
  };
  private static final String[] RELATIONS = {"next to", "above", "below", "left of", "right of"};

  /**
   * Writes {@code bytes} to {@code file} unless it already holds exactly them: a rerun of the demo
   * keeps the images' modification times, so the build recognises the same dataset (its image
   * list digest includes them) and has nothing to do.
   */
  static void writeIfChanged(Path file, byte[] bytes) throws IOException {
    if (Files.isRegularFile(file) && Files.size(file) == bytes.length
        && Arrays.equals(Files.readAllBytes(file), bytes)) {
      return;
    }
    Files.write(file, bytes);
  }

  /** Where {@link #write} put things. */
  public record Layout(
      Path root, Path cocoRoot, Path attributesJson, Path relationshipsJson, int images) {}

  private DemoData() {}

  /**
   * Writes {@code images} images (≥ 1) under {@code root}, which may exist; files already there are
   * overwritten.
   */
  public static Layout write(Path root, int images, long seed) {
    Preconditions.checkArgument(images >= 1, "images (%s) must be >= 1", images);
    Path coco = root.resolve("coco");
    Path vg = root.resolve("visual_genome");
    try {
      Files.createDirectories(coco.resolve("annotations"));
      Files.createDirectories(coco.resolve("train2014"));
      Files.createDirectories(coco.resolve("val2014"));
      Files.createDirectories(vg);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create folders under " + root, e);
    }
    SplittableRandom random = new SplittableRandom(seed);
    List<DemoImage> train = new ArrayList<>();
    List<DemoImage> val = new ArrayList<>();
    Set<Long> ids = new LinkedHashSet<>();
    for (int i = 0; i < images; i++) {
      long id;
      do {
        id = 1 + random.nextInt(581_929);
      } while (!ids.add(id));
      boolean isVal = i % 5 == 4;
      String split = isVal ? "val2014" : "train2014";
      DemoImage image =
          DemoImage.random(
              id,
              "COCO_" + split + "_" + String.format(Locale.ROOT, "%012d", id) + ".jpg",
              i % 10 == 9,
              random);
      image.writeJpeg(coco.resolve(split).resolve(image.fileName));
      (isVal ? val : train).add(image);
    }
    writeCaptions(coco.resolve("annotations/captions_train2014.json"), train);
    writeCaptions(coco.resolve("annotations/captions_val2014.json"), val);
    Path attributes = vg.resolve("attributes.json");
    Path relationships = vg.resolve("relationships.json");
    List<String> objects = new ArrayList<>(List.of(SHAPES));
    objects.addAll(List.of("background", "picture", "edge", "corner"));
    List<String> attributeWords = new ArrayList<>(List.of(COLOUR_NAMES));
    attributeWords.addAll(List.of("small", "large", "round", "bright", "dark", "plain"));
    new VisualGenomeGenerator(
            new VisualGenomeGenerator.Words(objects, attributeWords, List.of(RELATIONS)),
            seed,
            6,
            4)
        .write(attributes, relationships, Math.max(40, 2 * images));
    return new Layout(root, coco, attributes, relationships, images);
  }

  private static void writeCaptions(Path file, List<DemoImage> images) {
    try (JsonGenerator out = JSON.createGenerator(file.toFile(), JsonEncoding.UTF8)) {
      out.setPrettyPrinter(new PythonJsonStyle());
      out.writeStartObject();
      out.writeObjectFieldStart("info");
      out.writeStringField("description", "ctx4j demo data in the COCO 2014 captions schema");
      out.writeNumberField("year", 2014);
      out.writeEndObject();
      out.writeArrayFieldStart("images");
      for (DemoImage image : images) {
        out.writeStartObject();
        out.writeNumberField("license", 1);
        out.writeStringField("file_name", image.fileName);
        out.writeStringField("coco_url", "http://localhost/" + image.fileName);
        out.writeNumberField("height", image.height);
        out.writeNumberField("width", image.width);
        out.writeStringField("date_captured", "2013-11-14 16:28:13");
        out.writeStringField("flickr_url", "http://localhost/" + image.fileName);
        out.writeNumberField("id", image.id);
        out.writeEndObject();
      }
      out.writeEndArray();
      out.writeArrayFieldStart("licenses");
      out.writeStartObject();
      out.writeStringField("url", "http://localhost/license");
      out.writeNumberField("id", 1);
      out.writeStringField("name", "synthetic");
      out.writeEndObject();
      out.writeEndArray();
      out.writeArrayFieldStart("annotations");
      long annotationId = images.isEmpty() ? 1 : images.get(0).id * 10;
      for (DemoImage image : images) {
        for (String caption : image.captions) {
          out.writeStartObject();
          out.writeNumberField("image_id", image.id);
          out.writeNumberField("id", annotationId++);
          out.writeStringField("caption", caption);
          out.writeEndObject();
        }
      }
      out.writeEndArray();
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** One generated picture: two shapes on a background, and what it shows. */
  private static final class DemoImage {
    final long id;
    final String fileName;
    final int width;
    final int height;
    final boolean gray;
    final int background;
    final int[] shapes = new int[2];
    final int[] colours = new int[2];
    final int relation;
    final List<String> captions = new ArrayList<>();

    private DemoImage(long id, String fileName, boolean gray, SplittableRandom random) {
      this.id = id;
      this.fileName = fileName;
      this.gray = gray;
      this.width = 64 + random.nextInt(161);
      this.height = 64 + random.nextInt(161);
      this.background = random.nextInt(COLOURS.length);
      for (int s = 0; s < 2; s++) {
        shapes[s] = random.nextInt(SHAPES.length);
        do {
          colours[s] = random.nextInt(COLOURS.length);
        } while (colours[s] == background);
      }
      relation = random.nextInt(2); // 0: side by side, 1: one above the other
      String first = COLOUR_NAMES[colours[0]] + " " + SHAPES[shapes[0]];
      String second = COLOUR_NAMES[colours[1]] + " " + SHAPES[shapes[1]];
      String where = relation == 0 ? "left of" : "above";
      captions.add("A " + first + " " + where + " a " + second + ".");
      captions.add(
          "a " + first + " and a " + second + " on a " + COLOUR_NAMES[background] + " background");
      captions.add("Two shapes: a " + SHAPES[shapes[0]] + " and a " + SHAPES[shapes[1]] + ". ");
      captions.add(" A picture with a " + first + " in it");
      captions.add(
          "The " + second + " is " + (relation == 0 ? "right of" : "below") + " the " + first);
    }

    static DemoImage random(long id, String fileName, boolean gray, SplittableRandom random) {
      return new DemoImage(id, fileName, gray, random);
    }

    void writeJpeg(Path file) {
      BufferedImage image =
          new BufferedImage(
              width, height, gray ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
      Graphics2D g = image.createGraphics();
      try {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(COLOURS[background]);
        g.fillRect(0, 0, width, height);
        for (int s = 0; s < 2; s++) {
          // Side by side: left half then right half; stacked: top half then bottom half.
          int x = relation == 0 ? s * width / 2 : width / 4;
          int y = relation == 0 ? height / 4 : s * height / 2;
          int w = relation == 0 ? width / 2 : width / 2;
          int h = relation == 0 ? height / 2 : height / 2;
          g.setColor(COLOURS[colours[s]]);
          drawShape(g, shapes[s], x + w / 8, y + h / 8, w * 3 / 4, h * 3 / 4);
        }
      } finally {
        g.dispose();
      }
      try {
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "jpg", jpeg)) {
          throw new IllegalStateException("no ImageIO JPEG writer");
        }
        writeIfChanged(file, jpeg.toByteArray());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file, e);
      }
    }

    private static void drawShape(Graphics2D g, int shape, int x, int y, int w, int h) {
      switch (SHAPES[shape]) {
        case "circle" -> g.fillOval(x, y, w, h);
        case "square" -> g.fillRect(x, y, Math.min(w, h), Math.min(w, h));
        case "triangle" ->
            g.fillPolygon(new int[] {x, x + w / 2, x + w}, new int[] {y + h, y, y + h}, 3);
        case "ring" -> {
          g.fillOval(x, y, w, h);
          g.clearRect(x + w / 3, y + h / 3, w / 3, h / 3);
        }
        default -> g.fillRect(x, y + h / 3, w, Math.max(1, h / 3));
      }
    }
  }
}
