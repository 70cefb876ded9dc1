package org.ctx4j.hdf5;

import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ctx4j.Hdf5FileException;

/**
 * Turns a compact textual context (caption ids + scores, resolved through a caption db) into the
 * original Xmodal-Ctx layout (texts, scores, features per crop) that the Python trainer reads with
 * h5py. The export streams image by image and is resumable like any {@link TextualContextWriter}:
 * rerunning an interrupted export continues where it stopped.
 */
public final class CompactExport {
  /** Attributes the writer sets itself, or that only make sense for the compact layout. */
  private static final Set<String> NOT_CARRIED_OVER =
      Set.of(
          "ctx4j_format",
          "ctx4j_version",
          "fdim",
          "dim",
          "k",
          "crops",
          TextualContextFile.CAPTION_DB_ATTRIBUTE,
          TextualContextFile.CAPTION_DB_SIZE_ATTRIBUTE,
          "caption_db_checksum");

  private CompactExport() {}

  /**
   * Writes {@code target} in the original layout from the compact file {@code compact}, whose
   * caption db is found through its {@code caption_db} attribute.
   *
   * @return the number of images written by this call (0 if {@code target} was already complete)
   * @throws Hdf5FileException if {@code compact} is not a compact textual context
   */
  public static int toOriginalLayout(Path compact, Path target) {
    checkNotNull(compact, "compact");
    try (TextualContextFile in = TextualContextFile.open(compact)) {
      return copy(in, target);
    }
  }

  /** As {@link #toOriginalLayout(Path, Path)}, with the caption db given explicitly. */
  public static int toOriginalLayout(Path compact, Path captionDb, Path target) {
    checkNotNull(compact, "compact");
    try (TextualContextFile in = TextualContextFile.open(compact, captionDb)) {
      return copy(in, target);
    }
  }

  private static int copy(TextualContextFile in, Path target) {
    checkNotNull(target, "target");
    if (!in.isCompact()) {
      throw new Hdf5FileException(
          in.file(), "/", in.file() + " is already in the original layout: nothing to export");
    }
    Map<String, String> provenance = new LinkedHashMap<>();
    in.attributes().forEach((key, value) -> {
      if (!NOT_CARRIED_OVER.contains(key)) {
        provenance.put(key, value);
      }
    });
    provenance.put("exported_from", in.file().getFileName().toString());
    TextualLayout layout = new TextualLayout(in.dim(), in.crops(), false);
    int written = 0;
    TextualContextWriter out = TextualContextWriter.open(target, layout, provenance);
    try {
      for (long id : in.ids()) {
        if (!out.isComplete(id)) {
          out.write(id, expand(in, id, layout));
          written++;
        }
      }
    } catch (RuntimeException | Error e) {
      out.abandon(); // keep what was exported for a rerun to resume
      throw e;
    }
    out.close();
    return written;
  }

  private static List<CropContext> expand(TextualContextFile in, long id, TextualLayout layout) {
    List<CropContext> crops = new ArrayList<>(layout.crops().size());
    int dim = layout.dim();
    for (CropSpec spec : layout.crops()) {
      int n = spec.count() * spec.k();
      String[] texts = new String[n];
      float[] scores = new float[n];
      float[] features = new float[n * dim];
      for (int c = 0; c < spec.count(); c++) {
        CropResult r = in.topK(id, spec.name(), c, spec.k());
        for (int j = 0; j < spec.k(); j++) {
          int row = c * spec.k() + j;
          texts[row] = r.texts().get(j);
          scores[row] = r.scores()[j];
          System.arraycopy(r.features()[j], 0, features, row * dim, dim);
        }
      }
      crops.add(CropContext.of(spec.name(), spec.count(), spec.k(), texts, scores, features));
    }
    return crops;
  }
}
