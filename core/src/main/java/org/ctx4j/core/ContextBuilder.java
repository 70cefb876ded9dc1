package org.ctx4j.core;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.ctx4j.BadImageException;
import org.ctx4j.BuildSettingsException;
import org.ctx4j.core.dataset.CocoDataset;
import org.ctx4j.core.dataset.ImageFolderSource;
import org.ctx4j.core.dataset.ImageSource;
import org.ctx4j.core.retrieval.RetrievalOptions;

/**
 * Builds the cross-modal context files of a dataset: {@code caption_db.hdf5} (Visual Genome
 * captions encoded with CLIP), {@code vis_ctx.hdf5} (one CLIP image feature per image) and {@code
 * txt_ctx.hdf5} (the top-k captions retrieved for the whole image, five crops and nine crops).
 *
 * <pre>{@code
 * BuildReport report = ContextBuilder.forCoco(cocoRoot)
 *     .visualGenome(vgDir)                  // or .captionDb(existingCaptionDb)
 *     .imageEncoder(clip.imageEncoder()).textEncoder(clip.textEncoder())
 *     .output(outDir)
 *     .topK(16)                             // or topK(CropStrategy.FIVE, 8) per crop
 *     .crops(CropStrategy.WHOLE, CropStrategy.FIVE, CropStrategy.NINE)
 *     .build();
 * }</pre>
 *
 * <p>Required settings depend on the stages: {@link Stage#CAPTION_DB} needs {@link
 * #visualGenome(Path)} and {@link #textEncoder(TextEncoder)}; {@link Stage#VISUAL} and {@link
 * Stage#TEXTUAL} need images (the factory) and {@link #imageEncoder(ImageEncoder)}; {@link
 * Stage#TEXTUAL} also needs a caption db (built in the same run, found in the output directory, or
 * given with {@link #captionDb(Path)}). All need {@link #output(Path)}. Without {@link
 * #stages(Stage...)} the stages follow from the inputs given. {@link #build()} checks all this and
 * names the method to call when something is missing.
 *
 * <p><b>Resume.</b> An interrupted build (Ctrl-C, kill -9, a bad image) rerun with the same
 * settings continues where it stopped; the finished files have the same content as an
 * uninterrupted run. Rerunning a finished build does nothing ({@link BuildReport#upToDate()});
 * rerunning into the same directory with another model, k, crop set or layout is refused with a
 * {@link BuildSettingsException}; so is another model or dataset of the same name (content
 * digests, docs/pipeline.md).
 *
 * <p>Ownership, as everywhere in ctx4j: whoever creates a resource closes it. The builder uses
 * the encoders it is given and never closes them (close the {@code ClipModel} they came from).
 * Interrupting the thread in {@link #build()} stops the build with a {@link
 * org.ctx4j.BuildInterruptedException} after writing what was finished, with the thread's interrupt
 * status set again; rerun to resume. A builder is not thread-safe; {@link #build()} may be called
 * once.
 */
public final class ContextBuilder {
  /** Default number of captions retrieved per crop, as the original. */
  public static final int DEFAULT_K = 16;

  private final Supplier<ImageSource> images;
  private Path visualGenomeDir;
  private Path captionDb;
  private ImageEncoder imageEncoder;
  private TextEncoder textEncoder;
  private ClipPreprocessor preprocessor;
  private Path output;
  private int defaultK = DEFAULT_K;
  private final Map<CropStrategy, Integer> kPerCrop = new EnumMap<>(CropStrategy.class);
  private Set<CropStrategy> crops = EnumSet.allOf(CropStrategy.class);
  private Set<Stage> stages;
  private boolean compact;
  private boolean captionDbInOriginalLayout;
  private RetrievalOptions retrieval = RetrievalOptions.exact();
  private boolean skipBad;
  private Shard shard = Shard.WHOLE;
  private int threads = Runtime.getRuntime().availableProcessors();
  private int imageBatchSize = 8;
  private int captionBatchSize = 256;
  private long featureCacheBytes = 256L << 20;
  private ProgressListener progress = ProgressListener.none();
  private boolean built;

  private ContextBuilder(Supplier<ImageSource> images) {
    this.images = images;
  }

  /**
   * A build over MS-COCO 2014 at {@code cocoRoot} ({@code annotations/captions_{train,val}2014.json},
   * {@code train2014/}, {@code val2014/}). The annotations are read in {@link #build()}.
   */
  public static ContextBuilder forCoco(Path cocoRoot) {
    checkNotNull(cocoRoot, "cocoRoot");
    return new ContextBuilder(() -> CocoDataset.open(cocoRoot));
  }

  /** A build over the images of a folder, ids from their file names (see {@link ImageFolderSource}). */
  public static ContextBuilder forImageFolder(Path dir) {
    checkNotNull(dir, "dir");
    return new ContextBuilder(() -> ImageFolderSource.of(dir));
  }

  /** A build over any image source. */
  public static ContextBuilder forSource(ImageSource source) {
    checkNotNull(source, "source");
    return new ContextBuilder(() -> source);
  }

  /**
   * A build of the caption db alone, as the original's {@code encode_captions.py}: call {@link
   * #visualGenome(Path)}, {@link #textEncoder(TextEncoder)} and {@link #output(Path)}.
   */
  public static ContextBuilder forCaptionDb() {
    return new ContextBuilder(null);
  }

  /**
   * Joins the shard files in {@code dir} (written by builds with {@link #shard(int, int)}) into
   * {@code vis_ctx.hdf5} and {@code txt_ctx.hdf5}, ids ascending.
   *
   * @throws org.ctx4j.Ctx4jException naming the problem when a shard is missing or unfinished,
   *     shards disagree on their settings, or an image id is in two shards
   */
  public static BuildReport mergeShards(Path dir) {
    checkNotNull(dir, "dir");
    return ShardMerger.merge(dir);
  }

  /** The Visual Genome directory holding {@code attributes.json} and {@code relationships.json}. */
  public ContextBuilder visualGenome(Path dir) {
    this.visualGenomeDir = checkNotNull(dir, "dir");
    return this;
  }

  /** An existing caption db ({@code caption_db.hdf5}, ours or the original's) to retrieve from. */
  public ContextBuilder captionDb(Path file) {
    this.captionDb = checkNotNull(file, "file");
    return this;
  }

  /** The CLIP image encoder (used, not closed). */
  public ContextBuilder imageEncoder(ImageEncoder encoder) {
    this.imageEncoder = checkNotNull(encoder, "encoder");
    return this;
  }

  /** The CLIP text encoder for the caption db (used, not closed). */
  public ContextBuilder textEncoder(TextEncoder encoder) {
    this.textEncoder = checkNotNull(encoder, "encoder");
    return this;
  }

  /**
   * The pixel preprocessing; default {@link ClipPreprocessor#defaults()} (CLIP ViT-B/32). Its
   * output size must match the image encoder's input size.
   */
  public ContextBuilder preprocessor(ClipPreprocessor preprocessor) {
    this.preprocessor = checkNotNull(preprocessor, "preprocessor");
    return this;
  }

  /** The output directory (created if absent). */
  public ContextBuilder output(Path dir) {
    this.output = checkNotNull(dir, "dir");
    return this;
  }

  /** Captions retrieved per crop for every crop strategy without its own k; default 16. */
  public ContextBuilder topK(int k) {
    checkArgument(k >= 1, "k (%s) must be >= 1", k);
    this.defaultK = k;
    return this;
  }

  /** Captions retrieved per crop of {@code crop} (the authors' follow-up used k per view). */
  public ContextBuilder topK(CropStrategy crop, int k) {
    checkNotNull(crop, "crop");
    checkArgument(k >= 1, "k (%s) for crop %s must be >= 1", k, crop.key());
    kPerCrop.put(crop, k);
    return this;
  }

  /** The query views of the textual context; default all three. Stored in WHOLE, FIVE, NINE order. */
  public ContextBuilder crops(CropStrategy... crops) {
    checkNotNull(crops, "crops");
    checkArgument(crops.length > 0, "crops: give at least one crop strategy");
    this.crops = EnumSet.copyOf(Arrays.asList(crops));
    return this;
  }

  /** Runs only these stages (e.g. {@code stages(Stage.TEXTUAL)} reusing an existing caption db). */
  public ContextBuilder stages(Stage... stages) {
    checkNotNull(stages, "stages");
    checkArgument(stages.length > 0, "stages: give at least one stage");
    this.stages = EnumSet.copyOf(Arrays.asList(stages));
    return this;
  }

  /**
   * Writes txt_ctx in the compact layout: caption indices and scores only, texts and features
   * resolved through the caption db when read (far smaller; same reader API).
   */
  public ContextBuilder compact(boolean compact) {
    this.compact = compact;
    return this;
  }

  /**
   * How captions are retrieved for each view: exact (the default) or IVF, key precision, device
   * (by default the image encoder's, when it offers an index there, e.g. a GPU). Recorded in the
   * build's settings; a resume with another choice is refused. See {@link RetrievalOptions}.
   */
  public ContextBuilder retrieval(RetrievalOptions options) {
    this.retrieval = checkNotNull(options, "options");
    return this;
  }

  /**
   * Writes {@code caption_db.hdf5} in the original Xmodal-Ctx layout (root groups {@code "0"},
   * {@code "1"}, ... of 512 captions, each with {@code keys}, {@code features}, {@code captions}),
   * which the original {@code retrieve_captions.py} reads, instead of ctx4j's (one contiguous key
   * matrix that retrieval memory-maps; the default). Retrieval results are the same either way;
   * with the original layout the keys are read onto the heap.
   */
  public ContextBuilder captionDbInOriginalLayout(boolean originalLayout) {
    this.captionDbInOriginalLayout = originalLayout;
    return this;
  }

  /**
   * When true, images that cannot be decoded or cropped are skipped and listed in {@code
   * skipped.tsv} (id, file, reason) next to the outputs; when false (default) the build stops at
   * the first one with a {@link BadImageException}.
   */
  public ContextBuilder skipBad(boolean skipBad) {
    this.skipBad = skipBad;
    return this;
  }

  /**
   * Processes only slice {@code index} (0-based) of {@code count} of the id-sorted images, into
   * files of its own ({@code vis_ctx.shard-1-of-4.hdf5}); {@code ctx4j merge} joins them. The
   * caption db must exist first (build it once without sharding).
   */
  public ContextBuilder shard(int index, int count) {
    this.shard = new Shard(index, count);
    return this;
  }

  /**
   * Threads decoding and preprocessing images, and searching a CPU retrieval index; default all
   * cores. The output does not depend on them.
   */
  public ContextBuilder threads(int threads) {
    checkArgument(threads >= 1, "threads (%s) must be >= 1", threads);
    this.threads = threads;
    return this;
  }

  /** Images per encoder call (each gives 1 + 5 + 9 crops); default 8. */
  public ContextBuilder batchSize(int images) {
    checkArgument(images >= 1, "batch size (%s) must be >= 1", images);
    this.imageBatchSize = images;
    return this;
  }

  /** Captions per text encoder call while building the caption db; default 256. */
  public ContextBuilder captionBatchSize(int captions) {
    checkArgument(captions >= 1, "caption batch size (%s) must be >= 1", captions);
    this.captionBatchSize = captions;
    return this;
  }

  /** Heap for caching caption features read from the caption db; default 256 MiB. */
  public ContextBuilder featureCacheBytes(long bytes) {
    checkArgument(bytes >= 0, "feature cache bytes (%s) must be >= 0", bytes);
    this.featureCacheBytes = bytes;
    return this;
  }

  /** Receives progress; default none. See {@link ProgressListener#logging}. */
  public ContextBuilder progress(ProgressListener listener) {
    this.progress = checkNotNull(listener, "listener");
    return this;
  }

  /**
   * Checks the settings and runs the build.
   *
   * @throws BuildSettingsException a required setting is missing or settings conflict (the message
   *     names the method to call), or the output directory holds a build with other settings
   * @throws BadImageException an image is bad and {@link #skipBad(boolean)} is off
   * @throws org.ctx4j.Ctx4jException for bad input files (annotations, caption db, model)
   */
  public BuildReport build() {
    if (built) {
      throw new IllegalStateException("build() was already called on this builder");
    }
    built = true;
    return BuildRunner.run(validate());
  }

  private BuildRequest validate() {
    List<String> missing = new ArrayList<>();
    Set<Stage> run = stages != null ? stages : defaultStages();
    if (run.isEmpty()) {
      throw new BuildSettingsException(
          "nothing to build: give images (forCoco/forImageFolder/forSource) or visualGenome(dir)");
    }
    if (output == null) {
      missing.add("output(dir)");
    }
    boolean imagesNeeded = run.contains(Stage.VISUAL) || run.contains(Stage.TEXTUAL);
    if (run.contains(Stage.CAPTION_DB)) {
      if (visualGenomeDir == null) {
        missing.add("visualGenome(dir) for stage CAPTION_DB");
      }
      if (textEncoder == null) {
        missing.add("textEncoder(encoder) for stage CAPTION_DB");
      }
      if (captionDb != null) {
        throw new BuildSettingsException(
            "captionDb(" + captionDb + ") conflicts with stage CAPTION_DB, which builds one:"
                + " drop one of them");
      }
      if (!shard.isWhole()) {
        throw new BuildSettingsException(
            "shard(" + shard + ") with stage CAPTION_DB: build the caption db once without"
                + " sharding (stages(CAPTION_DB)), then run the shards with stages(VISUAL, TEXTUAL)");
      }
    }
    if (imagesNeeded) {
      if (images == null) {
        missing.add(
            "images for stages " + run + ": start from forCoco, forImageFolder or forSource");
      }
      if (imageEncoder == null) {
        missing.add("imageEncoder(encoder) for stages VISUAL and TEXTUAL");
      }
    }
    if (!missing.isEmpty()) {
      throw new BuildSettingsException("missing settings: " + String.join("; ", missing));
    }
    ClipPreprocessor pre = preprocessor != null ? preprocessor : ClipPreprocessor.defaults();
    if (imagesNeeded && pre.outputSize() != imageEncoder.inputSize()) {
      throw new BuildSettingsException(
          "the preprocessor's output size ("
              + pre.outputSize()
              + ") differs from the image encoder's input size ("
              + imageEncoder.inputSize()
              + "): set preprocessor(ClipPreprocessor.of(PreprocessorConfig.read(...)))"
              + " from the model's preprocessor_config.json");
    }
    List<CropStrategy> cropList = List.copyOf(EnumSet.copyOf(crops));
    for (CropStrategy c : kPerCrop.keySet()) {
      if (!crops.contains(c)) {
        throw new BuildSettingsException(
            "topK(" + c + ", " + kPerCrop.get(c) + ") for a crop not in crops(" + crops + ")");
      }
    }
    Map<CropStrategy, Integer> k = new EnumMap<>(CropStrategy.class);
    for (CropStrategy c : cropList) {
      k.put(c, kPerCrop.getOrDefault(c, defaultK));
    }
    return new BuildRequest(
        EnumSet.copyOf(run),
        images,
        visualGenomeDir,
        captionDb,
        imageEncoder,
        textEncoder,
        pre,
        output,
        cropList,
        k,
        compact,
        captionDbInOriginalLayout,
        retrieval,
        skipBad,
        shard,
        threads,
        imageBatchSize,
        captionBatchSize,
        featureCacheBytes,
        progress);
  }

  private Set<Stage> defaultStages() {
    Set<Stage> s = EnumSet.noneOf(Stage.class);
    if (visualGenomeDir != null && shard.isWhole()) {
      s.add(Stage.CAPTION_DB);
    }
    if (images != null) {
      s.add(Stage.VISUAL);
      s.add(Stage.TEXTUAL);
    }
    return s;
  }
}
