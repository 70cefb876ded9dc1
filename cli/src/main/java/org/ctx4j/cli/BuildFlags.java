package org.ctx4j.cli;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ctx4j.clip.ClipOptions;
import org.ctx4j.clip.retrieval.DjlTopKIndex;
import org.ctx4j.core.ContextBuilder;
import org.ctx4j.core.CropStrategy;
import org.ctx4j.core.Stage;
import org.ctx4j.core.dataset.CocoDataset;
import org.ctx4j.core.dataset.ImageFolderSource;
import org.ctx4j.core.dataset.ImageSource;
import org.ctx4j.core.retrieval.IvfOptions;
import org.ctx4j.core.retrieval.KeyPrecision;
import org.ctx4j.core.retrieval.RetrievalOptions;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The flags of {@code ctx4j build} and their checks, a picocli mixin: {@code ctx4j build} and the
 * Spark job's entry ({@code ctx4j-spark}) take the same flags with the same defaults.
 */
public final class BuildFlags {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  /** Where the images come from: {@code --coco DIR} or {@code --images DIR}. */
  static final class ImageInput {
    @Option(names = "--coco", paramLabel = "DIR", description = "MS-COCO 2014 root (annotations/, train2014/, val2014/).")
    String coco;

    @Option(names = "--images", paramLabel = "DIR", description = "A folder of images named by numeric id.")
    String imageFolder;

    /** The images named: a COCO root or an image folder. */
    ImageSource source() {
      return coco != null
          ? CocoDataset.open(Path.of(coco))
          : ImageFolderSource.of(Path.of(imageFolder));
    }
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  ImageInput images;

  // Input and output locations are kept as given: the Spark job also takes hdfs://… URIs, which a
  // Path mangles ("hdfs://host/x" becomes "hdfs:/host/x").

  @Option(names = "--vg", paramLabel = "DIR", description = "Visual Genome dir with attributes.json, relationships.json (builds the caption db).")
  String visualGenome;

  @Option(names = "--caption-db", paramLabel = "FILE", description = "An existing caption db to retrieve from.")
  Path captionDb;

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "CLIP model directory in HuggingFace format.")
  String model;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  String out;

  @Option(names = {"-k", "--top-k"}, defaultValue = "16", description = "Captions per crop (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(names = "--crop-k", split = ",", paramLabel = "CROP=K", description = "k for one crop, e.g. --crop-k five=8,nine=4.")
  Map<String, Integer> cropK = new LinkedHashMap<>();

  @Option(names = "--crops", split = ",", defaultValue = "whole,five,nine", paramLabel = "CROP", description = "Query views (default: ${DEFAULT-VALUE}).")
  List<String> crops;

  @Option(names = "--stages", split = ",", paramLabel = "STAGE", description = "Only these of caption-db, visual, textual (default: what the inputs allow).")
  List<String> stages;

  @Option(
      names = "--long-texts",
      defaultValue = "keep-end-token",
      paramLabel = "RULE",
      description =
          "Captions longer than CLIP's 77 tokens: keep-end-token (CLIP's rule, default) or"
              + " as-xmodal-ctx (cut at 75 and pooled like the original, to reproduce its files).")
  String longTexts;

  @Option(
      names = "--backend",
      defaultValue = "auto",
      paramLabel = "BACKEND",
      description =
          "What runs CLIP: auto (default: ctx4j's Java route on a CPU, libtorch on a GPU), java,"
              + " onnx (images on onnxruntime, texts on the Java route; CPU) or pytorch. Part of the build's numerics: finish a build with the backend it began with.")
  String backend;

  @Option(
      names = "--index",
      defaultValue = "exact",
      paramLabel = "INDEX",
      description = "Retrieval index: exact (default) or ivf (approximate; its recall is measured and logged).")
  String index;

  @Option(names = "--nlist", paramLabel = "N", description = "IVF lists (default: round(8*sqrt(captions)), as the original).")
  Integer nlist;

  @Option(names = "--nprobe", paramLabel = "N", description = "IVF lists searched per query (default: nlist/10, as the original).")
  Integer nprobe;

  @Option(
      names = "--key-precision",
      defaultValue = "fp32",
      paramLabel = "P",
      description = "Caption keys stored as fp32 (default), fp16 or bf16 (half the memory; exact CPU index).")
  String keyPrecision;

  @Option(
      names = "--retrieval-device",
      defaultValue = "auto",
      paramLabel = "DEVICE",
      description = "Where retrieval runs: auto (the encoder's GPU if any, else cpu), cpu, gpu or gpu:N.")
  String retrievalDevice;

  @Option(
      names = "--caption-db-layout",
      defaultValue = "ctx4j",
      paramLabel = "LAYOUT",
      description =
          "caption_db.hdf5 layout: ctx4j (one key matrix, memory-mapped; default) or original"
              + " (groups of 512 rows that the original retrieve_captions.py reads).")
  String captionDbLayout;

  @Option(names = "--compact", description = "Compact txt_ctx: caption ids + scores, resolved through the caption db.")
  boolean compact;

  @Option(names = "--skip-bad", description = "Skip bad images and list them in skipped.tsv instead of stopping.")
  boolean skipBad;

  @Option(names = "--shard", paramLabel = "i/n", converter = ShardConverter.class, description = "Only slice i (0-based) of n of the images, into files of its own; join with 'ctx4j merge'.")
  ShardConverter.Slice shard;

  @Option(names = "--threads", description = "Decode/preprocess threads (default: all cores).")
  Integer threads;

  @Option(names = "--batch-size", defaultValue = "8", description = "Images per encoder call (default: ${DEFAULT-VALUE}).")
  int batchSize;

  /** {@code --coco}, or null. */
  public Path coco() {
    return path(cocoText());
  }

  /** {@code --coco} as given (a path, or a URI such as {@code hdfs://…} for Spark), or null. */
  public String cocoText() {
    return images == null ? null : images.coco;
  }

  /** {@code --images}, or null. */
  public Path imageFolder() {
    return path(imageFolderText());
  }

  /** {@code --images} as given, or null. */
  public String imageFolderText() {
    return images == null ? null : images.imageFolder;
  }

  /** {@code --vg}, or null. */
  public Path visualGenome() {
    return path(visualGenome);
  }

  /** {@code --vg} as given, or null. */
  public String visualGenomeText() {
    return visualGenome;
  }

  /** {@code --caption-db}, or null. */
  public Path captionDb() {
    return captionDb;
  }

  /** {@code --model}. */
  public Path model() {
    return Path.of(model);
  }

  /** {@code --model} as given. */
  public String modelText() {
    return model;
  }

  private static Path path(String given) {
    return given == null ? null : Path.of(given);
  }

  /** {@code --out}, a local directory. */
  public Path out() {
    return Path.of(out);
  }

  /** {@code --out} as given (a path, or a URI such as {@code hdfs://…} for the Spark job). */
  public String outText() {
    return out;
  }

  /** Whether {@code --out} is a URI of another file system than the local one. */
  public boolean outIsRemote() {
    return isRemote(out);
  }

  /** Whether {@code location} is a URI of another file system than the local one. */
  public static boolean isRemote(String location) {
    int colon = location.indexOf("://");
    return colon > 1 && !location.substring(0, colon).equalsIgnoreCase("file");
  }

  /** {@code -k}. */
  public int topK() {
    return topK;
  }

  /** {@code --crop-k}: k per crop. */
  public Map<CropStrategy, Integer> cropK() {
    Map<CropStrategy, Integer> k = new LinkedHashMap<>();
    cropK.forEach((crop, v) -> k.put(CropStrategy.fromKey(crop.trim()), v));
    return k;
  }

  /** {@code --crops}. */
  public CropStrategy[] crops() {
    return crops.stream().map(c -> CropStrategy.fromKey(c.trim())).toArray(CropStrategy[]::new);
  }

  /** {@code --stages}, or null when not given. */
  public Set<Stage> stages() {
    return stages == null ? null : stagesToRun();
  }

  /** {@code --compact}. */
  public boolean compact() {
    return compact;
  }

  /** {@code --skip-bad}. */
  public boolean skipBad() {
    return skipBad;
  }

  /** {@code --shard} as {index, count}, or null. */
  public int[] shard() {
    return shard == null ? null : new int[] {shard.index(), shard.count()};
  }

  /** {@code --threads}, or null (all cores). */
  public Integer threads() {
    return threads;
  }

  /** {@code --batch-size}. */
  public int batchSize() {
    return batchSize;
  }

  /**
   * Refuses flag combinations and values before the model is loaded or anything is written, in
   * flag words. The Java API refuses the same ones, but its messages name its methods.
   */
  public ClipOptions.LongTexts longTextRule() {
    return switch (longTexts) {
      case "keep-end-token" -> ClipOptions.LongTexts.KEEP_END_TOKEN;
      case "as-xmodal-ctx" -> ClipOptions.LongTexts.AS_XMODAL_CTX;
      default -> throw usage("--long-texts '" + longTexts + "': use keep-end-token or as-xmodal-ctx");
    };
  }

  /** {@code --index}, {@code --nlist}, {@code --nprobe}, {@code --key-precision}, {@code --retrieval-device}. */
  public RetrievalOptions retrieval() {
    RetrievalOptions options;
    switch (index) {
      case "exact" -> {
        if (nlist != null || nprobe != null) {
          throw usage("--nlist and --nprobe are IVF settings: add --index ivf");
        }
        options = RetrievalOptions.exact();
      }
      case "ivf" -> {
        IvfOptions ivf = IvfOptions.defaults();
        if (nlist != null) {
          atLeastOne("--nlist", nlist);
          ivf = ivf.withNlist(nlist);
        }
        if (nprobe != null) {
          atLeastOne("--nprobe", nprobe);
          ivf = ivf.withNprobe(nprobe);
        }
        options = RetrievalOptions.ivf(ivf);
      }
      default -> throw usage("--index '" + index + "': use exact or ivf");
    }
    KeyPrecision precision =
        switch (keyPrecision) {
          case "fp32" -> KeyPrecision.FLOAT32;
          case "fp16" -> KeyPrecision.FLOAT16;
          case "bf16" -> KeyPrecision.BFLOAT16;
          default -> throw usage("--key-precision '" + keyPrecision + "': use fp32, fp16 or bf16");
        };
    if (precision != KeyPrecision.FLOAT32) {
      if (options.ivf().isPresent()) {
        throw usage("--key-precision " + keyPrecision + " is for the exact index, not --index ivf");
      }
      options = options.withKeyPrecision(precision);
    }
    if (retrievalDevice.equals("auto")) {
      return options;
    }
    if (retrievalDevice.equals("cpu")) {
      return options.onCpu();
    }
    if (!retrievalDevice.matches("gpu(:\\d+)?")) {
      throw usage("--retrieval-device '" + retrievalDevice + "': use auto, cpu, gpu or gpu:N");
    }
    if (options.ivf().isPresent() || precision != KeyPrecision.FLOAT32) {
      throw usage("--retrieval-device " + retrievalDevice
          + ": the GPU index is exact with fp32 keys (drop --index ivf / --key-precision)");
    }
    int gpu = retrievalDevice.contains(":") ? Integer.parseInt(retrievalDevice.substring(4)) : 0;
    return options.on(DjlTopKIndex.onDevice(Device.gpu(gpu)));
  }

  /** {@code --backend}. */
  public ClipOptions.Backend backend() {
    return switch (backend) {
      case "auto" -> ClipOptions.Backend.AUTO;
      case "java" -> ClipOptions.Backend.JAVA;
      case "pytorch" -> ClipOptions.Backend.PYTORCH;
      case "onnx" -> ClipOptions.Backend.ONNX;
      default -> throw usage("--backend '" + backend + "': use auto, java, onnx or pytorch");
    };
  }

  /** {@code --caption-db-layout}: whether the caption db is written in the original's layout. */
  public boolean captionDbInOriginalLayout() {
    return switch (captionDbLayout) {
      case "ctx4j" -> false;
      case "original" -> true;
      default ->
          throw usage("--caption-db-layout '" + captionDbLayout + "': use ctx4j or original");
    };
  }

  /** Checks the flags as {@code ctx4j build} does; throws a ParameterException in flag words. */
  public void check() {
    check(false);
  }

  /**
   * As {@link #check()}; with {@code hadoopUrisAllowed} (the Spark job) {@code --coco}, {@code
   * --images}, {@code --vg}, {@code --model} and {@code --out} may be URIs of another file system
   * (e.g. {@code hdfs://}), which are not checked here.
   */
  public void check(boolean hadoopUrisAllowed) {
    if (!hadoopUrisAllowed) {
      String[][] locations = {
        {"--coco", cocoText()}, {"--images", imageFolderText()}, {"--vg", visualGenome},
        {"--model", model}, {"--out", out}
      };
      for (String[] flag : locations) {
        if (flag[1] != null && isRemote(flag[1])) {
          throw usage(
              flag[0] + " " + flag[1] + ": this command reads and writes local paths (URIs such as"
                  + " hdfs:// are for the Spark job)");
        }
      }
    }
    longTextRule();
    backend();
    captionDbInOriginalLayout();
    retrieval();
    Set<Stage> run = stagesToRun();
    boolean needImages = run.contains(Stage.VISUAL) || run.contains(Stage.TEXTUAL);
    if (needImages && images == null) {
      throw usage("give the images with --coco DIR or --images DIR (or only --stages caption-db with --vg)");
    }
    if (run.contains(Stage.CAPTION_DB) && visualGenome == null) {
      throw usage("--stages caption-db needs --vg DIR (Visual Genome attributes.json, relationships.json)");
    }
    if (run.contains(Stage.CAPTION_DB) && captionDb != null) {
      throw usage(
          "--caption-db " + captionDb + " and --vg both give the caption db (--vg builds one): drop one of them");
    }
    if (run.contains(Stage.CAPTION_DB) && shard != null) {
      throw usage(
          "--shard with --stages caption-db: build the caption db once without --shard"
              + " (--stages caption-db --vg DIR), then run each shard with --stages visual,textual");
    }
    atLeastOne("-k", topK);
    atLeastOne("--batch-size", batchSize);
    if (threads != null) {
      atLeastOne("--threads", threads);
    }
    List<String> cropKeys = crops.stream().map(c -> crop("--crops", c).key()).toList();
    cropK.forEach(
        (crop, k) -> {
          String key = crop("--crop-k", crop).key();
          if (!cropKeys.contains(key)) {
            throw usage("--crop-k " + crop + "=" + k + " names a crop not in --crops " + String.join(",", crops));
          }
          atLeastOne("--crop-k " + crop, k);
        });
    if (captionDb != null && !Files.isRegularFile(captionDb)) {
      throw usage("--caption-db " + captionDb + ": no such file");
    }
    if (outIsRemote()) {
      return; // the Spark job checks it through Hadoop
    }
    if (run.contains(Stage.TEXTUAL)
        && !run.contains(Stage.CAPTION_DB)
        && captionDb == null
        && !Files.isRegularFile(out().resolve("caption_db.hdf5"))) {
      throw usage(
          "no caption db in --out " + out + ": give --vg DIR to build one, or --caption-db FILE");
    }
    OutputDirectory.requireWritable(spec.commandLine(), "--out", out());
  }

  /** The stages the build will run, as {@link ContextBuilder} chooses them from the inputs. */
  private Set<Stage> stagesToRun() {
    if (stages != null) {
      Set<Stage> run = EnumSet.noneOf(Stage.class);
      for (String name : stages) {
        try {
          run.add(stage(name));
        } catch (IllegalArgumentException e) {
          throw usage(e.getMessage());
        }
      }
      return run;
    }
    Set<Stage> run = EnumSet.noneOf(Stage.class);
    if (visualGenome != null && shard == null) {
      run.add(Stage.CAPTION_DB);
    }
    if (images != null || visualGenome == null) {
      run.add(Stage.VISUAL);
      run.add(Stage.TEXTUAL);
    }
    return run;
  }

  private CropStrategy crop(String flag, String key) {
    try {
      return CropStrategy.fromKey(key.trim());
    } catch (IllegalArgumentException e) {
      throw usage(flag + ": " + e.getMessage());
    }
  }

  private void atLeastOne(String flag, int value) {
    if (value < 1) {
      throw usage(flag + " " + value + ": must be at least 1");
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  static Stage stage(String name) {
    switch (name.trim()) {
      case "caption-db":
        return Stage.CAPTION_DB;
      case "visual":
        return Stage.VISUAL;
      case "textual":
        return Stage.TEXTUAL;
      default:
        throw new IllegalArgumentException(
            "--stages: unknown stage '" + name + "': expected caption-db, visual or textual");
    }
  }
}
