package org.ctx4j.spark;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * The job's output directory through Hadoop's FileSystem API, and the part commit protocol: a task
 * attempt moves (a mounted output) or copies its files into a directory of its own ({@code
 * _ctx4j_spark/attempts/…}) and renames that directory to the part's final name; a rename onto an
 * existing part fails, so the first attempt to finish wins and a second (retried or speculative)
 * one deletes its copy. A part whose directory exists is finished: a rerun skips it.
 */
final class OutputStore {
  static final String WORK_DIR = "_ctx4j_spark";

  private final URI out;
  private final FileSystem fs;
  /**
   * The job's settings. Renames go through a {@code FileContext} made with them, not with the
   * file system's own: Hadoop caches one {@code FileSystem} per scheme, authority and user, so the
   * instance may have been made earlier in this JVM with other settings.
   */
  private final Configuration conf;

  private OutputStore(URI out, FileSystem fs, Configuration conf) {
    this.out = out;
    this.fs = fs;
    this.conf = conf;
  }

  static OutputStore open(String out, Configuration conf) {
    URI uri = toUri(out);
    try {
      return new OutputStore(uri, FileSystem.get(uri, conf), conf);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the output file system of " + out, e);
    }
  }

  /** A URI for {@code out}; a plain path is a local one. */
  static URI toUri(String out) {
    URI uri = URI.create(out);
    return uri.getScheme() != null ? uri : java.nio.file.Path.of(out).toAbsolutePath().toUri();
  }

  /** The local path of the output when it is on the local (or a mounted shared) file system. */
  java.nio.file.Path localPath() {
    if (!"file".equals(out.getScheme())) {
      return null;
    }
    return java.nio.file.Path.of(out);
  }

  /** {@code relative} in the output; the output itself for "". */
  Path path(String relative) {
    return relative.isEmpty() ? new Path(out) : new Path(new Path(out), relative);
  }

  boolean exists(String relative) {
    try {
      return fs.exists(path(relative));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path(relative), e);
    }
  }

  /** The part's committed directory ({@code _ctx4j_spark/<kind>/<name>}). */
  static String partDir(String kind, String name) {
    return WORK_DIR + "/" + kind + "/" + name;
  }

  /**
   * Commits {@code files} (local) as part {@code partDir}; returns false when another attempt had
   * already committed it (this attempt's copy is then deleted).
   */
  boolean commit(String partDir, List<java.nio.file.Path> files) {
    if (exists(partDir)) {
      return false;
    }
    return commitAfterCheck(partDir, files);
  }

  /** {@link #commit} past its existence check: the rename alone settles a race. */
  boolean commitAfterCheck(String partDir, List<java.nio.file.Path> files) {
    Path target = path(partDir);
    String attemptDir = WORK_DIR + "/attempts/" + target.getName() + "-" + UUID.randomUUID();
    Path attempt = path(attemptDir);
    try {
      fs.mkdirs(attempt);
      java.nio.file.Path local = localPath();
      for (java.nio.file.Path f : files) {
        String name = f.getFileName().toString();
        if (local != null) {
          // A mounted output: move the file (a rename on the same file system, else a copy) rather
          // than copy it through Hadoop's checksummed local file system (a second write and a
          // CRC pass over every byte).
          Files.move(
              f, local.resolve(attemptDir).resolve(name), StandardCopyOption.REPLACE_EXISTING);
        } else {
          fs.copyFromLocalFile(false, true, new Path(f.toUri()), new Path(attempt, name));
        }
      }
      fs.mkdirs(target.getParent());
      try {
        // Unlike FileSystem.rename (which moves into an existing directory), this rename fails
        // when the target exists: on HDFS atomically.
        FileContext.getFileContext(fs.getUri(), conf)
            .rename(attempt, target, Options.Rename.NONE);
        return true;
      } catch (FileAlreadyExistsException lost) {
        fs.delete(attempt, true);
        return false;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot commit part " + target, e);
    }
  }

  FileSystem fs() {
    return fs;
  }

  /**
   * Copies {@code relative} of the output to the local file {@code to} (replacing it); false if
   * the output has no such file. For outputs the driver or an executor cannot mount.
   */
  boolean download(String relative, java.nio.file.Path to) {
    Path src = path(relative);
    java.nio.file.Path tmp = to.resolveSibling(to.getFileName() + "." + UUID.randomUUID());
    try {
      try (InputStream in = fs.open(src)) {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      } catch (FileNotFoundException absent) {
        return false;
      }
      Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + src + " to " + to, e);
    }
  }

  /**
   * Copies the local file {@code from} to {@code relative} of the output, replacing it: written
   * under a temporary name, then renamed, so a reader never sees half a file.
   */
  void upload(java.nio.file.Path from, String relative) {
    Path dst = path(relative);
    Path tmp = path(relative + ".uploading");
    try {
      fs.copyFromLocalFile(false, true, new Path(from.toUri()), tmp);
      FileContext.getFileContext(fs.getUri(), conf)
          .rename(tmp, dst, Options.Rename.OVERWRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + from + " to " + dst, e);
    }
  }

  /** The output file's length and modification time, or null if it does not exist. */
  long[] stat(String relative) {
    try {
      FileStatus st = fs.getFileStatus(path(relative));
      return new long[] {st.getLen(), st.getModificationTime()};
    } catch (FileNotFoundException absent) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path(relative), e);
    }
  }

  void delete(String relative) {
    try {
      fs.delete(path(relative), true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + path(relative), e);
    }
  }
}
