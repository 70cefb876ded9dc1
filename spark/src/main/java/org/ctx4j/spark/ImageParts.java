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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.ctx4j.BadImageException;
import org.ctx4j.BuildInterruptedException;
import org.ctx4j.Ctx4jException;
import org.ctx4j.DatasetException;
import org.ctx4j.core.Stage;

/**
 * The image pass across executors: part i of n is {@code ContextBuilder.shard(i, n)} run on an
 * executor into a local directory; its files ({@code vis_ctx.shard-i-of-n.hdf5}, {@code
 * txt_ctx…}, its manifest and skipped list) are committed under {@code _ctx4j_spark/images/}.
 * The driver publishes and merges each part as soon as it and the parts before it are committed,
 * while later parts still run ({@code ShardMerge}).
 */
final class ImageParts {
  static final String KIND = "images";
  static final String CAPTION_DB = "caption_db.hdf5";

  private ImageParts() {}

  static String name(int part, int count) {
    return String.format(Locale.ROOT, "shard-%d-of-%d", part, count);
  }

  /** How long the driver waits on the job between looks for newly committed parts. */
  private static final long POLL_MILLIS = 200;

  /**
   * Runs the image job: every part not yet committed runs on an executor. While it runs, the
   * driver hands each committed part to {@code committedInOrder} in part order (0, 1, …) as soon
   * as it and every part before it are committed, so that merging overlaps building; parts
   * committed by an earlier run are handed over first. A bad input (an image or dataset error,
   * which every attempt would hit again) is not retried: the task returns it and the driver throws
   * the first one, as a one-machine build would. If {@code committedInOrder} throws, the job is
   * cancelled.
   */
  static void runAll(
      JavaSparkContext jsc, JobSpec spec, String captionDb, OutputStore store,
      IntConsumer committedInOrder) {
    int n = spec.imageParts();
    List<Integer> parts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      parts.add(i);
    }
    jsc.setJobDescription("ctx4j image pass: vis_ctx and txt_ctx in " + n + " parts");
    JavaFutureAction<List<Ctx4jException>> job =
        jsc.parallelize(parts, n)
            .map(i -> badInputOf(spec, captionDb, i, n))
            .filter(Objects::nonNull)
            .collectAsync();
    int next = 0;
    try {
      while (true) {
        while (next < n && store.exists(OutputStore.partDir(KIND, name(next, n)))) {
          committedInOrder.accept(next++);
        }
        if (job.isDone()) {
          break;
        }
        try {
          job.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillRunning) {
          // look for committed parts again
        }
      }
      List<Ctx4jException> bad = job.get();
      if (!bad.isEmpty()) {
        throw bad.get(0);
      }
      while (next < n) {
        if (!store.exists(OutputStore.partDir(KIND, name(next, n)))) {
          throw new IllegalStateException(
              "image part " + next + " is not committed after its job finished");
        }
        committedInOrder.accept(next++);
      }
    } catch (ExecutionException e) {
      throw TaskFailures.translate(e.getCause() instanceof Exception x ? x : e);
    } catch (InterruptedException e) {
      job.cancel(true);
      Thread.currentThread().interrupt();
      throw new BuildInterruptedException("interrupted while the image job ran");
    } catch (RuntimeException e) {
      job.cancel(true);
      throw e;
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
      Path[] where = taskOutput(store, captionDb, local, spec.retrieval().searchesMappedKeys());
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
  private static Path[] taskOutput(
      OutputStore store, String captionDb, Path taskDir, boolean mappedKeys)
      throws IOException {
    Path out = store.localPath();
    Path db;
    Path rel;
    if (out != null) {
      db = captionDb != null ? Path.of(captionDb) : out.resolve(CAPTION_DB);
      rel = out.toAbsolutePath().relativize(db.toAbsolutePath());
    } else { // the output's own caption db (the driver refuses another), copied here once
      db = ExecutorCaptionDbs.local(store, CAPTION_DB, mappedKeys);
      rel = Path.of(CAPTION_DB);
    }
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
