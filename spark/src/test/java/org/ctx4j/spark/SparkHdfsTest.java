package org.ctx4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.ctx4j.Ctx4jException;
import org.ctx4j.core.BuildReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds against a real HDFS: a NameNode and a DataNode in this JVM ({@code MiniDFSCluster}, from
 * Hadoop's own classes), reached by Spark's {@code local[2]} executors through {@code hdfs://}
 * URIs only. The files must be those of a one-machine build of the same data.
 */
class SparkHdfsTest {
  private static final int IMAGES = 11;

  @TempDir static Path shared;
  @TempDir Path tmp;
  private static DemoBuilds.Fixture fixture;
  private static MiniDFSCluster hdfs;
  private static FileSystem fs;
  private static URI root;
  private static SparkSession spark;

  @BeforeAll
  static void setUp() throws IOException {
    fixture = DemoBuilds.fixture(shared, IMAGES, 17, 7);
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, shared.resolve("hdfs").toString());
    hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    hdfs.waitActive();
    fs = hdfs.getFileSystem();
    root = hdfs.getURI();
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("ctx4j SparkHdfsTest")
            .config("spark.ui.enabled", "false")
            .config("spark.hadoop.dfs.replication", "1")
            .getOrCreate();
  }

  @AfterAll
  static void tearDown() {
    if (spark != null) {
      spark.stop();
    }
    if (hdfs != null) {
      hdfs.shutdown();
    }
  }

  @Test
  void anOutputOnHdfsGetsTheOneMachineBytesAndARerunRedoesNoPart() throws IOException {
    String out = root.resolve("/builds/out").toString();
    BuildReport report =
        DemoBuilds.spark(fixture.data(), fixture.model(), tmp).output(out).imageParts(3)
            .build(spark);
    assertThat(report.images()).isEqualTo(IMAGES);
    ContextFiles.assertSame(fixture.oneMachine(), fetch(out, "first"), "to " + out);

    org.apache.hadoop.fs.Path kept =
        new org.apache.hadoop.fs.Path(out, "_ctx4j_spark/images/shard-0-of-3");
    long keptTime = fs.getFileStatus(kept).getModificationTime();
    DemoBuilds.spark(fixture.data(), fixture.model(), tmp).output(out).imageParts(3).build(spark);
    assertThat(fs.getFileStatus(kept).getModificationTime()).as("part 0 not redone")
        .isEqualTo(keptTime);
    ContextFiles.assertSame(fixture.oneMachine(), fetch(out, "rerun"), "rerun to " + out);
  }

  @Test
  void inputsOnHdfsAreReadThroughHadoopAndGiveTheOneMachineBytes() throws IOException {
    // Uploaded with their files' times: the image list's digest is over names, sizes and times.
    String data = upload(fixture.data(), "/inputs/data");
    String model = upload(fixture.model(), "/inputs/model");
    String out = root.resolve("/builds/inputs-on-hdfs").toString();
    BuildReport report =
        SparkContextBuilder.forCoco(data + "/coco").visualGenome(data + "/visual_genome")
            .model(model).output(out).imageParts(2).build(spark);
    assertThat(report.images()).isEqualTo(IMAGES);
    ContextFiles.assertSame(fixture.oneMachine(), fetch(out, "inputs"), "from " + data);

    String viaCli = root.resolve("/builds/inputs-on-hdfs-cli").toString();
    assertThat(
            SparkBuild.run(
                "build", "--coco", data + "/coco", "--vg", data + "/visual_genome",
                "--model", model, "--out", viaCli, "--parts", "3"))
        .isZero();
    ContextFiles.assertSame(fixture.oneMachine(), fetch(viaCli, "cli"), "SparkBuild from " + data);
  }

  @Test
  void aBadImageOnHdfsIsNamedByItsUriAndSkippedAsOnOneMachine() throws IOException {
    String data = upload(fixture.data(), "/inputs/bad");
    Path image = DemoBuilds.image(fixture.data(), 3);
    String bad = data + "/coco/train2014/" + image.getFileName();
    try (OutputStream o = fs.create(new org.apache.hadoop.fs.Path(bad), true)) {
      o.write(new byte[] {1, 2, 3, 4, 5});
    }
    String model = upload(fixture.model(), "/inputs/bad-model/model");
    assertThatThrownBy(
            () -> SparkContextBuilder.forCoco(data + "/coco").visualGenome(data + "/visual_genome")
                .model(model).output(root.resolve("/builds/bad").toString()).imageParts(2)
                .build(spark))
        .isInstanceOf(Ctx4jException.class)
        .hasMessageContaining(bad)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "Lost task"));

    String out = root.resolve("/builds/bad-skipped").toString();
    BuildReport report =
        SparkContextBuilder.forCoco(data + "/coco").visualGenome(data + "/visual_genome")
            .model(model).output(out).imageParts(2).skipBad(true).build(spark);
    assertThat(report.skipped()).hasSize(1);
    assertThat(report.skipped().get(0).file()).hasToString(bad);
    try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(out, "skipped.tsv"))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .startsWith("id\tfile\treason\n" + report.skipped().get(0).id() + "\t" + bad + "\t");
    }
  }

  /** Copies the local tree {@code dir} to {@code to} on HDFS, keeping each file's time. */
  private static String upload(Path dir, String to) throws IOException {
    HdfsUploads.upload(fs, dir, to);
    return root.resolve(to).toString();
  }

  /** Copies the three context files of the HDFS directory {@code dir} into {@code tmp/name}. */
  private Path fetch(String dir, String name) throws IOException {
    Path local = tmp.resolve(name);
    for (String file : ContextFiles.FILES) {
      fs.copyToLocalFile(false, new org.apache.hadoop.fs.Path(dir, file),
          new org.apache.hadoop.fs.Path(local.resolve(file).toUri()), true);
    }
    return local;
  }
}
