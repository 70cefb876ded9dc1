package org.ctx4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.concurrent.Callable;
import org.ctx4j.Ctx4jException;
import org.ctx4j.core.BuildDirectory;
import org.ctx4j.core.Stage;
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
    description =
        "Prints what a build directory holds (settings, finished and unfinished files, shards) and"
            + " one image's visual and textual context: shapes, top texts and scores.")
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
    // Rendered whole before printing: a refused --crop, --index or -k prints nothing but the
    // one-line error.
    StringWriter text = new StringWriter();
    PrintWriter buffer = new PrintWriter(text);
    BuildDirectory build = BuildDirectory.read(dir);
    printOverview(build, buffer);
    inspect(build, imageId, crop, cropIndex, topK, buffer);
    spec.commandLine().getOut().print(text);
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** One image's context in the finished files of {@code dir}, as the demo shows it. */
  static void inspect(Path dir, Long imageId, String crop, int cropIndex, int topK, PrintWriter out) {
    inspect(BuildDirectory.read(dir), imageId, crop, cropIndex, topK, out);
  }

  /**
   * What the directory holds: each build part's settings (the whole build, or each shard), and
   * every output file with its count, unfinished ones with the images a rerun keeps.
   */
  static void printOverview(BuildDirectory build, PrintWriter out) {
    out.printf(Locale.ROOT, "%s:%n", build.dir());
    Map<String, String> first = null;
    for (BuildDirectory.Part part : build.parts()) {
      String what = part.shard().map(s -> "shard " + s).orElse("build");
      String done =
          part.done().isEmpty()
              ? "no stage finished"
              : part.done().stream()
                  .sorted()
                  .map(InspectCommand::stageWord)
                  .collect(Collectors.joining(", ", "finished ", ""));
      out.printf(Locale.ROOT, "  %s (%s): %s%n", what, part.manifest().getFileName(), done);
      for (Map.Entry<String, String> e : new TreeMap<>(part.settings()).entrySet()) {
        if (first == null || !e.getValue().equals(first.get(e.getKey()))) {
          out.printf(Locale.ROOT, "    %s: %s%n", e.getKey(), e.getValue());
        }
      }
      if (first != null) {
        out.printf(
            Locale.ROOT,
            "    (other settings as %s)%n",
            build.parts().get(0).manifest().getFileName());
      } else {
        first = part.settings();
      }
    }
    for (BuildDirectory.OutputFile f : build.files()) {
      String unit = f.stage() == Stage.CAPTION_DB ? "captions" : "images";
      out.printf(
          Locale.ROOT,
          "  %-36s %s%n",
          f.path().getFileName(),
          f.finished()
              ? f.count() + " " + unit
              : "unfinished: " + f.count() + " images complete, a rerun resumes from there");
    }
    if (build.parts().isEmpty() && build.files().isEmpty()) {
      out.printf(Locale.ROOT, "  no ctx4j build files%n");
    }
    out.flush();
  }

  private static String stageWord(Stage stage) {
    return stage.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static void inspect(
      BuildDirectory build, Long imageId, String crop, int cropIndex, int topK, PrintWriter out) {
    Path vis = build.finished(Stage.VISUAL).orElse(null);
    Path txt = build.finished(Stage.TEXTUAL).orElse(null);
    if (vis == null && txt == null) {
      if (!build.files().isEmpty()) {
        out.printf(Locale.ROOT, "no finished vis_ctx.hdf5 or txt_ctx.hdf5 to show an image of%n");
        out.flush();
        return;
      }
      throw new Ctx4jException("neither vis_ctx.hdf5 nor txt_ctx.hdf5 in " + build.dir());
    }
    Long id = imageId;
    if (vis != null) {
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
    if (txt != null) {
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
