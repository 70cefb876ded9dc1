package org.ctx4j.spark;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.ctx4j.BuildSettingsException;
import org.ctx4j.Ctx4jException;
import org.ctx4j.clip.ClipModel;
import org.ctx4j.clip.ClipOptions;
import org.ctx4j.core.BuildReport;
import org.ctx4j.core.CaptionDb;
import org.ctx4j.core.ContextBuilder;
import org.ctx4j.core.CropStrategy;
import org.ctx4j.core.ShardMerge;
import org.ctx4j.core.Stage;
import org.ctx4j.core.dataset.VisualGenomeCaptions;
import org.ctx4j.core.retrieval.RetrievalOptions;
import org.ctx4j.hdf5.VisualContextFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * One ctx4j build across a Spark cluster, with the same output bytes as {@link ContextBuilder} on
 * one machine whatever the number of executors, parts, task retries or speculative attempts.
 *
 * <pre>{@code
 * BuildReport report = SparkContextBuilder.forCoco(cocoRoot)
 *     .visualGenome(vgDir)
 *     .model(clipDir)
 *     .output("file:///shared/ctx")
 *     .imageParts(64)
 *     .build(spark);
 * }</pre>
 *
 * <p>Caption encoding runs as one Spark job of contiguous caption slices, the image pass as a
 * second job of {@link #imageParts(int)} shards; each task commits its files under {@code
 * _ctx4j_spark/} in the output by an atomic rename, and the driver writes the caption db and
 * merges the shards. Rerunning the same build after a failure skips the committed parts; a rerun
 * with other settings is refused. Inputs (images, Visual Genome, model) and the output are paths
 * the driver and every executor mount, or URIs of a file system Hadoop's API reaches ({@code
 * hdfs://}, {@code s3a://}): inputs are then read in place through it, the model copied to each
 * JVM's temporary directory (see docs/scale-out.md).
 */
public final class SparkContextBuilder {
  private static final Logger LOG = LoggerFactory.getLogger(SparkContextBuilder.class);

  private final String coco;
  private final String imageFolder;
  private String visualGenome;
  private String captionDb;
  private String model;
  private ClipOptions.LongTexts longTexts = ClipOptions.LongTexts.KEEP_END_TOKEN;
  private ClipOptions.Backend backend = ClipOptions.Backend.AUTO;
  private String out;
  private int topK = ContextBuilder.DEFAULT_K;
  private final Map<String, Integer> cropK = new LinkedHashMap<>();
  private List<String> crops =
      Arrays.stream(CropStrategy.values()).map(CropStrategy::key).toList();
  private boolean compact;
  private boolean captionDbInOriginalLayout;
  private RetrievalOptions retrieval = RetrievalOptions.exact();
  private boolean skipBad;
  private int imageParts;
  private int captionParts;
  private int batchSize = 8;
  private int captionBatchSize = 256;
  private int threads;
  private CompletableFuture<ClipModel> preloaded;
  private String preloadedOptions;

  private SparkContextBuilder(String coco, String imageFolder) {
    this.coco = coco;
    this.imageFolder = imageFolder;
  }

  /** A build over MS-COCO 2014 at {@code cocoRoot} (as {@link ContextBuilder#forCoco}). */
  public static SparkContextBuilder forCoco(Path cocoRoot) {
    return new SparkContextBuilder(absolute(checkNotNull(cocoRoot, "cocoRoot")), null);
  }

  /**
   * A build over MS-COCO 2014 at {@code location}: a path every executor mounts, or a URI of a
   * Hadoop file system ({@code hdfs://…}, {@code s3a://…}), whose annotations and images are then
   * read through Hadoop's API.
   */
  public static SparkContextBuilder forCoco(String location) {
    return new SparkContextBuilder(location(checkNotNull(location, "location")), null);
  }

  /** A build over a folder of images named by id (as {@link ContextBuilder#forImageFolder}). */
  public static SparkContextBuilder forImageFolder(Path dir) {
    return new SparkContextBuilder(null, absolute(checkNotNull(dir, "dir")));
  }

  /** {@link #forImageFolder(Path)} at a mounted path or a Hadoop URI, as {@link #forCoco(String)}. */
  public static SparkContextBuilder forImageFolder(String location) {
    return new SparkContextBuilder(null, location(checkNotNull(location, "location")));
  }

  /** A build of the caption db alone. */
  public static SparkContextBuilder forCaptionDb() {
    return new SparkContextBuilder(null, null);
  }

  /** The Visual Genome directory: the caption db is built (its encoding spread over executors). */
  public SparkContextBuilder visualGenome(Path dir) {
    this.visualGenome = absolute(checkNotNull(dir, "dir"));
    return this;
  }

  /** {@link #visualGenome(Path)} at a mounted path or a Hadoop URI, read on the driver. */
  public SparkContextBuilder visualGenome(String location) {
    this.visualGenome = location(checkNotNull(location, "location"));
    return this;
  }

  /** An existing caption db to retrieve from, readable at this path on every executor. */
  public SparkContextBuilder captionDb(Path file) {
    this.captionDb = absolute(checkNotNull(file, "file"));
    return this;
  }

  /** The CLIP model directory (HuggingFace layout), readable at this path on every executor. */
  public SparkContextBuilder model(Path dir) {
    this.model = absolute(checkNotNull(dir, "dir"));
    return this;
  }

  /**
   * {@link #model(Path)} at a mounted path or a Hadoop URI: then the driver and each executor JVM
   * copy the model directory to their temporary directory once (same name, same bytes, so the
   * same model identity) and load it from there.
   */
  public SparkContextBuilder model(String location) {
    this.model = location(checkNotNull(location, "location"));
    return this;
  }

  /** How captions longer than CLIP's context are encoded; default CLIP's own rule. */
  public SparkContextBuilder longTexts(ClipOptions.LongTexts rule) {
    this.longTexts = checkNotNull(rule, "rule");
    return this;
  }

  /**
   * Which CLIP engine every executor (and the driver, for the model's identity) runs; default
   * {@code AUTO}, resolved on each executor as on one machine (a GPU executor runs PyTorch). Part
   * of the build's numerics, so a rerun into the same output must give the same backend.
   */
  public SparkContextBuilder backend(ClipOptions.Backend backend) {
    this.backend = checkNotNull(backend, "backend");
    return this;
  }

  /**
   * The output directory: a path or {@code file://} URI shared by driver and executors, or any
   * URI of a Hadoop file system ({@code hdfs://}, {@code s3a://}; the driver then stages the
   * caption db and the merge in its temporary directory and sends the files, see
   * docs/scale-out.md).
   */
  public SparkContextBuilder output(String uri) {
    this.out = checkNotNull(uri, "uri");
    return this;
  }

  /** Captions retrieved per crop; default 16. */
  public SparkContextBuilder topK(int k) {
    checkArgument(k >= 1, "k (%s) must be >= 1", k);
    this.topK = k;
    return this;
  }

  /** Captions retrieved per crop of {@code crop}. */
  public SparkContextBuilder topK(CropStrategy crop, int k) {
    checkArgument(k >= 1, "k (%s) for crop %s must be >= 1", k, crop.key());
    cropK.put(crop.key(), k);
    return this;
  }

  /** The query views; default all three. */
  public SparkContextBuilder crops(CropStrategy... crops) {
    checkArgument(crops.length > 0, "crops: give at least one crop strategy");
    this.crops = Arrays.stream(crops).map(CropStrategy::key).toList();
    return this;
  }

  /**
   * Writes the caption db in the original Xmodal-Ctx layout (see {@link
   * ContextBuilder#captionDbInOriginalLayout}); default ctx4j's.
   */
  public SparkContextBuilder captionDbInOriginalLayout(boolean originalLayout) {
    this.captionDbInOriginalLayout = originalLayout;
    return this;
  }

  /**
   * The retrieval index every image part uses (see {@link ContextBuilder#retrieval}); default
   * exact, on each executor's encoder device. An explicit device index ({@code
   * RetrievalOptions.on(...)}) is refused at {@link #build}: it cannot be shipped to executors.
   */
  public SparkContextBuilder retrieval(RetrievalOptions options) {
    this.retrieval = checkNotNull(options, "options");
    return this;
  }

  /** Compact txt_ctx layout (see {@link ContextBuilder#compact}). */
  public SparkContextBuilder compact(boolean compact) {
    this.compact = compact;
    return this;
  }

  /** Skip bad images, listed in {@code skipped.tsv} (see {@link ContextBuilder#skipBad}). */
  public SparkContextBuilder skipBad(boolean skipBad) {
    this.skipBad = skipBad;
    return this;
  }

  /**
   * Spark tasks of the image pass (shards); default the context's default parallelism. A rerun
   * must use the same number (it is refused otherwise).
   */
  public SparkContextBuilder imageParts(int parts) {
    checkArgument(parts >= 1, "image parts (%s) must be >= 1", parts);
    this.imageParts = parts;
    return this;
  }

  /** Spark tasks encoding captions; default the context's default parallelism. */
  public SparkContextBuilder captionParts(int parts) {
    checkArgument(parts >= 1, "caption parts (%s) must be >= 1", parts);
    this.captionParts = parts;
    return this;
  }

  /** Images per encoder call in each task; default 8 (does not change the output). */
  public SparkContextBuilder batchSize(int images) {
    checkArgument(images >= 1, "batch size (%s) must be >= 1", images);
    this.batchSize = images;
    return this;
  }

  /** Captions per encoder call in each task; default 256 (does not change the output). */
  public SparkContextBuilder captionBatchSize(int captions) {
    checkArgument(captions >= 1, "caption batch size (%s) must be >= 1", captions);
    this.captionBatchSize = captions;
    return this;
  }

  /**
   * CPU threads of each task: decoding, the Java route's encoder workers, the retrieval index;
   * default the task's {@code spark.task.cpus} (does not change the output).
   */
  public SparkContextBuilder threads(int threads) {
    checkArgument(threads >= 1, "threads (%s) must be >= 1", threads);
    this.threads = threads;
    return this;
  }

  /**
   * The session's {@code spark.hadoop.*} settings (credentials, file system implementations) as
   * Hadoop keys, shipped with the job: an executor's {@code new Configuration()} would not see
   * them.
   */
  private static Map<String, String> hadoopSettings(SparkConf sparkConf) {
    Map<String, String> settings = new TreeMap<>();
    for (Tuple2<String, String> kv : sparkConf.getAllWithPrefix("spark.hadoop.")) {
      settings.put(kv._1(), kv._2());
    }
    return settings;
  }

  /**
   * Starts loading the driver's model (for the job's identity) on another thread now, with the
   * options {@link #build} will use, so that it overlaps starting the Spark session ({@link
   * SparkBuild} does this; ~1 s of the tiny model, seconds for a real one). {@link #build} takes
   * it if the settings still match, else loads its own.
   */
  SparkContextBuilder preloadDriverModel() {
    checkNotNull(model, "model");
    ClipOptions options =
        JobSpec.clipOptions(longTexts.name(), backend.name(), Math.max(1, threads));
    preloadedOptions = options.toString();
    String location = model;
    // The session's spark.hadoop.* settings, as spark-submit passes them (system properties).
    Configuration conf = JobSpec.hadoopConfiguration(hadoopSettings(new SparkConf()));
    preloaded =
        CompletableFuture.supplyAsync(
            () -> ClipModel.load(InputPaths.localModel(location, conf), options));
    return this;
  }

  /** The model {@link #preloadDriverModel} loads if it was for these settings, else one now. */
  private ClipModel driverModel(JobSpec spec) {
    CompletableFuture<ClipModel> started = preloaded;
    preloaded = null;
    if (started == null || !preloadedOptions.equals(spec.clipOptions().toString())) {
      if (started != null) {
        started.thenAccept(ClipModel::close);
      }
      return ClipModel.load(
          InputPaths.localModel(model, spec.hadoopConfiguration()), spec.clipOptions());
    }
    try {
      return started.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e; // e.g. the model's own error
    }
  }

  /**
   * Runs the build on {@code spark}'s cluster and returns the report of the last step (the merge
   * of the image parts, or the caption db when there are no images).
   *
   * @throws BuildSettingsException settings are missing, or the output holds a build with others
   * @throws Ctx4jException as a one-machine build, e.g. a bad image without {@link #skipBad}
   */
  public BuildReport build(SparkSession spark) {
    checkNotNull(spark, "spark");
    if (model == null || out == null) {
      throw new BuildSettingsException("missing settings: model(dir) and output(uri)");
    }
    if (visualGenome == null && coco == null && imageFolder == null) {
      throw new BuildSettingsException("nothing to build: give images or visualGenome(dir)");
    }
    if (visualGenome != null && captionDb != null) {
      throw new BuildSettingsException(
          "captionDb(" + captionDb + ") and visualGenome(" + visualGenome + ") both give the"
              + " caption db: drop one of them");
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int parallelism = jsc.defaultParallelism();
    JobSpec spec =
        new JobSpec(
            coco, imageFolder, visualGenome, captionDb, model, longTexts.name(), backend.name(),
            out, topK, cropK, crops, compact, captionDbInOriginalLayout,
            RetrievalSpec.of(retrieval), skipBad, imageParts > 0 ? imageParts : parallelism,
            captionParts > 0 ? captionParts : parallelism, batchSize, captionBatchSize, threads,
            hadoopSettings(spark.sparkContext().getConf()));
    OutputStore store = OutputStore.open(out, spec.hadoopConfiguration());
    Path mounted = store.localPath();
    if (mounted == null && captionDb != null) {
      throw new BuildSettingsException(
          "captionDb(" + captionDb + ") with the output " + out + ", which is not a mounted path:"
              + " a non-mounted output uses its own caption db (give visualGenome(dir), or build"
              + " it there first)");
    }
    Staging staging = mounted != null ? null : new Staging(store, stagingDir(out));
    Path local = mounted != null ? mounted : staging.dir();
    try (ClipModel clip = driverModel(spec)) {
      if (staging != null) {
        staging.fetch(JOB_PROPERTIES, MANIFEST);
        if (visualGenome != null) {
          staging.fetch(CAPTION_DB); // a finished caption db is not built again
        }
      }
      checkIdentity(local, spec.identity(clip.contentDigest()));
      if (staging != null) {
        staging.send(JOB_PROPERTIES);
      }
      BuildReport report = null;
      if (visualGenome != null) {
        report = captionDb(jsc, spec, store, local, clip);
        if (staging != null) {
          staging.send(CAPTION_DB, MANIFEST);
        }
      }
      if (spec.hasImages()) {
        if (mounted != null && spec.retrieval().searchesMappedKeys()) {
          Path sharedDb = captionDb != null ? Path.of(captionDb) : mounted.resolve(CAPTION_DB);
          if (Files.isRegularFile(sharedDb)) { // a missing one is reported by the parts
            preparePanelCache(sharedDb);
          }
        }
        report = imagePass(jsc, spec, store, local);
        if (staging != null) {
          staging.send("vis_ctx.hdf5", "txt_ctx.hdf5", "skipped.tsv", MANIFEST);
        }
      }
      return report;
    }
  }

  /**
   * Makes the shared caption db's panel cache once on the driver, before the image tasks start
   * searching (else one task writes it while the others search its keys in place).
   */
  private static void preparePanelCache(Path captionDb) {
    long t = System.nanoTime();
    try (CaptionDb db = CaptionDb.open(captionDb)) {
      boolean ready = db.preparePanelCache();
      LOG.info("key panel cache of {}: {} ({} ms)", captionDb, ready ? "ready" : "none",
          (System.nanoTime() - t) / 1_000_000);
    }
  }

  private static final String JOB_PROPERTIES = OutputStore.WORK_DIR + "/job.properties";
  private static final String MANIFEST = "ctx4j-build.json";
  private static final String CAPTION_DB = ImageParts.CAPTION_DB;

  /**
   * The driver's working copy of an output it cannot mount ({@code hdfs://}, {@code s3a://}): the
   * caption db stage and the merge run on local files here, which are fetched from the output
   * before and sent to it after (each through a temporary name and a rename). The directory is
   * named by the output, so a rerun on the same driver machine resumes a merge in it.
   */
  private record Staging(OutputStore store, Path dir) {
    /**
     * Makes the working copy of each file the output's: fetched, or deleted when the output has
     * none. A copy of the same length is kept for the caption db (gigabytes, written once).
     */
    void fetch(String... relatives) {
      for (String r : relatives) {
        Path to = dir.resolve(r);
        try {
          Files.createDirectories(to.getParent());
          long[] stat = store.stat(r);
          if (stat == null) {
            Files.deleteIfExists(to);
          } else if (!(r.equals(CAPTION_DB) && Files.exists(to) && Files.size(to) == stat[0])) {
            store.download(r, to);
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot fetch " + store.path(r) + " to " + to, e);
        }
      }
    }

    /** Sends those of the files the working copy has. */
    void send(String... relatives) {
      List<String> sent = new ArrayList<>();
      for (String r : relatives) {
        Path from = dir.resolve(r);
        if (Files.exists(from)) {
          store.upload(from, r);
          sent.add(r);
        }
      }
      LOG.info("sent {} to {}", String.join(", ", sent), store.path(""));
    }
  }

  private static Path stagingDir(String out) {
    String name =
        "ctx4j-spark-out-" + Integer.toHexString(OutputStore.toUri(out).toString().hashCode());
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), name);
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the staging directory " + dir, e);
    }
  }

  private static BuildReport captionDb(
      JavaSparkContext jsc, JobSpec spec, OutputStore store, Path local, ClipModel clip) {
    Path vg = InputPaths.resolve(spec.visualGenome(), spec.hadoopConfiguration());
    CaptionParts.PartsTextEncoder encoder =
        new CaptionParts.PartsTextEncoder(
            clip.textEncoder(),
            store,
            () -> {
              List<String> captions =
                  VisualGenomeCaptions.build(
                      vg.resolve("attributes.json"), vg.resolve("relationships.json"));
              long t = System.nanoTime();
              try {
                CaptionParts.encodeAll(jsc, spec, captions);
                LOG.info(
                    "caption job: {} captions encoded in {} parts in {} ms",
                    captions.size(), spec.captionParts(), (System.nanoTime() - t) / 1_000_000);
              } catch (Exception e) { // Spark throws its checked SparkException undeclared
                throw TaskFailures.translate(e);
              }
              return Math.max(1, Math.min(spec.captionParts(), captions.size()));
            });
    try (encoder) {
      BuildReport report =
          ContextBuilder.forCaptionDb()
              .visualGenome(vg)
              .captionDbInOriginalLayout(spec.captionDbInOriginalLayout())
              .textEncoder(encoder)
              .captionBatchSize(spec.captionBatchSize())
              .output(local)
              .build();
      store.delete(OutputStore.WORK_DIR + "/" + CaptionParts.KIND);
      LOG.info("caption db: {}", report.summary().lines().findFirst().orElse(""));
      return report;
    }
  }

  /**
   * Runs the image job and, on the driver meanwhile, publishes each committed part and merges it
   * into the final files in part order (with one part, its files are the final ones): the merge
   * overlaps the image pass instead of following it, and only the last parts' merge is left when
   * the job ends.
   */
  private static BuildReport imagePass(
      JavaSparkContext jsc, JobSpec spec, OutputStore store, Path local) {
    long start = System.nanoTime();
    int n = spec.imageParts();
    long[] merging = new long[1];
    BuildReport merged = null;
    try (ShardMerge merge = n > 1 ? ShardMerge.open(local, n) : null) {
      ImageParts.runAll(
          jsc,
          spec,
          spec.captionDb(),
          store,
          part -> {
            long t = System.nanoTime();
            publish(store, OutputStore.partDir(ImageParts.KIND, ImageParts.name(part, n)), local);
            if (merge != null) {
              merge.add(part);
            }
            merging[0] += System.nanoTime() - t;
          });
      jsc.setJobDescription(null);
      long finishing = System.nanoTime();
      LOG.info(
          "image job: {} parts in {} ms (publishing and merging them meanwhile: {} ms)",
          n, (finishing - start) / 1_000_000, merging[0] / 1_000_000);
      if (merge != null) {
        merged = merge.finish();
      }
      LOG.info("finishing the merged files: {} ms", (System.nanoTime() - finishing) / 1_000_000);
    }
    return imageReport(local, merged, System.nanoTime() - start, spec.hadoopConfiguration());
  }

  /**
   * The image pass's report: images from vis_ctx, skipped images from skipped.tsv (their files
   * as paths of their file system: an hdfs:// image is a path on HDFS).
   */
  private static BuildReport imageReport(
      Path local, BuildReport merged, long nanos, Configuration conf) {
    int images;
    try (VisualContextFile vis = VisualContextFile.open(local.resolve("vis_ctx.hdf5"))) {
      images = vis.ids().length;
    }
    List<BuildReport.SkippedImage> skipped = new ArrayList<>();
    Path tsv = local.resolve("skipped.tsv");
    if (Files.exists(tsv)) {
      try {
        for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
          String[] f = line.split("\t", 3);
          if (f.length == 3 && !f[0].equals("id")) {
            skipped.add(
                new BuildReport.SkippedImage(
                    Long.parseLong(f[0]), InputPaths.resolve(f[1], conf), f[2]));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + tsv, e);
      }
    }
    Map<Stage, Path> files = new EnumMap<>(Stage.class);
    files.put(Stage.VISUAL, local.resolve("vis_ctx.hdf5"));
    files.put(Stage.TEXTUAL, local.resolve("txt_ctx.hdf5"));
    return new BuildReport(
        local, EnumSet.of(Stage.VISUAL, Stage.TEXTUAL), false, 0, images + skipped.size(),
        images, 0, skipped, merged != null ? merged.timings() : Map.of(),
        Duration.ofNanos(nanos), files);
  }

  /**
   * Hard-links the committed part file {@code committed} (under the output itself) at {@code link}:
   * the merge only reads shards, so a link saves copying every part's bytes once more (~80 MB at
   * 2,000 images). Linked under a temporary name, then renamed. False when the file system cannot
   * link; the caller copies.
   */
  private static boolean linked(Path committed, Path link) {
    Path tmp = link.resolveSibling(link.getFileName() + ".publishing");
    try {
      Files.deleteIfExists(tmp);
      Files.createLink(tmp, committed);
      Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      LOG.debug("cannot hard-link {}; copying it", committed, e);
      return false;
    }
  }

  /**
   * Puts a committed part's files into the output directory (skipping those already there):
   * hard-linked where the file system can, else copied.
   */
  private static void publish(OutputStore store, String partDir, Path local) {
    try {
      for (FileStatus f : store.fs().listStatus(store.path(partDir))) {
        String name = f.getPath().getName();
        Path target = local.resolve(name);
        if (Files.exists(target)) {
          continue;
        }
        boolean mounted = store.localPath() != null; // then the part lies under local itself
        if (!mounted || !linked(local.resolve(partDir).resolve(name), target)) {
          store.download(partDir + "/" + name, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot publish part " + store.path(partDir), e);
    }
  }

  /**
   * Records the job's settings in {@code _ctx4j_spark/job.properties} on the first run; a rerun
   * with different ones is refused, naming them, so that parts of two settings never mix.
   */
  private static void checkIdentity(Path local, Map<String, String> identity) {
    Path file = local.resolve(OutputStore.WORK_DIR).resolve("job.properties");
    StringBuilder text = new StringBuilder();
    identity.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    try {
      if (Files.exists(file)) {
        Map<String, String> before = new TreeMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          int eq = line.indexOf('=');
          if (eq > 0) {
            before.put(line.substring(0, eq), line.substring(eq + 1));
          }
        }
        List<String> differ = new ArrayList<>();
        identity.forEach(
            (k, v) -> {
              if (!v.equals(before.get(k))) {
                differ.add(k + " " + before.get(k) + " -> " + v);
              }
            });
        if (!differ.isEmpty()) {
          throw new BuildSettingsException(
              local + " holds a Spark build with other settings (" + String.join("; ", differ)
                  + "): rerun with the same settings, or use another output directory");
        }
        return;
      }
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the job settings in " + file, e);
    }
  }

  private static String absolute(Path p) {
    return p.toAbsolutePath().normalize().toString();
  }

  /** A Hadoop URI as given; a local path or {@code file:} URI as an absolute path. */
  private static String location(String given) {
    return InputPaths.isRemote(given)
        ? given
        : absolute(InputPaths.resolve(given, new Configuration(false)));
  }
}
