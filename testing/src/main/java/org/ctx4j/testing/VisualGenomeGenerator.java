package org.ctx4j.testing;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Streams synthetic Visual Genome {@code attributes.json} and {@code relationships.json} in the
 * real schema (the fields and key order of VG 1.2/1.4, Python's separators), with words drawn by
 * Zipf's law from a fixed vocabulary, and some raw-text noise the cleanup must handle (capitals,
 * surrounding spaces, objects without synsets or attributes, objects with two synsets).
 *
 * <p>{@link #realSize} matches the real files: 108,077 images, ~35 objects (~0.75 attributes each)
 * and ~21 relationships per image, about 0.45 GB and 0.75 GB, ~2.3M unique captions.
 */
public final class VisualGenomeGenerator {
  /** Images in Visual Genome 1.2/1.4. */
  public static final int REAL_IMAGE_COUNT = 108_077;

  private static final JsonFactory JSON = JsonFactory.builder().build();

  /** The words to draw from, most frequent first. */
  public record Words(List<String> objects, List<String> attributes, List<String> predicates) {
    public Words {
      objects = List.copyOf(objects);
      attributes = List.copyOf(attributes);
      predicates = List.copyOf(predicates);
    }

    /**
     * Pseudo-words ("kalomi") of realistic vocabulary sizes: Visual Genome has some tens of
     * thousands of distinct object synsets, attributes and predicates after cleanup.
     */
    public static Words synthetic(int objects, int attributes, int predicates) {
      return new Words(
          pseudoWords(objects, 0, 1), pseudoWords(attributes, 7, 9), pseudoWords(predicates, 3, 4));
    }

    private static List<String> pseudoWords(int count, int offset, int twoWordEvery) {
      String[] syllables = {"ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "de", "gu", "ba", "fe"};
      List<String> words = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        StringBuilder word = new StringBuilder();
        int n = i + offset;
        do {
          word.append(syllables[n % syllables.length]);
          n /= syllables.length;
        } while (n > 0);
        if (twoWordEvery > 1 && i % twoWordEvery == twoWordEvery - 1) {
          word.append(' ').append(syllables[i % 5]).append("n");
        }
        words.add(word.toString());
      }
      return words;
    }
  }

  private final Words words;
  private final long seed;
  private final ZipfSampler objectRanks;
  private final ZipfSampler attributeRanks;
  private final ZipfSampler predicateRanks;
  private final int meanObjects;
  private final int meanRelationships;

  /**
   * @param meanObjects objects per image on average (real: 35)
   * @param meanRelationships relationships per image on average (real: 21)
   */
  public VisualGenomeGenerator(Words words, long seed, int meanObjects, int meanRelationships) {
    this.words = words;
    this.seed = seed;
    // Exponents chosen so that realSize gives ~2.3M unique captions, as the real files do.
    this.objectRanks = new ZipfSampler(words.objects().size(), 1.12);
    this.attributeRanks = new ZipfSampler(words.attributes().size(), 1.05);
    this.predicateRanks = new ZipfSampler(words.predicates().size(), 1.45);
    this.meanObjects = meanObjects;
    this.meanRelationships = meanRelationships;
  }

  /** A generator of real-size files: ~0.45 GB attributes and ~0.75 GB relationships. */
  public static VisualGenomeGenerator realSize(long seed) {
    return new VisualGenomeGenerator(Words.synthetic(20_000, 40_000, 30_000), seed, 35, 21);
  }

  /** Writes both files for {@code images} images. */
  public void write(Path attributesJson, Path relationshipsJson, int images) {
    writeAttributes(attributesJson, images);
    writeRelationships(relationshipsJson, images);
  }

  /** Writes {@code attributes.json} for {@code images} images. */
  public void writeAttributes(Path file, int images) {
    SplittableRandom random = new SplittableRandom(seed);
    long objectId = 1;
    try (JsonGenerator out = open(file)) {
      out.writeStartArray();
      for (int image = 1; image <= images; image++) {
        out.writeStartObject();
        out.writeNumberField("image_id", image);
        out.writeArrayFieldStart("attributes");
        int objects = random.nextInt(2 * meanObjects + 1);
        for (int o = 0; o < objects; o++) {
          out.writeStartObject();
          String name = words.objects().get(objectRanks.next(random));
          writeSynsets(out, name, random);
          writeBox(out, random, objectId++);
          out.writeArrayFieldStart("names");
          out.writeString(name);
          out.writeEndArray();
          // Real VG: 2.8M attributes on 3.8M objects; about half carry no "attributes" key.
          if (random.nextInt(2) != 0) {
            out.writeArrayFieldStart("attributes");
            int attributes = 1 + random.nextInt(2);
            for (int a = 0; a < attributes; a++) {
              out.writeString(noisy(words.attributes().get(attributeRanks.next(random)), random));
            }
            out.writeEndArray();
          }
          out.writeEndObject();
        }
        out.writeEndArray();
        out.writeEndObject();
      }
      out.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Writes {@code relationships.json} for {@code images} images. */
  public void writeRelationships(Path file, int images) {
    SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    long relationshipId = 1;
    try (JsonGenerator out = open(file)) {
      out.writeStartArray();
      for (int image = 1; image <= images; image++) {
        out.writeStartObject();
        out.writeArrayFieldStart("relationships");
        int relationships = random.nextInt(2 * meanRelationships + 1);
        for (int r = 0; r < relationships; r++) {
          out.writeStartObject();
          String predicate = words.predicates().get(predicateRanks.next(random));
          out.writeStringField("predicate", noisy(predicate, random));
          out.writeObjectFieldStart("object");
          writeBoxedObject(out, random, relationshipId * 2, true);
          out.writeEndObject();
          out.writeNumberField("relationship_id", relationshipId++);
          out.writeArrayFieldStart("synsets");
          out.writeString(predicate.replace(' ', '_') + ".r.01");
          out.writeEndArray();
          out.writeObjectFieldStart("subject");
          writeBoxedObject(out, random, relationshipId * 2 + 1, false);
          out.writeEndObject();
          out.writeEndObject();
        }
        out.writeEndArray();
        out.writeNumberField("image_id", image);
        out.writeEndObject();
      }
      out.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** A relationship's subject or object: VG writes "name" for subjects, "names" for objects. */
  private void writeBoxedObject(JsonGenerator out, SplittableRandom random, long id, boolean plural)
      throws IOException {
    String name = words.objects().get(objectRanks.next(random));
    if (plural) {
      out.writeArrayFieldStart("names");
      out.writeString(name);
      out.writeEndArray();
      out.writeArrayFieldStart("merged_object_ids");
      out.writeEndArray();
    } else {
      out.writeStringField("name", name);
    }
    writeSynsets(out, name, random);
    writeBox(out, random, id);
  }

  private void writeSynsets(JsonGenerator out, String name, SplittableRandom random)
      throws IOException {
    out.writeArrayFieldStart("synsets");
    int kind = random.nextInt(100);
    if (kind >= 5) { // 5% of VG objects have no synset
      out.writeString(name.replace(' ', '_') + ".n.0" + (1 + random.nextInt(3)));
    }
    if (kind >= 97) { // and a few have two
      out.writeString(words.objects().get(objectRanks.next(random)).replace(' ', '_') + ".n.01");
    }
    out.writeEndArray();
  }

  private static void writeBox(JsonGenerator out, SplittableRandom random, long id)
      throws IOException {
    out.writeNumberField("h", 1 + random.nextInt(500));
    out.writeNumberField("object_id", 1_000_000 + id);
    out.writeNumberField("w", 1 + random.nextInt(500));
    out.writeNumberField("y", random.nextInt(500));
    out.writeNumberField("x", random.nextInt(800));
  }

  /** Raw VG text: mostly clean, sometimes capitalized or padded. */
  private static String noisy(String word, SplittableRandom random) {
    int kind = random.nextInt(100);
    if (kind < 4) {
      return word.toUpperCase(Locale.ROOT);
    }
    if (kind < 6) {
      return " " + word + " ";
    }
    return word;
  }

  private static JsonGenerator open(Path file) throws IOException {
    JsonGenerator out = JSON.createGenerator(file.toFile(), JsonEncoding.UTF8);
    out.setPrettyPrinter(new PythonJsonStyle());
    return out;
  }
}
