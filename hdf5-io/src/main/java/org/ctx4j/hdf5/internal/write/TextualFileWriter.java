package org.ctx4j.hdf5.internal.write;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Writes {@code txt_ctx.hdf5}, in the original layout (per image group, per crop subgroup:
 * {@code features}, {@code scores}, {@code texts}) or the compact one ({@code ids}, {@code
 * scores}). See {@code docs/hdf5-format.md}. The API's {@code TextualContextWriter} maps its
 * layout to {@link CropShape}s and checks each image's crops before handing them over.
 */
public final class TextualFileWriter implements AutoCloseable {
  public static final String FORMAT = "txt_ctx/1";
  public static final String COMPACT_FORMAT = "txt_ctx_compact/1";
  /** Provenance key the compact layout requires: the caption db path, relative to the file. */
  public static final String CAPTION_DB_KEY = "caption_db";

  /**
   * One crop group as it is laid out in the file.
   *
   * @param name the subgroup name
   * @param count the number of crops
   * @param k captions per crop
   * @param cropAxis whether the datasets carry the leading crop axis ({@code (count,k,...)})
   */
  public record CropShape(String name, int count, int k, boolean cropAxis) {
    long rows() {
      return (long) count * k;
    }
  }

  /**
   * One crop group's rows for one image: texts and features (original layout) or caption ids
   * (compact layout), and scores.
   */
  public record CropRows(String[] texts, float[] scores, float[] features, int[] captionIds) {}

  private final AppendableHdf5File file;
  private final int dim;
  private final List<CropShape> crops;
  private final boolean compact;
  private final TreeMap<String, String> provenance;

  private TextualFileWriter(
      AppendableHdf5File file,
      int dim,
      List<CropShape> crops,
      boolean compact,
      TreeMap<String, String> provenance) {
    this.file = file;
    this.dim = dim;
    this.crops = crops;
    this.compact = compact;
    this.provenance = provenance;
  }

  public static TextualFileWriter open(
      Path path,
      int dim,
      List<CropShape> crops,
      boolean compact,
      Map<String, String> provenance,
      long syncIntervalNanos) {
    checkNotNull(path, "file");
    List<CropShape> shapes = List.copyOf(crops);
    TreeMap<String, String> prov = Provenance.checked(provenance);
    checkArgument(
        !compact || prov.containsKey(CAPTION_DB_KEY),
        "the compact layout of %s needs provenance key %s (caption db path relative to the file)",
        path,
        CAPTION_DB_KEY);
    String shape =
        "dim="
            + dim
            + " crops="
            + shapes.stream()
                .map(c -> c.name() + ":" + c.count() + ":" + c.k())
                .collect(Collectors.joining(","));
    String format = compact ? COMPACT_FORMAT : FORMAT;
    String descriptor = Provenance.descriptor(format, shape, prov);
    return new TextualFileWriter(
        AppendableHdf5File.open(path, descriptor, syncIntervalNanos), dim, shapes, compact, prov);
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
  public static long estimatedBytesPerImage(
      int dim, List<CropShape> crops, boolean compact, double meanTextBytes) {
    long bytes = ObjectWriter.ESTIMATED_HEADER_BYTES + RootIndex.ESTIMATED_BYTES_PER_IMAGE;
    long strings = 0;
    for (CropShape crop : crops) {
      long rows = crop.rows();
      bytes += 4 * rows + ObjectWriter.ESTIMATED_HEADER_BYTES; // scores
      bytes += ObjectWriter.ESTIMATED_HEADER_BYTES; // the crop's group
      if (compact) {
        bytes += 4 * rows + ObjectWriter.ESTIMATED_HEADER_BYTES; // ids
      } else {
        bytes += 4 * rows * dim + ObjectWriter.ESTIMATED_HEADER_BYTES; // features
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

  /**
   * Appends one image: one {@link CropRows} per crop, in the order of the crops given to {@link
   * #open}, already checked against them by the caller (lengths, nulls, negative ids:
   * {@code TextualContextWriter.write}).
   */
  public synchronized void write(long imageId, CropRows[] inCropOrder) {
    checkArgument(
        inCropOrder.length == crops.size(),
        "image %s: %s crops given, the layout has %s",
        imageId,
        inCropOrder.length,
        crops.size());
    long strings = 0;
    for (CropShape crop : crops) {
      strings += crop.rows();
    }
    checkArgument(
        compact || strings <= GlobalHeapCollection.MAX_OBJECTS,
        "image %s: %s texts exceed the %s strings one global heap collection holds",
        imageId,
        strings,
        GlobalHeapCollection.MAX_OBJECTS);
    file.checkWritable(imageId);
    CropRows[] ordered = inCropOrder.clone();
    file.append(imageId, sink -> appendImage(sink, ordered));
  }

  /**
   * Appends one image as a run of bytes another ctx4j file of the same layout holds (see {@link
   * AppendableHdf5File#appendMoved}); the caller checked the layouts agree.
   */
  public synchronized void writeMoved(
      long imageId, long start, ByteBuffer run, int[] addressFields, long header) {
    file.checkWritable(imageId);
    file.appendMoved(imageId, start, run, addressFields, header);
  }

  private long appendImage(FileSink sink, CropRows[] rows) throws IOException {
    GlobalHeapCollection heap = null;
    int[] firstString = new int[crops.size()];
    if (!compact) {
      heap = new GlobalHeapCollection();
      for (int i = 0; i < crops.size(); i++) {
        firstString[i] = heap.count() + 1;
        for (String t : rows[i].texts()) {
          heap.add(t);
        }
      }
      heap.writeTo(sink);
    }
    String[] cropNames = new String[crops.size()];
    long[] cropAddresses = new long[crops.size()];
    for (int i = 0; i < crops.size(); i++) {
      CropShape spec = crops.get(i);
      CropRows c = rows[i];
      long[] rowDims =
          spec.cropAxis() ? new long[] {spec.count(), spec.k()} : new long[] {spec.k()};
      long scores = ObjectWriter.floatDataset(sink, rowDims, c.scores(), 0);
      cropNames[i] = spec.name();
      if (compact) {
        long ids = ObjectWriter.intDataset(sink, rowDims, c.captionIds(), 0);
        cropAddresses[i] =
            ObjectWriter.compactGroup(sink, new String[] {"ids", "scores"}, new long[] {ids, scores});
      } else {
        long[] featureDims = Arrays.copyOf(rowDims, rowDims.length + 1);
        featureDims[rowDims.length] = dim;
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
        Provenance.attributes(compact ? COMPACT_FORMAT : FORMAT, provenance);
    attributes.putLong("dim", dim);
    attributes.putString(
        "crops", crops.stream().map(CropShape::name).collect(Collectors.joining(",")));
    long[] ks = crops.stream().mapToLong(CropShape::k).toArray();
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
