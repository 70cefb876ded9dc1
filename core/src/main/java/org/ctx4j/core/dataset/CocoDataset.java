package org.ctx4j.core.dataset;

import com.google.common.base.Preconditions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ctx4j.DatasetException;
import org.ctx4j.DatasetFormatException;
import org.ctx4j.core.internal.dataset.CocoCaptionsReader;

/**
 * MS-COCO 2014 with its caption annotations, laid out as the original expects:
 *
 * <pre>
 * root/annotations/captions_train2014.json   images under root/train2014/
 * root/annotations/captions_val2014.json     images under root/val2014/
 * </pre>
 *
 * Either annotation file may be absent, not both. Images are all those the "images" lists name
 * (with or without captions), sorted by id; an id in both files is an error. Files are not touched
 * until {@link #requireFilesExist()} or the pipeline reads them.
 */
public final class CocoDataset implements ImageSource {
  /** The splits: annotation file and image folder, in the order the original reads them. */
  private static final String[][] SPLITS = {
    {"captions_train2014.json", "train2014"}, {"captions_val2014.json", "val2014"}
  };

  private final Path root;
  private final List<ImageRecord> images;
  private final String description;

  private CocoDataset(Path root, List<ImageRecord> images, String description) {
    this.root = root;
    this.images = images;
    this.description = description;
  }

  /**
   * Reads {@code cocoRoot/annotations/captions_{train,val}2014.json}.
   *
   * @throws DatasetException if neither annotation file exists, or an id is in both
   * @throws DatasetFormatException if an annotation file is malformed (naming line and field)
   */
  public static CocoDataset open(Path cocoRoot) {
    Preconditions.checkNotNull(cocoRoot, "cocoRoot");
    return open(cocoRoot.resolve("annotations"), cocoRoot);
  }

  /**
   * Reads {@code annotationsDir/captions_{train,val}2014.json} for images under {@code
   * imageRoot/train2014} and {@code imageRoot/val2014}.
   */
  public static CocoDataset open(Path annotationsDir, Path imageRoot) {
    Preconditions.checkNotNull(annotationsDir, "annotationsDir");
    Preconditions.checkNotNull(imageRoot, "imageRoot");
    List<ImageRecord> images = new ArrayList<>();
    Map<Long, Path> annotationFileOf = new HashMap<>();
    List<String> counts = new ArrayList<>();
    for (String[] split : SPLITS) {
      Path annotations = annotationsDir.resolve(split[0]);
      if (!Files.exists(annotations)) {
        continue;
      }
      Path imageDir = imageRoot.resolve(split[1]);
      List<CocoCaptionsReader.Entry> entries = CocoCaptionsReader.read(annotations);
      for (CocoCaptionsReader.Entry entry : entries) {
        Path earlier = annotationFileOf.putIfAbsent(entry.id(), annotations);
        if (earlier != null) {
          throw new DatasetException(
              annotations,
              "image id " + entry.id() + " is in both " + earlier + " and " + annotations);
        }
        images.add(
            new ImageRecord(entry.id(), imageFile(imageDir, entry, annotations), entry.captions()));
      }
      counts.add(entries.size() + " " + split[1]);
    }
    if (counts.isEmpty()) {
      throw new DatasetException(
          annotationsDir,
          "no COCO caption annotations in "
              + annotationsDir
              + ": expected "
              + SPLITS[0][0]
              + " and/or "
              + SPLITS[1][0]);
    }
    images.sort(Comparator.comparingLong(ImageRecord::id));
    String description =
        "COCO 2014 at "
            + imageRoot
            + " ("
            + images.size()
            + " images: "
            + String.join(", ", counts)
            + ")";
    return new CocoDataset(imageRoot, List.copyOf(images), description);
  }

  private static Path imageFile(Path imageDir, CocoCaptionsReader.Entry entry, Path annotations) {
    Path file = imageDir.resolve(entry.fileName()).normalize();
    if (entry.fileName().isEmpty() || !file.startsWith(imageDir.normalize())) {
      throw new DatasetException(
          annotations,
          "image id "
              + entry.id()
              + " has file_name \""
              + entry.fileName()
              + "\" outside "
              + imageDir
              + " in "
              + annotations);
    }
    return file;
  }

  /** The folder holding train2014/ and val2014/. */
  public Path root() {
    return root;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public List<ImageRecord> images() {
    return images;
  }

  @Override
  public String toString() {
    return description;
  }
}
