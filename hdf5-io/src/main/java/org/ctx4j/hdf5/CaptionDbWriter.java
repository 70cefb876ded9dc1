package org.ctx4j.hdf5;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ctx4j.Hdf5WriteException;
import org.ctx4j.IncompatibleContextFileException;
import org.ctx4j.hdf5.internal.write.CaptionDbFileWriter;

/**
 * Writes a caption database ({@code caption_db.hdf5}, ctx4j layout): root datasets {@code
 * captions} (N,) variable-length UTF-8 strings (stored as the original stored them), {@code keys}
 * float32 (N, keyDim) and {@code features} float32 (N, featureDim), uncompressed and contiguous so
 * retrieval can memory-map {@code keys}; root attributes {@code ctx4j_format = "caption_db/1"},
 * {@code size}, {@code key_dim}, {@code feature_dim} and the provenance.
 *
 * <p>Batches are appended in row order. The file appears (atomically renamed from {@code
 * <file>.partial}) only when {@link #close} finds all {@code size} rows written; there is no
 * resume. Methods are synchronised.
 */
public final class CaptionDbWriter implements AutoCloseable {
  private final CaptionDbFileWriter delegate;

  private CaptionDbWriter(CaptionDbFileWriter delegate) {
    this.delegate = delegate;
  }

  /**
   * Starts {@code file} for exactly {@code size} captions.
   *
   * @throws IncompatibleContextFileException if {@code file} exists
   */
  public static CaptionDbWriter create(
      Path file, int size, int keyDim, int featureDim, Map<String, String> provenance) {
    return new CaptionDbWriter(CaptionDbFileWriter.create(file, size, keyDim, featureDim, provenance));
  }

  /**
   * Starts {@code file} for exactly {@code size} captions in the original Xmodal-Ctx layout, which
   * its {@code retrieve_captions.py} reads: root groups {@code "0"}, {@code "1"}, ... of 512 rows
   * each with {@code keys}, {@code features} and {@code captions}. ctx4j reads it too, but keeps
   * its keys on the heap instead of memory-mapping them.
   *
   * @throws IncompatibleContextFileException if {@code file} exists
   */
  public static CaptionDbWriter createOriginalLayout(
      Path file, int size, int keyDim, int featureDim, Map<String, String> provenance) {
    return new CaptionDbWriter(
        CaptionDbFileWriter.createOriginalLayout(file, size, keyDim, featureDim, provenance));
  }

  /**
   * Appends the next {@code captions.size()} rows; {@code keys} and {@code features} are row-major.
   *
   * @throws IllegalArgumentException on wrong lengths, null captions, or more rows than declared
   */
  public void append(List<String> captions, float[] keys, float[] features) {
    delegate.append(captions, keys, features);
  }

  /** Rows appended so far. */
  public int appended() {
    return delegate.appended();
  }

  /**
   * Finalises the file.
   *
   * @throws Hdf5WriteException if fewer than {@code size} rows were appended (nothing is kept)
   */
  @Override
  public void close() {
    delegate.close();
  }
}
