package org.ctx4j.core.dataset;

import com.google.common.base.Preconditions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.ctx4j.DatasetException;
import org.ctx4j.DatasetFormatException;
import org.ctx4j.core.internal.dataset.ImageIdMappingFile;

/**
 * The images of one folder (not its subfolders), without captions.
 *
 * <p>{@link #of(Path)} takes each image's id from its file name: the <em>last run of decimal
 * digits</em> in the name without extension, leading zeros ignored, so {@code
 * COCO_val2014_000000531912.jpg} is image 531912 and {@code img_2014_07.png} is image 7. Image
 * files are those ending in .jpg, .jpeg, .png, .bmp, .gif or .webp (any case; .webp needs an
 * ImageIO plugin to decode); other files and hidden files are ignored. For other names give the
 * mapping yourself: {@link #of(Path, Map)} or {@link #fromMappingFile}.
 */
public final class ImageFolderSource implements ImageSource {
  private static final Set<String> IMAGE_EXTENSIONS =
      Set.of("jpg", "jpeg", "png", "bmp", "gif", "webp");
  private static final int NAMED_IN_MESSAGE = 5;

  private final List<ImageRecord> images;
  private final String description;

  private ImageFolderSource(List<ImageRecord> images, String description) {
    this.images = images;
    this.description = description;
  }

  /**
   * The image files of {@code dir}, ids from their names.
   *
   * @throws DatasetException if the folder is absent, holds no images, a name has no digits or two
   *     names give the same id (naming the files)
   */
  public static ImageFolderSource of(Path dir) {
    Preconditions.checkNotNull(dir, "dir");
    List<Path> files = imageFiles(dir);
    TreeMap<Long, Path> byId = new TreeMap<>();
    List<String> withoutId = new ArrayList<>();
    for (Path file : files) {
      String name = file.getFileName().toString();
      String digits = lastDigitRun(name.substring(0, name.lastIndexOf('.')));
      if (digits.isEmpty()) {
        withoutId.add(name);
        continue;
      }
      long id = parseId(dir, name, digits);
      Path other = byId.putIfAbsent(id, file);
      if (other != null) {
        throw new DatasetException(
            dir,
            "image id " + id + " from both " + other.getFileName() + " and " + name + " in " + dir);
      }
    }
    if (!withoutId.isEmpty()) {
      throw new DatasetException(
          dir,
          withoutId.size()
              + " image files in "
              + dir
              + " have no digits to take an id from: "
              + firstFew(withoutId)
              + "; rename them or give ids with ImageFolderSource.of(dir, idToFile) or"
              + " fromMappingFile");
    }
    return new ImageFolderSource(records(byId), describe(dir, byId.size()));
  }

  /**
   * The given images; relative paths are resolved against {@code dir}.
   *
   * @throws IllegalArgumentException if the map is empty or holds a null
   */
  public static ImageFolderSource of(Path dir, Map<Long, Path> idToFile) {
    Preconditions.checkNotNull(dir, "dir");
    Preconditions.checkNotNull(idToFile, "idToFile");
    Preconditions.checkArgument(!idToFile.isEmpty(), "idToFile is empty: no images in %s", dir);
    TreeMap<Long, Path> byId = new TreeMap<>();
    idToFile.forEach(
        (id, file) -> {
          Preconditions.checkArgument(id != null && file != null, "null id or file in idToFile");
          byId.put(id, dir.resolve(file));
        });
    return new ImageFolderSource(records(byId), describe(dir, byId.size()));
  }

  /**
   * The images listed in a mapping file, paths relative to {@code dir}: a {@code .json} object
   * {@code {"531912": "a.jpg", ...}}, or a {@code .csv} with lines {@code id,path} (an optional
   * header line, blank lines ignored, everything after the first comma is the path).
   *
   * @throws DatasetFormatException naming the line of a bad entry
   */
  public static ImageFolderSource fromMappingFile(Path dir, Path mappingFile) {
    Preconditions.checkNotNull(dir, "dir");
    Preconditions.checkNotNull(mappingFile, "mappingFile");
    Map<Long, String> mapping = ImageIdMappingFile.read(mappingFile);
    if (mapping.isEmpty()) {
      throw new DatasetException(mappingFile, "no images listed in " + mappingFile);
    }
    TreeMap<Long, Path> byId = new TreeMap<>();
    mapping.forEach((id, file) -> byId.put(id, dir.resolve(file)));
    return new ImageFolderSource(
        records(byId), describe(dir, byId.size()) + " mapped by " + mappingFile.getFileName());
  }

  private static List<Path> imageFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new DatasetException(dir, "no such image folder: " + dir);
    }
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files =
          listing
              .filter(ImageFolderSource::isImageFile)
              .filter(Files::isRegularFile)
              .sorted()
              .collect(Collectors.toList());
    } catch (IOException e) {
      throw new DatasetException(dir, "cannot list " + dir + ": " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new DatasetException(
          dir, "no image files (" + String.join(", ", IMAGE_EXTENSIONS) + ") in " + dir);
    }
    return files;
  }

  private static boolean isImageFile(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return !name.startsWith(".")
        && dot > 0
        && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /** The last run of ASCII digits in {@code stem}, or "" if none. */
  static String lastDigitRun(String stem) {
    int end = stem.length();
    while (end > 0 && !isAsciiDigit(stem.charAt(end - 1))) {
      end--;
    }
    int start = end;
    while (start > 0 && isAsciiDigit(stem.charAt(start - 1))) {
      start--;
    }
    return stem.substring(start, end);
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static long parseId(Path dir, String name, String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new DatasetException(
          dir,
          "image id " + digits + " from " + name + " in " + dir + " is too large for a long",
          e);
    }
  }

  private static List<ImageRecord> records(TreeMap<Long, Path> byId) {
    List<ImageRecord> records = new ArrayList<>(byId.size());
    byId.forEach((id, file) -> records.add(new ImageRecord(id, file, List.of())));
    return List.copyOf(records);
  }

  private static String describe(Path dir, int count) {
    return "image folder " + dir + " (" + count + " images)";
  }

  private static String firstFew(List<String> names) {
    return names.stream().limit(NAMED_IN_MESSAGE).collect(Collectors.joining(", "))
        + (names.size() > NAMED_IN_MESSAGE ? ", ..." : "");
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
