package org.ctx4j.core.internal.dataset;

import com.fasterxml.jackson.core.JsonToken;
import java.util.List;

/**
 * Streams Visual Genome's {@code attributes.json} and {@code relationships.json} (JSON arrays over
 * images) into a {@link VgCaptionCollector}, one object or relationship at a time.
 *
 * <p>Fields the original reads with {@code x["key"]} are required (it would fail with a KeyError);
 * those it reads with {@code a.get("key", [])} may be absent. A repeated key inside an object or
 * relationship counts once, last value wins, as with Python's {@code json.load}. Fields not used
 * are skipped unparsed.
 */
public final class VgJsonReader {
  /** Called after each image with the bytes consumed so far. */
  public interface ImageDone {
    void bytesRead(long bytes);
  }

  private VgJsonReader() {}

  /** Reads {@code [{"image_id":..., "attributes": [{"synsets": [...], "attributes": [...]}]}]}. */
  public static void readAttributes(JsonInput in, VgCaptionCollector into, ImageDone progress) {
    readImages(in, "attributes", () -> readObject(in, into), progress);
  }

  /**
   * Reads {@code [{"image_id":..., "relationships": [{"predicate": "...", "subject": {"synsets":
   * [...]}, "object": {"synsets": [...]}}]}]}.
   */
  public static void readRelationships(JsonInput in, VgCaptionCollector into, ImageDone progress) {
    readImages(in, "relationships", () -> readRelationship(in, into), progress);
  }

  /** The top-level array of images, each with a required list of objects {@code listField}. */
  private static void readImages(
      JsonInput in, String listField, Runnable readElement, ImageDone progress) {
    String elementField = listField + "[]";
    in.nextIs(JsonToken.START_ARRAY, "");
    while (in.nextElement("")) {
      in.requireCurrent(JsonToken.START_OBJECT, "[]");
      boolean sawList = false;
      for (String field; (field = in.nextField("")) != null; ) {
        if (field.equals(listField)) {
          sawList = true;
          in.requireCurrent(JsonToken.START_ARRAY, listField);
          while (in.nextElement(listField)) {
            in.requireCurrent(JsonToken.START_OBJECT, elementField);
            readElement.run();
          }
        } else {
          in.skipValue();
        }
      }
      if (!sawList) {
        throw in.error(listField, "image has no \"" + listField + "\" list");
      }
      progress.bytesRead(in.bytesRead());
    }
  }

  private static void readObject(JsonInput in, VgCaptionCollector into) {
    List<String> synsets = List.of();
    List<String> attributes = List.of();
    for (String field; (field = in.nextField("attributes[]")) != null; ) {
      switch (field) {
        case "synsets":
          synsets = in.stringArray("attributes[].synsets");
          break;
        case "attributes":
          attributes = in.stringArray("attributes[].attributes");
          break;
        default:
          in.skipValue();
      }
    }
    into.addObject(synsets, attributes);
  }

  private static void readRelationship(JsonInput in, VgCaptionCollector into) {
    String predicate = null;
    List<String> subject = null;
    List<String> object = null;
    for (String field; (field = in.nextField("relationships[]")) != null; ) {
      switch (field) {
        case "predicate":
          predicate = in.string("relationships[].predicate");
          break;
        case "subject":
          subject = synsetsOf(in, "relationships[].subject");
          break;
        case "object":
          object = synsetsOf(in, "relationships[].object");
          break;
        default:
          in.skipValue();
      }
    }
    if (predicate == null) {
      throw in.error("relationships[].predicate", "relationship has no \"predicate\"");
    }
    if (subject == null) {
      throw in.error("relationships[].subject", "relationship has no \"subject\"");
    }
    if (object == null) {
      throw in.error("relationships[].object", "relationship has no \"object\"");
    }
    into.addRelationship(predicate, subject, object);
  }

  /** The "synsets" of a subject or object, which the original requires. */
  private static List<String> synsetsOf(JsonInput in, String field) {
    in.requireCurrent(JsonToken.START_OBJECT, field);
    List<String> synsets = null;
    for (String name; (name = in.nextField(field)) != null; ) {
      if (name.equals("synsets")) {
        synsets = in.stringArray(field + ".synsets");
      } else {
        in.skipValue();
      }
    }
    if (synsets == null) {
      throw in.error(field + ".synsets", "no \"synsets\" list");
    }
    return synsets;
  }
}
