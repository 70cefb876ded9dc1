package org.ctx4j.spark;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.ctx4j.Ctx4jException;
import org.ctx4j.cli.BuildFlags;
import org.ctx4j.core.BuildReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

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

  @Mixin BuildFlags flags;

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
    return run(new PrintWriter(System.err, true), args);
  }

  /** Runs {@code args} with errors to {@code err}; returns the exit status. */
  public static int run(PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new SparkBuild());
    cli.setErr(err);
    cli.setParameterExceptionHandler(
        (e, a) -> {
          e.getCommandLine().getErr().println("ctx4j-spark: error: " + e.getMessage());
          return USER_ERROR;
        });
    cli.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          if (e instanceof Ctx4jException || e instanceof IllegalArgumentException) {
            line.getErr().println("ctx4j-spark: error: " + e.getMessage());
            return USER_ERROR;
          }
          throw e;
        });
    String[] rest = args;
    if (args.length > 0 && args[0].equals("build")) {
      rest = java.util.Arrays.copyOfRange(args, 1, args.length);
    } else if (args.length == 0 || !args[0].startsWith("-")) {
      cli.getErr().println("ctx4j-spark: error: the command is 'build' (see --help)");
      return USER_ERROR;
    }
    return cli.execute(rest);
  }

  @Override
  public Integer call() {
    flags.check(true);
    if (flags.shard() != null || flags.stages() != null) {
      throw new IllegalArgumentException(
          "--shard and --stages are not for the Spark job: it runs every stage and shards the"
              + " images itself (--parts N)");
    }
    SparkContextBuilder b =
        flags.cocoText() != null
            ? SparkContextBuilder.forCoco(flags.cocoText())
            : flags.imageFolderText() != null
                ? SparkContextBuilder.forImageFolder(flags.imageFolderText())
                : SparkContextBuilder.forCaptionDb();
    b.model(flags.modelText())
        .backend(flags.backend())
        .output(flags.outText())
        .longTexts(flags.longTextRule())
        .topK(flags.topK())
        .crops(flags.crops())
        .compact(flags.compact())
        .captionDbInOriginalLayout(flags.captionDbInOriginalLayout())
        .retrieval(flags.retrieval())
        .skipBad(flags.skipBad())
        .batchSize(flags.batchSize());
    flags.cropK().forEach(b::topK);
    if (flags.visualGenome() != null) {
      b.visualGenome(flags.visualGenomeText());
    }
    if (flags.captionDb() != null) {
      b.captionDb(flags.captionDb());
    }
    if (flags.threads() != null) {
      b.threads(flags.threads());
    }
    if (parts != null) {
      b.imageParts(parts);
    }
    if (captionParts != null) {
      b.captionParts(captionParts);
    }
    b.preloadDriverModel(); // overlaps the session's start-up
    SparkSession spark = SparkSession.builder().appName("ctx4j build").getOrCreate();
    BuildReport report = b.build(spark);
    System.out.println(report.summary());
    if (!report.skipped().isEmpty()) {
      System.out.println(
          "  skipped " + report.skipped().size() + " bad images: see skipped.tsv in "
              + flags.outText());
    }
    return 0;
  }
}
