package org.ctx4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
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
