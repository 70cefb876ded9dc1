package org.ctx4j.hdf5.internal.write;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.ctx4j.hdf5.CropContext;
import org.ctx4j.hdf5.CropSpec;
import org.ctx4j.hdf5.TextualLayout;

/**
 * Writes {@code txt_ctx.hdf5}, in the original layout (per image group, per crop subgroup:
 * {@code features}, {@code scores}, {@code texts}) or the compact one ({@code ids}, {@code
 * scores}). See {@code docs/hdf5-format.md}.
 */
public final class TextualFileWriter implements AutoCloseable {
  public static final String FORMAT = "txt_ctx/1";
  public static final String COMPACT_FORMAT = "txt_ctx_compact/1";
  /** Provenance key the compact layout requires: the caption db path, relative to the file. */
  public static final String CAPTION_DB_KEY = "caption_db";

  private final AppendableHdf5File file;
  private final TextualLayout layout;
  private final TreeMap<String, String> provenance;
  private final CropContext[] byLayoutOrder;

  private TextualFileWriter(
      AppendableHdf5File file, TextualLayout layout, TreeMap<String, String> provenance) {
    this.file = file;
    this.layout = layout;
    this.provenance = provenance;
    this.byLayoutOrder = new CropContext[layout.crops().size()];
  }

  public static TextualFileWriter open(
      Path path, TextualLayout layout, Map<String, String> provenance, long syncIntervalNanos) {
    checkNotNull(path, "file");
    checkNotNull(layout, "layout");
    TreeMap<String, String> prov = Provenance.checked(provenance);
    checkArgument(
        !layout.compact() || prov.containsKey(CAPTION_DB_KEY),
        "the compact layout of %s needs provenance key %s (caption db path relative to the file)",
        path,
        CAPTION_DB_KEY);
    String shape =
        "dim="
            + layout.dim()
            + " crops="
            + layout.crops().stream()
                .map(c -> c.name() + ":" + c.count() + ":" + c.k())
                .collect(Collectors.joining(","));
    String format = layout.compact() ? COMPACT_FORMAT : FORMAT;
    String descriptor = Provenance.descriptor(format, shape, prov);
    return new TextualFileWriter(
        AppendableHdf5File.open(path, descriptor, syncIntervalNanos), layout, prov);
  }

  public synchronized boolean isComplete(long imageId) {
    return file.isComplete(imageId);
  }

  public synchronized int completedCount() {
    return file.completedCount();
  }

  /**
   * Estimated bytes one image adds to the file: per crop strategy its scores and features (or
   * caption ids), its texts (references and a global heap of {@code meanTextBytes} strings), the
   * object headers, and the root index entry.
   */
  public static long estimatedBytesPerImage(TextualLayout layout, double meanTextBytes) {
    long bytes = ObjectWriter.ESTIMATED_HEADER_BYTES + RootIndex.ESTIMATED_BYTES_PER_IMAGE;
    long strings = 0;
    for (CropSpec crop : layout.crops()) {
      long rows = (long) crop.count() * crop.k();
      bytes += 4 * rows + ObjectWriter.ESTIMATED_HEADER_BYTES; // scores
      bytes += ObjectWriter.ESTIMATED_HEADER_BYTES; // the crop's group
      if (layout.compact()) {
        bytes += 4 * rows + ObjectWriter.ESTIMATED_HEADER_BYTES; // ids
      } else {
        bytes += 4 * rows * layout.dim() + ObjectWriter.ESTIMATED_HEADER_BYTES; // features
        bytes += 16 * rows + ObjectWriter.ESTIMATED_HEADER_BYTES; // text references
        strings += rows;
      }
    }
    if (strings > 0) {
      bytes += GlobalHeapCollection.estimatedSize(strings, meanTextBytes);
    }
    return bytes;
  }

  public synchronized int durableCount() {
    return file.durableCount();
  }

  public synchronized void write(long imageId, List<CropContext> crops) {
    checkArgument(imageId >= 0, "image id (%s) must be >= 0", imageId);
    checkNotNull(crops, "crops of image %s", imageId);
    validate(imageId, crops);
    file.checkWritable(imageId);
    CropContext[] ordered = byLayoutOrder.clone();
    file.append(imageId, sink -> appendImage(sink, ordered));
  }

  private void validate(long imageId, List<CropContext> crops) {
    List<CropSpec> specs = layout.crops();
    Arrays.fill(byLayoutOrder, null);
    for (CropContext c : crops) {
      checkNotNull(c, "null crop for image %s", imageId);
      int at = indexOf(c.crop());
      checkArgument(
          at >= 0,
          "image %s: crop %s is not in the layout of %s (%s)",
          imageId,
          c.crop(),
          file.file(),
          specs);
      checkArgument(
          byLayoutOrder[at] == null, "image %s: crop %s given twice", imageId, c.crop());
      byLayoutOrder[at] = c;
      CropSpec spec = specs.get(at);
      checkArgument(
          c.count() == spec.count() && c.k() == spec.k(),
          "image %s crop %s: count %s, k %s, but the layout of %s has count %s, k %s",
          imageId,
          c.crop(),
          c.count(),
          c.k(),
          file.file(),
          spec.count(),
          spec.k());
      int rows = spec.count() * spec.k();
      checkLength(imageId, c, "scores", c.scores().length, rows);
      if (layout.compact()) {
        checkArgument(
            c.captionIds() != null,
            "image %s crop %s: the compact layout of %s needs captionIds",
            imageId,
            c.crop(),
            file.file());
        checkLength(imageId, c, "captionIds", c.captionIds().length, rows);
        for (int i = 0; i < rows; i++) {
          checkArgument(
              c.captionIds()[i] >= 0,
              "image %s crop %s: captionIds[%s] (%s) is negative",
              imageId,
              c.crop(),
              i,
              c.captionIds()[i]);
        }
      } else {
        checkArgument(
            c.texts() != null && c.features() != null,
            "image %s crop %s: the original layout of %s needs texts and features",
            imageId,
            c.crop(),
            file.file());
        checkLength(imageId, c, "texts", c.texts().length, rows);
        checkLength(imageId, c, "features", c.features().length, (long) rows * layout.dim());
        for (int i = 0; i < rows; i++) {
          checkArgument(
              c.texts()[i] != null, "image %s crop %s: texts[%s] is null", imageId, c.crop(), i);
        }
      }
    }
    long strings = 0;
    for (CropSpec spec : specs) {
      strings += (long) spec.count() * spec.k();
    }
    checkArgument(
        layout.compact() || strings <= GlobalHeapCollection.MAX_OBJECTS,
        "image %s: %s texts exceed the %s strings one global heap collection holds",
        imageId,
        strings,
        GlobalHeapCollection.MAX_OBJECTS);
    for (int i = 0; i < specs.size(); i++) {
      checkArgument(
          byLayoutOrder[i] != null,
          "image %s: crop %s of the layout is missing",
          imageId,
          specs.get(i).name());
    }
  }

  private static void checkLength(long imageId, CropContext c, String field, long actual, long want) {
    checkArgument(
        actual == want,
        "image %s crop %s: %s has length %s, expected %s (count %s x k %s%s)",
        imageId,
        c.crop(),
        field,
        actual,
        want,
        c.count(),
        c.k(),
        field.equals("features") ? " x dim" : "");
  }

  private int indexOf(String crop) {
    List<CropSpec> specs = layout.crops();
    for (int i = 0; i < specs.size(); i++) {
      if (specs.get(i).name().equals(crop)) {
        return i;
      }
    }
    return -1;
  }

  private long appendImage(FileSink sink, CropContext[] crops) throws IOException {
    List<CropSpec> specs = layout.crops();
    GlobalHeapCollection heap = null;
    int[] firstString = new int[specs.size()];
    if (!layout.compact()) {
      heap = new GlobalHeapCollection();
      for (int i = 0; i < specs.size(); i++) {
        firstString[i] = heap.count() + 1;
        for (String t : crops[i].texts()) {
          heap.add(t);
        }
      }
      heap.writeTo(sink);
    }
    String[] cropNames = new String[specs.size()];
    long[] cropAddresses = new long[specs.size()];
    for (int i = 0; i < specs.size(); i++) {
      CropSpec spec = specs.get(i);
      CropContext c = crops[i];
      long[] rowDims =
          spec.hasCropAxis() ? new long[] {spec.count(), spec.k()} : new long[] {spec.k()};
      long scores = ObjectWriter.floatDataset(sink, rowDims, c.scores(), 0);
      cropNames[i] = spec.name();
      if (layout.compact()) {
        long ids = ObjectWriter.intDataset(sink, rowDims, c.captionIds(), 0);
        cropAddresses[i] =
            ObjectWriter.compactGroup(sink, new String[] {"ids", "scores"}, new long[] {ids, scores});
      } else {
        long[] featureDims = Arrays.copyOf(rowDims, rowDims.length + 1);
        featureDims[rowDims.length] = layout.dim();
        long features = ObjectWriter.floatDataset(sink, featureDims, c.features(), 0);
        long texts = ObjectWriter.stringDataset(sink, rowDims, heap, firstString[i]);
        cropAddresses[i] =
            ObjectWriter.compactGroup(
                sink,
                new String[] {"features", "scores", "texts"},
                new long[] {features, scores, texts});
      }
    }
    return ObjectWriter.compactGroup(sink, cropNames, cropAddresses);
  }

  @Override
  public synchronized void close() {
    if (file.isClosed()) {
      return;
    }
    RootAttributes attributes =
        Provenance.attributes(layout.compact() ? COMPACT_FORMAT : FORMAT, provenance);
    attributes.putLong("dim", layout.dim());
    attributes.putString(
        "crops", layout.crops().stream().map(CropSpec::name).collect(Collectors.joining(",")));
    long[] ks = layout.crops().stream().mapToLong(CropSpec::k).toArray();
    if (Arrays.stream(ks).distinct().count() == 1) {
      attributes.putLong("k", ks[0]);
    } else {
      attributes.putLongs("k", ks);
    }
    file.finish(attributes);
  }

  /** Stops without finalising, leaving the partial file for a later resume. */
  public synchronized void abandon() {
    file.abandon();
  }
}
