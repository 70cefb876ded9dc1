package org.ctx4j.spark;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaSparkContext;
import org.ctx4j.Ctx4jException;
import org.ctx4j.core.TextEncoder;
import scala.Tuple2;

/**
 * Caption encoding across executors. The caption list is cut into contiguous slices, one task
 * each; a task encodes its slice (batch size does not change the numbers: clip-djl
 * BatchInvarianceTest) and commits a part file (a header with the encoder's numerics, then rows
 * {@code key, feature}, float32, big-endian) under {@code _ctx4j_spark/captions/}. The driver's
 * {@link PartsTextEncoder} then hands the rows, in caption order, to the ordinary caption db
 * stage, which writes the same caption db as a one-machine build.
 */
final class CaptionParts {
  static final String KIND = "captions";
  static final String FILE = "part.f32";

  private CaptionParts() {}

  static String name(int part, int count) {
    return String.format(Locale.ROOT, "part-%05d-of-%05d", part, count);
  }

  /** Runs the caption job: every slice not yet committed is encoded on an executor. */
  static void encodeAll(JavaSparkContext jsc, JobSpec spec, List<String> captions) {
    int n = Math.max(1, Math.min(spec.captionParts(), captions.size()));
    List<Tuple2<Integer, ArrayList<String>>> slices = new ArrayList<>();
    for (int p = 0; p < n; p++) {
      int from = (int) ((long) captions.size() * p / n);
      int to = (int) ((long) captions.size() * (p + 1) / n);
      slices.add(new Tuple2<>(p, new ArrayList<>(captions.subList(from, to))));
    }
    jsc.setJobDescription(
        "ctx4j caption db: encode " + captions.size() + " captions in " + n + " parts");
    jsc.parallelize(slices, n).foreach(slice -> encodePart(spec, slice._1(), n, slice._2()));
  }

  /** On an executor: encodes one slice and commits it (a no-op if already committed). */
  static void encodePart(JobSpec spec, int part, int count, List<String> texts) throws IOException {
    OutputStore store = OutputStore.open(spec.out(), spec.hadoopConfiguration());
    String dir = OutputStore.partDir(KIND, name(part, count));
    if (store.exists(dir)) {
      return;
    }
    Path local = Files.createTempFile("ctx4j-captions-" + name(part, count), ".f32");
    try {
      try (ExecutorModels.Lease lease = ExecutorModels.borrow(spec);
          DataOutputStream out =
              new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(local), 1 << 16))) {
        TextEncoder encoder = lease.model().textEncoder();
        writeHeader(out, texts.size(), encoder.embedDim(), encoder.featureDim(),
            encoder.numerics());
        for (int from = 0; from < texts.size(); from += spec.captionBatchSize()) {
          List<String> batch =
              texts.subList(from, Math.min(texts.size(), from + spec.captionBatchSize()));
          TextEncoder.TextEncoding enc = encoder.encode(batch);
          for (int i = 0; i < batch.size(); i++) {
            for (int j = 0; j < enc.embedDim(); j++) {
              out.writeFloat(enc.keys()[i * enc.embedDim() + j]);
            }
            for (int j = 0; j < enc.featureDim(); j++) {
              out.writeFloat(enc.features()[i * enc.featureDim() + j]);
            }
          }
        }
      }
      Path named = local.resolveSibling(local.getFileName() + ".d").resolve(FILE);
      Files.createDirectories(named.getParent());
      Files.move(local, named);
      try {
        store.commit(dir, List.of(named));
      } finally {
        Files.deleteIfExists(named);
        Files.deleteIfExists(named.getParent());
      }
    } finally {
      Files.deleteIfExists(local);
    }
  }

  /**
   * A part's header: its row count, the key and feature widths, and the numerics of the encoder
   * that ran on the executor (the caption db records numerics; the driver checks they are its
   * own).
   */
  static void writeHeader(
      DataOutputStream out, int rows, int embedDim, int featureDim, String numerics)
      throws IOException {
    out.writeInt(rows);
    out.writeInt(embedDim);
    out.writeInt(featureDim);
    out.writeUTF(numerics);
  }

  /**
   * The text encoder the driver gives the caption db stage: names, digests and dims of the real
   * model (so the caption db and the build settings are those of a one-machine build), rows read
   * from the committed parts. {@code encodeAll} runs on the first {@link #encode} call only: a
   * caption db already finished (a rerun) starts no Spark job.
   */
  static final class PartsTextEncoder implements TextEncoder {
    private final TextEncoder identity;
    private final OutputStore store;
    private final Supplier<Integer> runJob;
    private int parts = -1;
    private int part;
    private int leftInPart;
    private DataInputStream in;

    PartsTextEncoder(TextEncoder identity, OutputStore store, Supplier<Integer> runJob) {
      this.identity = identity;
      this.store = store;
      this.runJob = runJob;
    }

    @Override
    public int featureDim() {
      return identity.featureDim();
    }

    @Override
    public int embedDim() {
      return identity.embedDim();
    }

    @Override
    public String modelId() {
      return identity.modelId();
    }

    @Override
    public String contentDigest() {
      return identity.contentDigest();
    }

    @Override
    public String numerics() {
      return identity.numerics();
    }

    @Override
    public TextEncoding encode(List<String> texts) {
      if (parts < 0) {
        parts = runJob.get();
        part = -1;
      }
      int e = embedDim();
      int f = featureDim();
      float[] keys = new float[texts.size() * e];
      float[] features = new float[texts.size() * f];
      try {
        for (int i = 0; i < texts.size(); i++) {
          while (leftInPart == 0) {
            nextPart();
          }
          for (int j = 0; j < e; j++) {
            keys[i * e + j] = in.readFloat();
          }
          for (int j = 0; j < f; j++) {
            features[i * f + j] = in.readFloat();
          }
          leftInPart--;
        }
      } catch (EOFException eof) {
        throw new Ctx4jException("caption part " + name(part, parts) + " is truncated", eof);
      } catch (IOException ex) {
        throw new UncheckedIOException("cannot read caption part " + name(part, parts), ex);
      }
      return new TextEncoding(texts.size(), f, e, features, keys);
    }

    private void nextPart() throws IOException {
      closePart();
      part++;
      if (part >= parts) {
        throw new Ctx4jException(
            "the caption parts in " + store.path(OutputStore.WORK_DIR) + " hold fewer captions"
                + " than Visual Genome gives: delete that directory and rerun");
      }
      InputStream raw =
          store.fs().open(store.path(OutputStore.partDir(KIND, name(part, parts)) + "/" + FILE));
      in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
      leftInPart = in.readInt();
      int e = in.readInt();
      int f = in.readInt();
      String numerics = in.readUTF();
      if (e != embedDim() || f != featureDim()) {
        throw new Ctx4jException(
            "caption part " + name(part, parts) + " has dims " + e + "/" + f + ", the model "
                + embedDim() + "/" + featureDim() + ": delete " + store.path(OutputStore.WORK_DIR)
                + " and rerun");
      }
      if (!numerics.equals(numerics())) {
        // The caption db records the driver's numerics: rows computed otherwise would be
        // mislabelled (e.g. an executor on the Java route, the driver on PyTorch for want of the
        // Vector API module).
        throw new Ctx4jException(
            "caption part " + name(part, parts) + " was encoded with '" + numerics + "' on its"
                + " executor, but the driver's model runs '" + numerics() + "': give driver and"
                + " executors the same CLIP backend (--backend) and JVM flags (spark-submit gives"
                + " both --add-modules=jdk.incubator.vector), delete "
                + store.path(OutputStore.WORK_DIR + "/" + KIND) + " and rerun");
      }
    }

    private void closePart() throws IOException {
      if (in != null) {
        in.close();
        in = null;
      }
    }

    @Override
    public void close() {
      try {
        closePart();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
