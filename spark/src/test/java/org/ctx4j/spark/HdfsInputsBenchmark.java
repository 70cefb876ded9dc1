package org.ctx4j.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.ctx4j.core.BuildReport;
import org.ctx4j.testing.DemoData;
import org.ctx4j.testing.TinyClipModels;
import org.ctx4j.testing.TinyClipSpec;

/**
 * What reading the inputs through Hadoop's API costs (a benchmark program, not a test): the same
 * Spark build on {@code local[2]} of {@code N} generated images with the tiny model, its inputs
 * (COCO, Visual Genome, model) once on local disk and once on an HDFS started in this JVM
 * ({@code MiniDFSCluster}, one DataNode; uploaded with their files' times), the output on local
 * disk; alternated {@code ROUNDS} times; the three files must be the same. Usage: {@code
 * HdfsInputsBenchmark DIR [N] [ROUNDS] [PARTS]} (defaults 2000, 3, 2).
 */
public final class HdfsInputsBenchmark {
  private HdfsInputsBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int parts = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    Path data = dir.resolve("data-" + n);
    if (!Files.exists(data)) {
      DemoData.write(data, n, 3);
    }
    Path model = dir.resolve("model");
    if (!Files.exists(model)) {
      TinyClipModels.write(model, TinyClipSpec.tiny(), 7);
    }
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs").toString());
    MiniDFSCluster hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    SparkSession spark = null;
    try {
      hdfs.waitActive();
      FileSystem fs = hdfs.getFileSystem();
      String root = hdfs.getURI().toString();
      long t = System.nanoTime();
      HdfsUploads.upload(fs, data, "/data");
      HdfsUploads.upload(fs, model, "/model");
      System.out.printf(Locale.ROOT, "%d images; uploaded to %s in %.1f s%n", n, root,
          (System.nanoTime() - t) / 1e9);
      spark = SparkSession.builder().master("local[2]").appName("ctx4j hdfs inputs")
          .config("spark.ui.enabled", "false").config("spark.hadoop.dfs.replication", "1")
          .getOrCreate();
      build(spark, data.resolve("coco").toString(), data.resolve("visual_genome").toString(),
          model.toString(), dir.resolve("warm-up"), parts); // JIT, page cache, caption db
      for (int r = 1; r <= rounds; r++) {
        Path local = dir.resolve("out-local");
        double a = build(spark, data.resolve("coco").toString(),
            data.resolve("visual_genome").toString(), model.toString(), local, parts);
        Path remote = dir.resolve("out-hdfs");
        double b = build(spark, root + "/data/coco", root + "/data/visual_genome",
            root + "/model", remote, parts);
        ContextFiles.assertSame(local, remote, "inputs on HDFS");
        System.out.printf(Locale.ROOT,
            "round %d: inputs local %.1f s, inputs on HDFS %.1f s: %.3f (same bytes)%n", r, a, b,
            b / a);
      }
    } finally {
      if (spark != null) {
        spark.stop();
      }
      hdfs.shutdown();
    }
  }

  /** Wall seconds of a fresh build into {@code out}. */
  private static double build(SparkSession spark, String coco, String vg, String model, Path out,
      int parts) throws IOException {
    ImageParts.deleteTree(out);
    long t = System.nanoTime();
    BuildReport report = SparkContextBuilder.forCoco(coco).visualGenome(vg).model(model)
        .output(out.toString()).imageParts(parts).build(spark);
    if (report.images() == 0) {
      throw new IllegalStateException("no images built from " + coco);
    }
    return (System.nanoTime() - t) / 1e9;
  }
}
