package org.ctx4j.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;

/** Puts generated inputs on a (test) HDFS the way {@code hdfs dfs -put -p} would. */
final class HdfsUploads {
  private HdfsUploads() {}

  /**
   * Copies the local tree {@code dir} to {@code to} on {@code fs}, keeping each file's time (the
   * image list's digest records it), 16 files at a time (a MiniDFSCluster closes a file slowly).
   */
  static void upload(FileSystem fs, Path dir, String to) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (Path f : files) {
        done.add(pool.submit(() -> {
          org.apache.hadoop.fs.Path target =
              new org.apache.hadoop.fs.Path(to + "/" + dir.relativize(f).toString());
          try (OutputStream o = fs.create(target)) {
            Files.copy(f, o);
          }
          fs.setTimes(target, Files.getLastModifiedTime(f).toMillis(), -1);
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } catch (ExecutionException e) {
      throw new IOException("cannot upload " + dir + " to " + to, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while uploading " + dir, e);
    } finally {
      pool.shutdownNow();
    }
  }
}
