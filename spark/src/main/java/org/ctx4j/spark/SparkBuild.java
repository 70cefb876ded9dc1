package org.ctx4j.spark;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.ctx4j.Ctx4jException;
import org.ctx4j.clip.ClipOptions;
import org.ctx4j.core.BuildReport;
import org.ctx4j.core.CropStrategy;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spark-submit --class org.ctx4j.spark.SparkBuild ctx4j-spark.jar build --coco DIR --vg DIR
 * --model DIR --out DIR}: {@code ctx4j build}'s flags and defaults, run across the cluster.
 */
@Command(
    name = "build",
    mixinStandardHelpOptions = true,
    description = {
      "Builds caption_db.hdf5, vis_ctx.hdf5 and txt_ctx.hdf5 in --out across a Spark cluster:",
      "the same bytes as 'ctx4j build'. Resubmit the same command after a failure to resume."
    })
public final class SparkBuild implements Callable<Integer> {
  /** Exit status of a user error (bad flag, bad input), as the ctx4j CLI. */
  public static final int USER_ERROR = 2;

  static final class ImageInput {
    @Option(names = "--coco", paramLabel = "DIR", description = "MS-COCO 2014 root.")
    Path coco;

    @Option(names = "--images", paramLabel = "DIR", description = "A folder of images named by numeric id.")
    Path imageFolder;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  ImageInput images;

  @Option(names = "--vg", paramLabel = "DIR", description = "Visual Genome dir (builds the caption db).")
  Path visualGenome;

  @Option(names = "--caption-db", paramLabel = "FILE", description = "An existing caption db to retrieve from.")
  Path captionDb;

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "CLIP model directory (same path on every executor).")
  Path model;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory shared by driver and executors.")
  String out;

  @Option(names = {"-k", "--top-k"}, defaultValue = "16", description = "Captions per crop (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(names = "--crop-k", split = ",", paramLabel = "CROP=K", description = "k for one crop, e.g. --crop-k five=8,nine=4.")
  Map<String, Integer> cropK = new LinkedHashMap<>();

  @Option(names = "--crops", split = ",", defaultValue = "whole,five,nine", paramLabel = "CROP", description = "Query views (default: ${DEFAULT-VALUE}).")
  List<String> crops;

  @Option(names = "--long-texts", defaultValue = "keep-end-token", paramLabel = "RULE", description = "keep-end-token (default) or as-xmodal-ctx.")
  String longTexts;

  @Option(names = "--compact", description = "Compact txt_ctx.")
  boolean compact;

  @Option(names = "--skip-bad", description = "Skip bad images and list them in skipped.tsv.")
  boolean skipBad;

  @Option(names = "--threads", defaultValue = "1", description = "Decode threads per task (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--batch-size", defaultValue = "8", description = "Images per encoder call (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--parts", paramLabel = "N", description = "Spark tasks of the image pass (default: the default parallelism); keep it on a rerun.")
  Integer parts;

  @Option(names = "--caption-parts", paramLabel = "N", description = "Spark tasks encoding captions (default: the default parallelism).")
  Integer captionParts;

  /** Runs the command line {@code args} on the active (or a new) Spark session. */
  public static void main(String[] args) {
    int status = run(args);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Runs {@code args} (first word {@code build}); returns the exit status. */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new SparkBuild());
    cli.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          if (e instanceof Ctx4jException || e instanceof IllegalArgumentException) {
            line.getErr().println("ctx4j-spark: " + e.getMessage());
            return USER_ERROR;
          }
          throw e;
        });
    String[] rest = args;
    if (args.length > 0 && args[0].equals("build")) {
      rest = java.util.Arrays.copyOfRange(args, 1, args.length);
    } else if (args.length == 0 || !args[0].startsWith("-")) {
      cli.getErr().println("ctx4j-spark: the command is 'build' (see --help)");
      return USER_ERROR;
    }
    return cli.execute(rest);
  }

  @Override
  public Integer call() {
    SparkContextBuilder b =
        images == null
            ? SparkContextBuilder.forCaptionDb()
            : images.coco != null
                ? SparkContextBuilder.forCoco(images.coco)
                : SparkContextBuilder.forImageFolder(images.imageFolder);
    b.model(model)
        .output(out)
        .longTexts(longTextRule())
        .topK(topK)
        .crops(crops.stream().map(c -> CropStrategy.fromKey(c.trim())).toArray(CropStrategy[]::new))
        .compact(compact)
        .skipBad(skipBad)
        .threads(threads)
        .batchSize(batchSize);
    cropK.forEach((crop, k) -> b.topK(CropStrategy.fromKey(crop.trim()), k));
    if (visualGenome != null) {
      b.visualGenome(visualGenome);
    }
    if (captionDb != null) {
      b.captionDb(captionDb);
    }
    if (parts != null) {
      b.imageParts(parts);
    }
    if (captionParts != null) {
      b.captionParts(captionParts);
    }
    SparkSession spark = SparkSession.builder().appName("ctx4j build").getOrCreate();
    BuildReport report = b.build(spark);
    System.out.println(report.summary());
    if (!report.skipped().isEmpty()) {
      System.out.println(
          "  skipped " + report.skipped().size() + " bad images: see skipped.tsv in " + out);
    }
    return 0;
  }

  private ClipOptions.LongTexts longTextRule() {
    return switch (longTexts) {
      case "keep-end-token" -> ClipOptions.LongTexts.KEEP_END_TOKEN;
      case "as-xmodal-ctx" -> ClipOptions.LongTexts.AS_XMODAL_CTX;
      default -> throw new IllegalArgumentException(
          "--long-texts '" + longTexts + "': use keep-end-token or as-xmodal-ctx");
    };
  }
}
