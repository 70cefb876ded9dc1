package org.ctx4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.sql.SparkSession;
import org.ctx4j.core.BuildReport;
import org.ctx4j.core.ContextBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark build on a real standalone cluster started by the test: a Master and two Workers of
 * one core, each its own JVM, whose executors are separate JVMs too. Same bytes as a one-machine
 * {@link ContextBuilder} build; the same after an executor is killed with SIGKILL in the middle of
 * a part; bad input as on one machine.
 */
class SparkStandaloneClusterTest {
  private static final int IMAGES = 16;

  @TempDir static Path shared;
  @TempDir Path tmp;
  private static Path data;
  private static Path model;
  private static Path oneMachine;
  private static Path pauseToken;
  private static StandaloneCluster cluster;
  private static SparkSession spark;

  @BeforeAll
  static void setUp() {
    DemoBuilds.Fixture f = DemoBuilds.fixture(shared, IMAGES, 11, 7);
    data = f.data();
    model = f.model();
    oneMachine = f.oneMachine();
    cluster = StandaloneCluster.start(shared.resolve("cluster"), 2, "1g");
    SparkSession.Builder b =
        SparkSession.builder().master(cluster.masterUrl()).appName("ctx4j cluster test");
    cluster.driverConf().forEach(b::config);
    pauseToken = shared.resolve("pause").resolve("token");
    b.config("spark.hadoop.fs.file.impl", PausingLocalFileSystem.class.getName())
        .config("spark.hadoop.fs.file.impl.disable.cache", "true")
        .config("spark.hadoop." + PausingLocalFileSystem.TOKEN, pauseToken.toString())
        .config("spark.hadoop.fs." + RemoteLikeFileSystem.SCHEME + ".impl",
            RemoteLikeFileSystem.class.getName())
        .config("spark.hadoop.fs.AbstractFileSystem." + RemoteLikeFileSystem.SCHEME + ".impl",
            RemoteLikeFileSystem.Fs.class.getName());
    spark = b.getOrCreate();
  }

  @AfterAll
  static void tearDown() {
    try {
      if (spark != null) {
        spark.stop();
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  @Test
  void sameBytesAsOneMachineOnTwoWorkers() throws IOException {
    Path out = tmp.resolve("out");
    BuildReport report =
        DemoBuilds.spark(data, model, out).imageParts(4).captionParts(3).build(spark);
    assertThat(report.images()).isEqualTo(IMAGES);
    ContextFiles.assertSame(
        oneMachine, out, "from a standalone cluster of two workers, 4 image parts");

    // Inputs and output the executor JVMs reach only through Hadoop's API (like hdfs://): they
    // read the images through it, copy the model and the output's caption db, commit through the
    // API; the driver reads the annotations through it, stages the merge and sends the files.
    Path remote = tmp.resolve("remote");
    String uri = remoteLike(remote);
    SparkContextBuilder.forCoco(remoteLike(data.resolve("coco")))
        .visualGenome(remoteLike(data.resolve("visual_genome")))
        .model(remoteLike(model))
        .output(uri).imageParts(3).build(spark);
    ContextFiles.assertSame(oneMachine, remote, "from the cluster, inputs and output at " + uri);
  }

  private static String remoteLike(Path local) {
    return RemoteLikeFileSystem.SCHEME + "://" + local.toAbsolutePath();
  }

  /**
   * An executor is killed with SIGKILL in the middle of its image part: its files are built but
   * not committed ({@link PausingLocalFileSystem}, selected by the session's {@code spark.hadoop.*}
   * settings, parks that executor when it starts committing its part and names its pid). Spark runs
   * the lost part again; the files are the same.
   */
  @Test
  void executorKilledMidPartIsRescheduledWithTheSameBytes() throws Exception {
    Files.createDirectories(pauseToken.getParent());
    Files.createFile(pauseToken);
    Path paused = pauseToken.resolveSibling(pauseToken.getFileName() + ".paused");
    AtomicReference<ProcessHandle> killed = new AtomicReference<>();
    AtomicReference<Throwable> killerError = new AtomicReference<>();
    WatchService watch = FileSystems.getDefault().newWatchService();
    pauseToken.getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE);
    Thread killer =
        new Thread(
            () -> {
              try {
                while (!Files.exists(paused)) {
                  watch.take().reset(); // a file appeared in the token's directory
                }
                long pid = Long.parseLong(Files.readString(paused).trim());
                ProcessHandle executor = ProcessHandle.of(pid).orElseThrow();
                assertThat(cluster.executors()).as("the paused JVM is an executor")
                    .contains(executor);
                executor.destroyForcibly(); // SIGKILL
                executor.onExit().get(30, TimeUnit.SECONDS);
                killed.set(executor);
              } catch (ClosedWatchServiceException stop) {
                // the build ended without a pause
              } catch (Throwable t) {
                killerError.set(t);
              }
            },
            "executor-killer");
    killer.setDaemon(true);
    killer.start();
    Path out = tmp.resolve("killed");
    try {
      DemoBuilds.spark(data, model, out).imageParts(2).captionParts(2).build(spark);
    } finally {
      watch.close();
      killer.join(Duration.ofSeconds(60).toMillis());
    }
    assertThat(killerError.get()).isNull();
    assertThat(killed.get()).as("an executor was killed in the middle of its part").isNotNull();
    assertThat(killed.get().isAlive()).isFalse();
    assertThat(pauseToken).as("the pause was taken once").doesNotExist();
    ContextFiles.assertSame(oneMachine, out, "with an executor killed mid-part");
  }

  @Test
  void badImageFailsTheJobNamingItAndSkipBadMergesTheSkippedList() throws IOException {
    DemoBuilds.assertBadImageHandledAsOnOneMachine(
        spark, model, tmp, IMAGES, 11, 3, 2, "on the cluster");
  }
}
