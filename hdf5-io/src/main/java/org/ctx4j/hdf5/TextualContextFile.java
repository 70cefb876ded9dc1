package org.ctx4j.hdf5;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.base.Suppliers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.ctx4j.ContextQueryException;
import org.ctx4j.Hdf5FileException;
import org.ctx4j.Hdf5FormatException;
import org.ctx4j.UnknownImageException;
import org.ctx4j.hdf5.internal.read.ContextReader.Entry;
import org.ctx4j.hdf5.internal.read.ContextReader;
import org.ctx4j.hdf5.internal.read.FileKind;
import org.ctx4j.hdf5.internal.read.ImageBlock;
import org.ctx4j.hdf5.internal.read.ImageIds;

/**
 * Reads a textual context file ({@code txt_ctx.hdf5}): per image id a group with one subgroup per
 * crop ({@code whole}, {@code five}, {@code nine}) holding {@code features}, {@code scores} and
 * {@code texts}, as the original Xmodal-Ctx code writes them with h5py; or the compact layout
 * ({@code txt_ctx_compact/1}: {@code ids} into a caption db instead of texts and features), whose
 * texts and features are resolved through the caption db transparently.
 *
 * <p>Opening reads the superblock, root attributes and the first image's crop shapes, never the
 * whole file. A {@link #topK} reads about twenty small pieces of the file (no index of the root
 * group is built). Thread-safe. Owns open files (and the caption db of a compact file): close it.
 */
public final class TextualContextFile implements AutoCloseable {
  /** Root attribute of compact files: the caption db path, relative to the file's directory. */
  public static final String CAPTION_DB_ATTRIBUTE = "caption_db";
  /** Root attribute of compact files: the caption db's caption count, checked at open. */
  public static final String CAPTION_DB_SIZE_ATTRIBUTE = "caption_db_size";

  private static final List<String> CANONICAL_ORDER = List.of("whole", "five", "nine");

  private final ContextReader reader;
  private final Map<String, String> attributes;
  private final boolean compact;
  private final CaptionDbFile captionDb;
  private final List<CropSpec> crops;
  private final int dim;
  private final Supplier<long[]> ids;

  private TextualContextFile(ContextReader reader, Path captionDbOverride) {
    this.reader = reader;
    this.attributes = Map.copyOf(reader.rootAttributes());
    FileKind kind = FileKind.expect(reader, attributes, FileKind.TEXTUAL, FileKind.TEXTUAL_COMPACT);
    this.compact = kind == FileKind.TEXTUAL_COMPACT;
    Entry firstImage = reader.firstRootEntry();
    this.crops = firstImage == null ? List.of() : readCrops(firstImage);
    this.captionDb = compact ? openCaptionDb(captionDbOverride) : null;
    try {
      this.dim = compact ? captionDb.featureDim() : readFeatureDim(firstImage);
    } catch (RuntimeException e) {
      if (captionDb != null) {
        captionDb.close();
      }
      throw e;
    }
    this.ids = Suppliers.memoize(() -> ImageIds.of(reader));
  }

  /**
   * Opens a textual context file; for a compact file, the caption db named by its root attribute
   * {@value #CAPTION_DB_ATTRIBUTE} (relative to the file's directory) is opened too.
   *
   * @throws Hdf5FormatException if the file is empty, truncated, not HDF5, or another kind of
   *     context file, or a compact file's caption db is missing or does not match
   */
  public static TextualContextFile open(Path file) {
    return open(file, null);
  }

  /**
   * Opens a textual context file, resolving a compact file's captions through {@code captionDb}
   * (ignored for the original layout; null: the one its root attribute names).
   */
  public static TextualContextFile open(Path file, Path captionDb) {
    checkNotNull(file, "file");
    ContextReader reader = ContextReader.open(file);
    try {
      return new TextualContextFile(reader, captionDb);
    } catch (RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  public Path file() {
    return reader.file();
  }

  /** Whether this is the compact layout (texts and features resolved through a caption db). */
  public boolean isCompact() {
    return compact;
  }

  /** The file's layout: {@link #dim()}, {@link #crops()} and {@link #isCompact()} together. */
  public TextualLayout layout() {
    return new TextualLayout(dim, crops, compact);
  }

  /** The text feature width d (0 for a file without images). */
  public int dim() {
    return dim;
  }

  /** The crop groups stored per image with their crop count and stored k, as in the first image. */
  public List<CropSpec> crops() {
    return crops;
  }

  /** All image ids in ascending order; the first call reads the root group's index once. */
  public long[] ids() {
    return ids.get().clone();
  }

  /** Root attributes (provenance), values as text. */
  public Map<String, String> attributes() {
    return attributes;
  }

  /** The crop spec called {@code crop}, or a ContextQueryException listing the valid names. */
  public CropSpec crop(String crop) {
    checkNotNull(crop, "crop");
    for (CropSpec c : crops) {
      if (c.name().equals(crop)) {
        return c;
      }
    }
    throw new ContextQueryException(
        file(),
        null,
        "crop",
        crop,
        "unknown crop '" + crop + "' in " + file() + ": valid crops are "
            + crops.stream().map(CropSpec::name).collect(Collectors.joining(", ")));
  }

  /**
   * The top {@code k} captions retrieved for crop {@code cropIndex} of {@code crop} of an image:
   * what {@code f[f"{id}/{crop}/texts"][cropIndex, :k]} (and {@code scores}, {@code features})
   * returns in h5py ({@code whole} has no crop axis: its only index is 0).
   *
   * @throws UnknownImageException if the file has no such image
   * @throws ContextQueryException if the crop is unknown, {@code cropIndex} is outside {@code [0,
   *     count)} or {@code k} outside {@code [1, stored k]}
   */
  public CropResult topK(long imageId, String crop, int cropIndex, int k) {
    CropSpec spec = crop(crop);
    String cropPath = "/" + imageId + "/" + crop;
    if (cropIndex < 0 || cropIndex >= spec.count()) {
      throw new ContextQueryException(
          file(), cropPath, "cropIndex", cropIndex,
          "crop index (" + cropIndex + ") of crop '" + crop + "' must be in [0, " + (spec.count() - 1) + "] in " + file());
    }
    if (k < 1 || k > spec.k()) {
      throw new ContextQueryException(
          file(), cropPath, "k", k,
          (k < 1 ? "k (" + k + ") < 1" : "k (" + k + ") > stored k (" + spec.k() + ")") + " of crop '" + crop + "' in " + file());
    }
    Entry group = cropGroup(image(imageId), imageId, crop);
    Entry scoresEntry = dataset(group, "scores");
    int storedK = storedK(scoresEntry, spec, cropPath);
    if (k > storedK) {
      throw new ContextQueryException(
          file(), cropPath, "k", k, "k (" + k + ") > stored k (" + storedK + ") at " + cropPath + " in " + file());
    }
    long first = (long) cropIndex * storedK;
    float[] scores = reader.floats(scoresEntry, first, k);
    if (compact) {
      Entry idsEntry = dataset(group, "ids");
      checkShape(idsEntry, reader.dims(scoresEntry));
      int[] rows = reader.ints(idsEntry, first, k);
      List<String> captions = captionDb.captions();
      List<String> texts = new ArrayList<>(k);
      float[][] features = new float[k][];
      for (int i = 0; i < k; i++) {
        if (rows[i] < 0 || rows[i] >= captions.size()) {
          throw new Hdf5FormatException(
              file(), idsEntry.path(), "caption id " + rows[i] + " at " + idsEntry.path() + " in " + file()
                  + " is outside the caption db " + captionDb.file() + " (" + captions.size() + " captions)");
        }
        texts.add(captions.get(rows[i]));
        features[i] = captionDb.features(rows[i]);
      }
      return new CropResult(texts, scores, features);
    }
    Entry textsEntry = dataset(group, "texts");
    Entry featuresEntry = dataset(group, "features");
    checkShape(textsEntry, reader.dims(scoresEntry));
    long[] fdims = reader.dims(featuresEntry);
    if (fdims.length == 0 || fdims[fdims.length - 1] != dim) {
      throw new Hdf5FormatException(
          file(), featuresEntry.path(), featuresEntry.path() + " in " + file() + " has shape " + Arrays.toString(fdims) + ", expected feature width " + dim);
    }
    checkShape(featuresEntry, append(reader.dims(scoresEntry), dim));
    String[] texts = reader.strings(textsEntry, first, k);
    float[] flat = reader.floats(featuresEntry, first * dim, Math.multiplyExact(k, dim));
    float[][] features = new float[k][];
    for (int i = 0; i < k; i++) {
      features[i] = Arrays.copyOfRange(flat, i * dim, (i + 1) * dim);
    }
    return new CropResult(Arrays.asList(texts), scores, features);
  }

  /**
   * Every crop of an image whole, as stored (compact files: the caption ids, not the captions),
   * for copying it into another file.
   */
  List<CropContext> storedContexts(long imageId) {
    Entry image = image(imageId);
    List<CropContext> out = new ArrayList<>(crops.size());
    for (CropSpec spec : crops) {
      String cropPath = "/" + imageId + "/" + spec.name();
      Entry group = cropGroup(image, imageId, spec.name());
      Entry scoresEntry = dataset(group, "scores");
      int k = storedK(scoresEntry, spec, cropPath);
      int rows = Math.multiplyExact(spec.count(), k);
      float[] scores = reader.floats(scoresEntry, 0, rows);
      if (compact) {
        Entry idsEntry = dataset(group, "ids");
        checkShape(idsEntry, reader.dims(scoresEntry));
        int[] ids = reader.ints(idsEntry, 0, rows);
        out.add(CropContext.compact(spec.name(), spec.count(), k, ids, scores));
      } else {
        Entry textsEntry = dataset(group, "texts");
        Entry featuresEntry = dataset(group, "features");
        checkShape(textsEntry, reader.dims(scoresEntry));
        checkShape(featuresEntry, append(reader.dims(scoresEntry), dim));
        String[] texts = reader.strings(textsEntry, 0, rows);
        float[] features = reader.floats(featuresEntry, 0, Math.multiplyExact(rows, dim));
        out.add(CropContext.of(spec.name(), spec.count(), k, texts, scores, features));
      }
    }
    return out;
  }

  /**
   * The image's objects as one relocatable run of bytes, or null when the file has no such image
   * or they are not laid out as ctx4j writes them.
   */
  ImageBlock imageBlock(long imageId) {
    return reader.imageBlock(imageId);
  }

  private Entry image(long imageId) {
    Entry image = reader.child(reader.root(), Long.toString(imageId));
    if (image == null) {
      throw new UnknownImageException(file(), imageId);
    }
    return image;
  }

  private Entry cropGroup(Entry image, long imageId, String crop) {
    String cropPath = "/" + imageId + "/" + crop;
    Entry group = reader.isGroup(image) ? reader.child(image, crop) : null;
    if (group == null || !reader.isGroup(group)) {
      throw new Hdf5FormatException(
          file(), cropPath,
          "image " + imageId + " in " + file() + " has no crop group " + cropPath);
    }
    return group;
  }

  private int storedK(Entry scores, CropSpec spec, String cropPath) {
    long[] dims = reader.dims(scores);
    boolean axis = spec.hasCropAxis();
    if (dims.length != (axis ? 2 : 1) || (axis && dims[0] != spec.count())) {
      throw new Hdf5FormatException(
          file(), scores.path(), scores.path() + " in " + file() + " has shape " + Arrays.toString(dims)
              + ", expected " + (axis ? "(" + spec.count() + ", k)" : "(k,)"));
    }
    return Math.toIntExact(dims[dims.length - 1]);
  }

  private void checkShape(Entry dataset, long[] expected) {
    long[] dims = reader.dims(dataset);
    if (!Arrays.equals(dims, expected)) {
      throw new Hdf5FormatException(
          file(), dataset.path(), dataset.path() + " in " + file() + " has shape " + Arrays.toString(dims) + ", expected " + Arrays.toString(expected));
    }
  }

  private static long[] append(long[] dims, long last) {
    long[] out = Arrays.copyOf(dims, dims.length + 1);
    out[dims.length] = last;
    return out;
  }

  private Entry dataset(Entry group, String name) {
    Entry e = reader.child(group, name);
    if (e == null || reader.isGroup(e)) {
      throw new Hdf5FormatException(
          file(), group.path(), group.path() + " in " + file() + " has no dataset '" + name + "'");
    }
    return e;
  }

  private List<CropSpec> readCrops(Entry image) {
    List<CropSpec> out = new ArrayList<>();
    for (String name : reader.childNames(image)) {
      Entry group = reader.child(image, name);
      if (!reader.isGroup(group)) {
        continue;
      }
      long[] dims = reader.dims(dataset(group, "scores"));
      boolean axis = !name.equals(CropSpec.WHOLE);
      if (dims.length != (axis ? 2 : 1) || dims[dims.length - 1] < 1 || (axis && dims[0] < 1)) {
        throw new Hdf5FormatException(
            file(), group.path() + "/scores", group.path() + "/scores in " + file() + " has shape " + Arrays.toString(dims)
                + ", expected " + (axis ? "(crops, k)" : "(k,)"));
      }
      out.add(new CropSpec(name, axis ? Math.toIntExact(dims[0]) : 1, Math.toIntExact(dims[dims.length - 1])));
    }
    out.sort(Comparator.comparingInt((CropSpec c) -> {
      int i = CANONICAL_ORDER.indexOf(c.name());
      return i < 0 ? CANONICAL_ORDER.size() : i;
    }).thenComparing(CropSpec::name));
    return List.copyOf(out);
  }

  private int readFeatureDim(Entry firstImage) {
    if (crops.isEmpty()) {
      return 0;
    }
    Entry group = reader.child(firstImage, crops.get(0).name());
    long[] dims = reader.dims(dataset(group, "features"));
    if (dims.length == 0) {
      throw new Hdf5FormatException(file(), group.path() + "/features", group.path() + "/features in " + file() + " is a scalar");
    }
    return Math.toIntExact(dims[dims.length - 1]);
  }

  private CaptionDbFile openCaptionDb(Path override) {
    Path db = override;
    if (db == null) {
      String name = attributes.get(CAPTION_DB_ATTRIBUTE);
      if (name == null) {
        throw new Hdf5FormatException(
            file(), "/", "compact textual context " + file() + " has no root attribute " + CAPTION_DB_ATTRIBUTE
                + " naming its caption db: pass the caption db to open(file, captionDb)");
      }
      Path dir = file().toAbsolutePath().getParent();
      db = dir == null ? Path.of(name) : dir.resolve(name);
    }
    if (!Files.isRegularFile(db)) {
      throw new Hdf5FileException(
          file(), "/", "caption db " + db + " of compact textual context " + file() + " does not exist");
    }
    CaptionDbFile opened = CaptionDbFile.open(db);
    String expectedSize = attributes.get(CAPTION_DB_SIZE_ATTRIBUTE);
    if (expectedSize != null && !expectedSize.trim().equals(Integer.toString(opened.size()))) {
      opened.close();
      throw new Hdf5FormatException(
          file(), "/", "caption db " + db + " has " + opened.size() + " captions but " + file()
              + " was built against one with " + expectedSize.trim());
    }
    return opened;
  }

  @Override
  public void close() {
    try {
      reader.close();
    } finally {
      if (captionDb != null) {
        captionDb.close();
      }
    }
  }
}
