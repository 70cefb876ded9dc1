package org.ctx4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ctx4j.core.CropBox;
import org.ctx4j.core.CropStrategy;
import org.ctx4j.core.ImageDecoder;
import org.ctx4j.core.RgbImage;
import org.ctx4j.core.TextualContext;
import org.ctx4j.core.dataset.ImageRecord;
import org.ctx4j.server.ContextPicture;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ctx4j show ID}: the page's picture of one image, as a PNG. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description =
        "Renders one image of a build with a crop's boxes and each box's top-k captions and"
            + " scores to a PNG (for papers and reports).")
final class ShowCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID", description = "Image id.")
  long id;

  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Build directory (txt_ctx.hdf5).")
  Path dir;

  @ArgGroup(exclusive = true, multiplicity = "1")
  BuildFlags.ImageInput images;

  @Option(names = "--crop", defaultValue = "five", description = "Crop to draw: whole, five or nine (default: ${DEFAULT-VALUE}).")
  String crop;

  @Option(names = {"-k", "--top-k"}, defaultValue = "5", description = "Captions per box (default: ${DEFAULT-VALUE}; at most the stored k).")
  int topK;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "PNG file to write.")
  Path out;

  @Override
  public Integer call() {
    Path txt = ServeCommand.existing(dir.resolve("txt_ctx.hdf5"), "--dir");
    try (TextualContext textual = TextualContext.open(txt)) {
      CropStrategy strategy = CropStrategy.fromKey(crop);
      int stored = textual.k(crop); // checks --crop against the file first
      if (topK < 1 || topK > stored) {
        throw new IllegalArgumentException(
            "-k " + topK + " is outside 1.." + stored + " (the k stored for " + crop + ")");
      }
      int k = topK;
      if (!textual.contains(id)) {
        throw new IllegalArgumentException("no image " + id + " in " + txt);
      }
      Path file = null;
      for (ImageRecord r : images.source().images()) {
        if (r.id() == id) {
          file = r.file();
        }
      }
      if (file == null) {
        throw new IllegalArgumentException("no image " + id + " in the dataset given");
      }
      RgbImage image = ImageDecoder.decode(file);
      List<CropBox> boxes = strategy.boxes(image.width(), image.height());
      List<ContextPicture.Entry> entries = new ArrayList<>();
      for (int i = 0; i < boxes.size(); i++) {
        entries.add(
            new ContextPicture.Entry(
                crop + " " + i, boxes.get(i), textual.topK(id, crop, i, k)));
      }
      String title = "image " + id + " — " + crop + ", top " + k;
      ContextPicture.writePng(ContextPicture.render(image, title, entries), out);
    }
    spec.commandLine().getOut().println("wrote " + out);
    return 0;
  }
}
