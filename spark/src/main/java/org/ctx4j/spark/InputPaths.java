package org.ctx4j.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.ctx4j.cli.BuildFlags;

/**
 * Where the job's inputs are read: a path every executor mounts, or a URI of any file system
 * Hadoop's API reaches ({@code hdfs://}, {@code s3a://}). Images and annotations on such a file
 * system are read in place through {@link ReadOnlyHadoopFileSystem}; a model is copied once per
 * JVM to its temporary directory, since PyTorch and ONNX Runtime load files from local disk.
 */
final class InputPaths {
  private InputPaths() {}

  /** Whether {@code location} names another file system than the local (mounted) one. */
  static boolean isRemote(String location) {
    return BuildFlags.isRemote(location);
  }

  /**
   * The path to read {@code location} at: a local path (a {@code file:} URI too), or a path of a
   * fresh {@link ReadOnlyHadoopFileSystem} (its listings are this call's own).
   */
  static Path resolve(String location, Configuration conf) {
    if (!isRemote(location)) {
      return location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
    }
    URI uri = URI.create(location);
    try {
      ReadOnlyHadoopFileSystem fs = new ReadOnlyHadoopFileSystem(FileSystem.get(uri, conf));
      return fs.getPath(uri.getPath().isEmpty() ? "/" : uri.getPath());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the file system of " + location, e);
    }
  }

  /**
   * The model directory at {@code location} as a local directory: itself when mounted, else a
   * copy in this JVM's temporary directory named by the location and its files' names, lengths
   * and times (a changed model gets a new copy; the copy keeps the directory's name, which is
   * the model's id). Copied into a fresh directory and moved into place, so a JVM that finds the
   * copy finds it whole.
   */
  static synchronized Path localModel(String location, Configuration conf) {
    if (!isRemote(location)) {
      return resolve(location, conf);
    }
    Path remote = resolve(location, conf);
    try {
      List<Path> files;
      try (Stream<Path> walk = Files.walk(remote)) {
        files = walk.filter(Files::isRegularFile).sorted().toList();
      }
      StringBuilder key = new StringBuilder(location);
      for (Path f : files) {
        key.append('\0').append(remote.relativize(f)).append('\0').append(Files.size(f))
            .append('\0').append(Files.getLastModifiedTime(f).toMillis());
      }
      Path base = Path.of(System.getProperty("java.io.tmpdir"),
          "ctx4j-model-" + ExecutorCaptionDbs.shortHash(key.toString()));
      String name = remote.getFileName() == null ? "model" : remote.getFileName().toString();
      Path local = base.resolve(name);
      if (Files.isDirectory(local)) {
        return local;
      }
      Files.createDirectories(base);
      Path incoming = Files.createTempDirectory(base, "incoming-");
      for (Path f : files) {
        Path to = incoming.resolve(remote.relativize(f).toString());
        Files.createDirectories(to.getParent());
        try (InputStream in = Files.newInputStream(f)) {
          Files.copy(in, to);
        }
      }
      try {
        Files.move(incoming, local, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileSystemException e) {
        ImageParts.deleteTree(incoming);
        if (!Files.isDirectory(local)) {
          throw e;
        } // else another JVM of this machine moved its copy first
      }
      return local;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the model " + location + " to local disk", e);
    }
  }
}
