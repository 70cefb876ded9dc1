package org.ctx4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ctx4j.Ctx4jException;
import org.ctx4j.core.TextualContext;
import org.ctx4j.core.TopKTexts;
import org.ctx4j.core.VisualContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ctx4j inspect}: one image's context, as the seed README's h5py snippets show it. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = "Prints an image's visual and textual context: shapes, top texts and scores.")
final class InspectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Directory with vis_ctx.hdf5 / txt_ctx.hdf5.")
  Path dir;

  @Option(names = "--id", description = "Image id (default: the first one).")
  Long imageId;

  @Option(names = "--crop", defaultValue = "five", description = "Crop group to list texts of (default: ${DEFAULT-VALUE}).")
  String crop;

  @Option(names = "--index", defaultValue = "2", description = "Crop index within the group (default: ${DEFAULT-VALUE}).")
  int cropIndex;

  @Option(names = {"-k", "--top-k"}, defaultValue = "4", description = "Texts to list (default: ${DEFAULT-VALUE}).")
  int topK;

  @Override
  public Integer call() {
    inspect(dir, imageId, crop, cropIndex, topK, spec.commandLine().getOut());
    return 0;
  }

  static void inspect(Path dir, Long imageId, String crop, int cropIndex, int topK, PrintWriter out) {
    Path vis = dir.resolve("vis_ctx.hdf5");
    Path txt = dir.resolve("txt_ctx.hdf5");
    if (!Files.exists(vis) && !Files.exists(txt)) {
      throw new Ctx4jException("neither vis_ctx.hdf5 nor txt_ctx.hdf5 in " + dir);
    }
    Long id = imageId;
    if (Files.exists(vis)) {
      try (VisualContext f = VisualContext.open(vis)) {
        long[] ids = f.ids();
        if (id == null) {
          id = firstId(ids, vis);
        }
        float[] feature = f.features(id);
        out.printf(Locale.ROOT, "%s: %d images, fdim %d%n", vis, ids.length, f.dim());
        out.printf(
            Locale.ROOT,
            "  f[\"%d\"][:]  shape (%d,) float32  %s%n",
            id,
            feature.length,
            head(feature));
      }
    }
    if (Files.exists(txt)) {
      try (TextualContext f = TextualContext.open(txt)) {
        long[] ids = f.ids();
        if (id == null) {
          id = firstId(ids, txt);
        }
        // The same checks as the Java API, before printing anything of this file: --crop,
        // --index and -k out of range are one-line errors naming the value and the range.
        TextualContext.StoredCrop spec = f.crop(crop);
        TopKTexts r = f.topK(id, spec.name(), cropIndex, topK);
        out.printf(
            Locale.ROOT,
            "%s: %d images, d %d%s%n",
            txt,
            ids.length,
            f.dim(),
            f.isCompact() ? ", compact layout" : "");
        for (TextualContext.StoredCrop c : f.crops()) {
          boolean axis = !c.name().equals("whole"); // whole has no crop axis
          String rows = axis ? "(" + c.count() + ", " + c.k() + ")" : "(" + c.k() + ",)";
          String features =
              axis
                  ? "(" + c.count() + ", " + c.k() + ", " + f.dim() + ")"
                  : "(" + c.k() + ", " + f.dim() + ")";
          out.printf(
              Locale.ROOT,
              "  %d/%s: features %s, scores %s, texts %s%n",
              id, c.name(), features, rows, rows);
        }
        boolean axis = !spec.name().equals("whole");
        out.printf(
            Locale.ROOT,
            "  top %d of %s crop %d (f[\"%d/%s/texts\"]%s[:%d]):%n",
            topK, spec.name(), cropIndex, id, spec.name(), axis ? "[" + cropIndex + "]" : "", topK);
        for (int j = 0; j < topK; j++) {
          out.printf(Locale.ROOT, "    %.4f  %s%n", r.scores()[j], r.texts().get(j));
        }
      }
    }
    out.flush();
  }

  private static long firstId(long[] ids, Path file) {
    if (ids.length == 0) {
      throw new Ctx4jException("no images in " + file);
    }
    return Arrays.stream(ids).min().getAsLong();
  }

  private static String head(float[] v) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < Math.min(4, v.length); i++) {
      sb.append(String.format(Locale.ROOT, "%s%.4f", i == 0 ? "" : ", ", v[i]));
    }
    return sb.append(v.length > 4 ? ", ...]" : "]").toString();
  }
}
