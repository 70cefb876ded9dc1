package org.ctx4j.core.internal.dataset;

import com.fasterxml.jackson.core.JsonToken;
import java.util.List;

/**
 * Streams Visual Genome's {@code attributes.json} and {@code relationships.json} (JSON arrays over
 * images) into a {@link VgCaptionCollector}, one object or relationship at a time.
 *
 * <p>Fields the original reads with {@code x["key"]} are required (it would fail with a KeyError);
 * those it reads with {@code a.get("key", [])} may be absent. A repeated key counts once, last
 * value wins, as with Python's {@code json.load}. Fields not used are skipped unparsed.
 */
public final class VgJsonReader {
  /** Called after each image with the bytes consumed so far. */
  public interface ImageDone {
    void bytesRead(long bytes);
  }

  private VgJsonReader() {}

  /** Reads {@code [{"image_id":..., "attributes": [{"synsets": [...], "attributes": [...]}]}]}. */
  public static void readAttributes(JsonInput in, VgCaptionCollector into, ImageDone progress) {
    in.nextIs(JsonToken.START_ARRAY, "");
    while (in.nextElement("")) {
      in.requireCurrent(JsonToken.START_OBJECT, "[]");
      boolean sawAttributes = false;
      for (String field; (field = in.nextField("")) != null; ) {
        if (field.equals("attributes")) {
          sawAttributes = true;
          readObjects(in, into);
        } else {
          in.skipValue();
        }
      }
      if (!sawAttributes) {
        throw in.error("attributes", "image has no \"attributes\" list");
      }
      progress.bytesRead(in.bytesRead());
    }
  }

  private static void readObjects(JsonInput in, VgCaptionCollector into) {
    in.requireCurrent(JsonToken.START_ARRAY, "attributes");
    while (in.nextElement("attributes")) {
      in.requireCurrent(JsonToken.START_OBJECT, "attributes[]");
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
  }

  /**
   * Reads {@code [{"image_id":..., "relationships": [{"predicate": "...", "subject": {"synsets":
   * [...]}, "object": {"synsets": [...]}}]}]}.
   */
  public static void readRelationships(JsonInput in, VgCaptionCollector into, ImageDone progress) {
    in.nextIs(JsonToken.START_ARRAY, "");
    while (in.nextElement("")) {
      in.requireCurrent(JsonToken.START_OBJECT, "[]");
      boolean sawRelationships = false;
      for (String field; (field = in.nextField("")) != null; ) {
        if (field.equals("relationships")) {
          sawRelationships = true;
          readRelationshipList(in, into);
        } else {
          in.skipValue();
        }
      }
      if (!sawRelationships) {
        throw in.error("relationships", "image has no \"relationships\" list");
      }
      progress.bytesRead(in.bytesRead());
    }
  }

  private static void readRelationshipList(JsonInput in, VgCaptionCollector into) {
    in.requireCurrent(JsonToken.START_ARRAY, "relationships");
    while (in.nextElement("relationships")) {
      in.requireCurrent(JsonToken.START_OBJECT, "relationships[]");
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
