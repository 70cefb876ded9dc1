package org.ctx4j.spark;

import java.io.IOException;
import java.net.URI;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;

/**
 * A path of a {@link ReadOnlyHadoopFileSystem}: {@code /}-separated names, absolute or relative,
 * with the semantics of a Unix path: the same strings resolve, normalize and relativize to the
 * same strings, but for the empty path, which has no name here
 * ({@code ReadOnlyHadoopFileSystemTest.pathsBehaveAsUnixPathsOfTheSameText}). An absolute path
 * prints as the file system's URI, e.g. {@code hdfs://namenode:8020/coco/train2014/x.jpg}, so
 * errors name the file as users gave it.
 */
final class HadoopPath implements Path {
  private final ReadOnlyHadoopFileSystem fs;
  private final boolean absolute;
  private final List<String> names;

  HadoopPath(ReadOnlyHadoopFileSystem fs, boolean absolute, List<String> names) {
    this.fs = fs;
    this.absolute = absolute;
    this.names = List.copyOf(names);
  }

  /** Parses {@code text}: a leading {@code /} makes it absolute; empty names are dropped. */
  static HadoopPath parse(ReadOnlyHadoopFileSystem fs, String text) {
    List<String> names = new ArrayList<>();
    for (String name : text.split("/")) {
      if (!name.isEmpty()) {
        names.add(name);
      }
    }
    return new HadoopPath(fs, text.startsWith("/"), names);
  }

  /** The Hadoop path of this (absolute) path, with the file system's scheme and authority. */
  org.apache.hadoop.fs.Path hadoopPath() {
    return new org.apache.hadoop.fs.Path(toAbsolutePath().toUri());
  }

  /** The absolute path's names joined, starting with {@code /} (no scheme, no authority). */
  String absoluteText() {
    return "/" + String.join("/", ((HadoopPath) toAbsolutePath()).names);
  }

  @Override
  public ReadOnlyHadoopFileSystem getFileSystem() {
    return fs;
  }

  @Override
  public boolean isAbsolute() {
    return absolute;
  }

  @Override
  public Path getRoot() {
    return absolute ? new HadoopPath(fs, true, List.of()) : null;
  }

  @Override
  public Path getFileName() {
    return names.isEmpty() ? null : new HadoopPath(fs, false, List.of(names.get(names.size() - 1)));
  }

  @Override
  public Path getParent() {
    if (names.isEmpty() || (!absolute && names.size() == 1)) {
      return null;
    }
    return new HadoopPath(fs, absolute, names.subList(0, names.size() - 1));
  }

  @Override
  public int getNameCount() {
    return names.size();
  }

  @Override
  public Path getName(int index) {
    return new HadoopPath(fs, false, List.of(names.get(index)));
  }

  @Override
  public Path subpath(int beginIndex, int endIndex) {
    if (beginIndex < 0 || beginIndex >= endIndex || endIndex > names.size()) {
      throw new IllegalArgumentException(
          "subpath(" + beginIndex + ", " + endIndex + ") of " + names.size() + " names");
    }
    return new HadoopPath(fs, false, names.subList(beginIndex, endIndex));
  }

  @Override
  public boolean startsWith(Path other) {
    if (!(other instanceof HadoopPath o) || o.fs != fs || o.absolute != absolute
        || o.names.size() > names.size()) {
      return false;
    }
    if (!absolute && o.names.isEmpty()) {
      return names.isEmpty(); // "" starts only "" (as on Unix)
    }
    return names.subList(0, o.names.size()).equals(o.names);
  }

  @Override
  public boolean endsWith(Path other) {
    if (!(other instanceof HadoopPath o) || o.fs != fs || o.names.size() > names.size()) {
      return false;
    }
    if (o.absolute) {
      return equals(o);
    }
    if (o.names.isEmpty()) {
      return names.isEmpty() && !absolute;
    }
    return names.subList(names.size() - o.names.size(), names.size()).equals(o.names);
  }

  @Override
  public Path normalize() {
    List<String> out = new ArrayList<>();
    for (String name : names) {
      if (name.equals(".")) {
        continue;
      }
      if (name.equals("..")) {
        if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
          out.remove(out.size() - 1);
          continue;
        }
        if (absolute) {
          continue; // "/.." is "/"
        }
      }
      out.add(name);
    }
    return new HadoopPath(fs, absolute, out);
  }

  @Override
  public Path resolve(Path other) {
    HadoopPath o = own(other);
    if (o.absolute) {
      return o;
    }
    List<String> joined = new ArrayList<>(names);
    joined.addAll(o.names);
    return new HadoopPath(fs, absolute, joined);
  }

  /** As on Unix: both paths normalized first; refused where this one climbs out of a name. */
  @Override
  public Path relativize(Path other) {
    HadoopPath o = own(other);
    if (o.absolute != absolute) {
      throw new IllegalArgumentException("'other' is different type of Path: " + this + ", " + o);
    }
    List<String> from = ((HadoopPath) normalize()).names;
    List<String> to = ((HadoopPath) o.normalize()).names;
    int common = 0;
    while (common < from.size() && common < to.size() && from.get(common).equals(to.get(common))) {
      common++;
    }
    List<String> rel = new ArrayList<>();
    for (String name : from.subList(common, from.size())) {
      if (name.equals("..")) { // no name to climb back into
        throw new IllegalArgumentException("cannot relativize " + o + " against " + this);
      }
      rel.add("..");
    }
    rel.addAll(to.subList(common, to.size()));
    return new HadoopPath(fs, false, rel);
  }

  @Override
  public URI toUri() {
    return fs.uri(absoluteText());
  }

  @Override
  public Path toAbsolutePath() {
    return absolute ? this : fs.workingDirectory().resolve(this);
  }

  @Override
  public Path toRealPath(LinkOption... options) throws IOException {
    Path real = toAbsolutePath().normalize();
    fs.provider().checkAccess(real);
    return real;
  }

  @Override
  public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events,
      WatchEvent.Modifier... modifiers) {
    throw new UnsupportedOperationException("no watch service on " + fs.prefix());
  }

  @Override
  public int compareTo(Path other) {
    return toString().compareTo(((HadoopPath) other).toString());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HadoopPath p && p.fs == fs && p.absolute == absolute
        && p.names.equals(names);
  }

  @Override
  public int hashCode() {
    return names.hashCode() * 31 + (absolute ? 1 : 0);
  }

  @Override
  public String toString() {
    String joined = String.join("/", names);
    return absolute ? fs.prefix() + "/" + joined : joined;
  }

  private HadoopPath own(Path other) {
    if (!(other instanceof HadoopPath o) || o.fs != fs) {
      throw new ProviderMismatchException(other + " is not a path of " + fs.prefix());
    }
    return o;
  }
}
