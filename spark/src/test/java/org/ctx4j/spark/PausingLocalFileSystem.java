package org.ctx4j.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Hadoop's local file system with one test hook, selected on a cluster by {@code
 * spark.hadoop.fs.file.impl}: when the Hadoop setting {@value #TOKEN} names a file that exists,
 * the first image part to create its attempt directory (its work is done, not committed) takes
 * that file away, writes this JVM's pid to {@code <token>.paused} and blocks for good, so that a
 * test can kill the executor at exactly that point. In local mode (executors in the test's JVM),
 * the Hadoop setting {@value #HOLD} names a part ({@code shard-i-of-n}) whose commit waits, after
 * counting down {@link #HELD}, until the test counts down {@link #RELEASE}. Every other call is the
 * local file system's.
 */
public final class PausingLocalFileSystem extends LocalFileSystem {
  static final String TOKEN = "ctx4j.test.pause-token";
  static final String HOLD = "ctx4j.test.hold-part";
  static final CountDownLatch HELD = new CountDownLatch(1);
  static final CountDownLatch RELEASE = new CountDownLatch(1);

  @Override
  public boolean mkdirs(Path dst) throws IOException {
    String hold = getConf().get(HOLD);
    if (hold != null
        && dst.toString().contains("/" + OutputStore.WORK_DIR + "/attempts/" + hold + "-")) {
      HELD.countDown();
      try {
        RELEASE.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("held commit interrupted", e);
      }
    }
    String token = getConf().get(TOKEN);
    if (token != null
        && dst.toString().contains("/" + OutputStore.WORK_DIR + "/attempts/shard-")
        && Files.deleteIfExists(java.nio.file.Path.of(token))) {
      java.nio.file.Path paused = java.nio.file.Path.of(token + ".paused");
      java.nio.file.Path tmp = java.nio.file.Path.of(token + ".paused.tmp");
      Files.writeString(tmp, Long.toString(ProcessHandle.current().pid()), StandardCharsets.UTF_8);
      Files.move(tmp, paused, StandardCopyOption.ATOMIC_MOVE);
      try {
        new CountDownLatch(1).await(); // until the test kills this JVM
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("paused commit interrupted", e);
      }
    }
    return super.mkdirs(dst);
  }
}
