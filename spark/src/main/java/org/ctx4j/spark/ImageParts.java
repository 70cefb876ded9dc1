package org.ctx4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.ctx4j.BadImageException;
import org.ctx4j.Ctx4jException;
import org.ctx4j.DatasetException;
import org.ctx4j.core.Stage;

/**
 * The image pass across executors: part i of n is {@code ContextBuilder.shard(i, n)} run on an
 * executor into a local directory; its files ({@code vis_ctx.shard-i-of-n.hdf5}, {@code
 * txt_ctx…}, its manifest and skipped list) are committed under {@code _ctx4j_spark/images/}.
 * The driver then merges them as {@code ctx4j merge} does.
 */
final class ImageParts {
  static final String KIND = "images";

  private ImageParts() {}

  static String name(int part, int count) {
    return String.format(Locale.ROOT, "shard-%d-of-%d", part, count);
  }

  /**
   * Runs the image job: every part not yet committed runs on an executor. A bad input (an image
   * or dataset error, which every attempt would hit again) is not retried: the task returns it
   * and the driver throws the first one, as a one-machine build would.
   */
  static void runAll(JavaSparkContext jsc, JobSpec spec, String captionDb) {
    int n = spec.imageParts();
    List<Integer> parts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      parts.add(i);
    }
    jsc.setJobDescription("ctx4j image pass: vis_ctx and txt_ctx in " + n + " parts");
    List<Ctx4jException> bad =
        jsc.parallelize(parts, n)
            .map(i -> badInputOf(spec, captionDb, i, n))
            .filter(Objects::nonNull)
            .collect();
    if (!bad.isEmpty()) {
      throw bad.get(0);
    }
  }

  /** Runs the part; returns its bad-input error instead of failing the task, else null. */
  private static Ctx4jException badInputOf(JobSpec spec, String captionDb, int part, int count)
      throws IOException {
    try {
      runPart(spec, captionDb, part, count);
      return null;
    } catch (BadImageException | DatasetException e) {
      return e;
    }
  }

  /** On an executor: builds one part and commits it (a no-op if already committed). */
  static void runPart(JobSpec spec, String captionDb, int part, int count) throws IOException {
    OutputStore store = OutputStore.open(spec.out(), spec.hadoopConfiguration());
    String dir = OutputStore.partDir(KIND, name(part, count));
    if (store.exists(dir)) {
      return;
    }
    Path local = Files.createTempDirectory("ctx4j-" + name(part, count) + "-");
    try {
      Path[] where = taskOutput(store, captionDb, local);
      Path localOut = where[0];
      try (ExecutorModels.Lease lease = ExecutorModels.borrow(spec)) {
        spec.imageBuilder()
                .imageEncoder(lease.model().imageEncoder())
                .preprocessor(lease.model().preprocessor())
                .captionDb(where[1])
                .stages(Stage.VISUAL, Stage.TEXTUAL)
                .shard(part, count)
                .output(localOut)
                .build();
      }
      List<Path> files;
      try (Stream<Path> s = Files.list(localOut)) {
        files = s.filter(p -> isPartFile(p.getFileName().toString(), count)).sorted().toList();
      }
      store.commit(dir, files);
    } finally {
      deleteTree(local);
    }
  }

  /**
   * The task's output directory, arranged so that the caption db path recorded in txt_ctx (its
   * path relative to txt_ctx, {@code caption_db.hdf5} for the output's own) is the one a build
   * straight into the output records: the caption db is linked at that relative path under a
   * directory nested deep enough for any leading {@code ..}. Returns {output dir, caption db}.
   */
  private static Path[] taskOutput(OutputStore store, String captionDb, Path taskDir)
      throws IOException {
    Path out = store.localPath();
    if (out == null) {
      throw new Ctx4jException(
          "the output " + store.path("") + " is not a mounted path the executors can read");
    }
    Path db = captionDb != null ? Path.of(captionDb) : out.resolve("caption_db.hdf5");
    Path rel = out.toAbsolutePath().relativize(db.toAbsolutePath());
    int ups = 0;
    while (ups < rel.getNameCount() && rel.getName(ups).toString().equals("..")) {
      ups++;
    }
    Path localOut = taskDir;
    for (int i = 0; i < ups; i++) {
      localOut = localOut.resolve("up" + i);
    }
    localOut = localOut.resolve("out");
    Path link = localOut.resolve(rel).normalize();
    Files.createDirectories(link.getParent());
    Files.createSymbolicLink(link, db.toAbsolutePath());
    return new Path[] {localOut, localOut.resolve(rel)};
  }

  /**
   * The files a part commits: its vis_ctx, txt_ctx, skipped list and (of a real shard) manifest.
   * With one part the files have their final names, and the driver's manifest stays its own.
   */
  private static boolean isPartFile(String name, int count) {
    if (name.endsWith(".partial")) {
      return false;
    }
    return name.startsWith("vis_ctx")
        || name.startsWith("txt_ctx")
        || name.startsWith("skipped")
        || (count > 1 && name.startsWith("ctx4j-build.shard-"));
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
