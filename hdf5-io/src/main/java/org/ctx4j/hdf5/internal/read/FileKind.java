package org.ctx4j.hdf5.internal.read;

import java.util.List;
import java.util.Map;
import org.ctx4j.Hdf5FormatException;
import org.ctx4j.WrongFileKindException;

/**
 * Which of the context files a file is: from the {@code ctx4j_format} root attribute where our
 * writers set it, else from the shape of the first root entry (files the original code wrote).
 */
public enum FileKind {
  VISUAL("a visual context (vis_ctx)", "VisualContextFile"),
  TEXTUAL("a textual context (txt_ctx)", "TextualContextFile"),
  TEXTUAL_COMPACT("a compact textual context (txt_ctx_compact)", "TextualContextFile"),
  CAPTION_DB("a caption database (caption_db)", "CaptionDbFile"),
  /**
   * An HDF5 file with neither a {@code ctx4j_format} attribute nor the layout of a context file
   * (e.g. one a user wrote with h5py): no reader accepts it.
   */
  OTHER("an HDF5 file that is no context file (no ctx4j_format attribute, no context layout)", null),
  /** No images and no format attribute: any reader accepts it. */
  EMPTY("an empty HDF5 file", "any reader");

  private final String description;
  private final String reader;

  FileKind(String description, String reader) {
    this.description = description;
    this.reader = reader;
  }

  /** Detects the kind; a {@code ctx4j_format} naming no known kind throws. */
  public static FileKind detect(ContextReader file, Map<String, String> attributes) {
    String format = attributes.get("ctx4j_format");
    if (format != null) {
      String family = format.contains("/") ? format.substring(0, format.indexOf('/')) : format;
      switch (family) {
        case "vis_ctx":
          return VISUAL;
        case "txt_ctx":
          return TEXTUAL;
        case "txt_ctx_compact":
          return TEXTUAL_COMPACT;
        case "caption_db":
          return CAPTION_DB;
        default:
          throw new Hdf5FormatException(
              file.file(), "/", "unknown ctx4j_format '" + format + "' in " + file.file());
      }
    }
    if (attributes.containsKey("fdim")) {
      return VISUAL;
    }
    // no ctx4j_format: written by the original code (or plain h5py), so not our compact layout
    ContextReader.Entry entry = file.firstRootEntry();
    if (entry == null) {
      return EMPTY;
    }
    String name = file.firstRootName();
    if (!file.isGroup(entry)) {
      // vis_ctx: one dataset per image id; the original caption db: root 'captions' and 'keys'
      if (isImageId(name)) {
        return VISUAL;
      }
      return name.equals("captions") || name.equals("keys") ? CAPTION_DB : OTHER;
    }
    List<String> members = file.childNames(entry);
    if (members.contains("keys") || members.contains("captions")) {
      return CAPTION_DB;
    }
    // txt_ctx: one group per image id; any other group is not ours (e.g. a plain h5py file)
    return isImageId(name) ? TEXTUAL : OTHER;
  }

  /** Detects the kind and throws, naming both kinds, unless it is one of {@code accepted}. */
  public static FileKind expect(ContextReader file, Map<String, String> attributes, FileKind... accepted) {
    FileKind kind = detect(file, attributes);
    if (kind == EMPTY) {
      return kind;
    }
    for (FileKind k : accepted) {
      if (k == kind) {
        return kind;
      }
    }
    String hint = kind.reader == null ? "" : ": open it with " + kind.reader;
    throw new WrongFileKindException(
        file.file(),
        kind.description,
        accepted[0].description,
        file.file() + " is " + kind.description + ", not " + accepted[0].description + hint);
  }

  static boolean isImageId(String name) {
    if (name.isEmpty() || name.length() > 18) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
