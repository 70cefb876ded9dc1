package org.ctx4j.spark;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileStore;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * A Hadoop file system ({@code hdfs://}, {@code s3a://}, …) seen read-only through {@code
 * java.nio.file}, so that the build's inputs (COCO annotations and images, Visual Genome) are read
 * by the same code as local files: {@code Files.readAllBytes}, {@code Files.newInputStream}, {@code
 * Files.readAttributes}, {@code Files.list} work on its {@link HadoopPath}s; writes are refused.
 *
 * <p>File attributes come from directory listings, each directory listed once per instance: a
 * build asks for the size and time of every image (the image list's digest) and whether it exists,
 * which would be three name-node calls per image, and a listing returns a thousand entries per
 * call. So one instance sees its inputs as they were when first listed; make one per build (task)
 * and no longer-lived.
 */
final class ReadOnlyHadoopFileSystem extends java.nio.file.FileSystem {
  /** What a listing keeps of each entry. */
  record Entry(boolean directory, long length, long modifiedMillis) {
    static Entry of(FileStatus s) {
      return new Entry(s.isDirectory(), s.getLen(), s.getModificationTime());
    }
  }

  private final FileSystem hadoop;
  private final String scheme;
  private final String authority;
  private final ReadOnlyHadoopProvider provider = new ReadOnlyHadoopProvider();
  /** Entries by absolute path text ({@code /a/b}), from the listings of their directories. */
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  /** The names in each directory listed so far; empty for a directory found absent. */
  private final Map<String, Optional<List<String>>> children = new ConcurrentHashMap<>();
  /** Small files just read whole, by absolute path text, for the read that follows. */
  private final Map<String, byte[]> recent = new LinkedHashMap<>();

  /** A view of {@code hadoop}, whose scheme and authority prefix every absolute path. */
  ReadOnlyHadoopFileSystem(FileSystem hadoop) {
    this.hadoop = hadoop;
    URI u = hadoop.getUri();
    this.scheme = u.getScheme();
    this.authority = u.getAuthority();
  }

  FileSystem hadoop() {
    return hadoop;
  }

  /** {@code scheme://authority}, without a path: how absolute paths print. */
  String prefix() {
    return scheme + "://" + (authority == null ? "" : authority);
  }

  /** The URI of the absolute path {@code path} ({@code /a/b}) on this file system. */
  URI uri(String path) {
    try {
      return new URI(scheme, authority, path, null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("no URI for " + path + " on " + prefix(), e);
    }
  }

  Path workingDirectory() {
    return HadoopPath.parse(this, hadoop.getWorkingDirectory().toUri().getPath());
  }

  /**
   * The entry at {@code path}, from its directory's listing (made on first need).
   *
   * @throws NoSuchFileException when there is none
   */
  Entry entry(HadoopPath path) throws IOException {
    HadoopPath absolute = absolute(path);
    String text = absolute.absoluteText();
    Entry known = entries.get(text);
    if (known != null) {
      return known;
    }
    HadoopPath parent = (HadoopPath) absolute.getParent();
    if (parent == null) { // the root
      return Entry.of(hadoop.getFileStatus(absolute.hadoopPath()));
    }
    try {
      childNames(parent);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(path.toString());
    }
    known = entries.get(text);
    if (known == null) {
      throw new NoSuchFileException(path.toString());
    }
    return known;
  }

  /**
   * The names in directory {@code dir}, sorted; listed once per instance (its entries recorded).
   *
   * @throws NoSuchFileException when there is no such directory
   */
  synchronized List<String> childNames(HadoopPath dir) throws IOException {
    HadoopPath absolute = absolute(dir);
    String text = absolute.absoluteText();
    Optional<List<String>> names = children.get(text);
    if (names == null) {
      names = Optional.empty();
      try {
        String prefix = text.equals("/") ? "/" : text + "/";
        List<String> found = new ArrayList<>();
        for (FileStatus child : hadoop.listStatus(absolute.hadoopPath())) {
          if (child.isFile() && child.getPath().toUri().getPath().equals(text)) {
            break; // listing a file gives the file: not a directory
          }
          entries.put(prefix + child.getPath().getName(), Entry.of(child));
          found.add(child.getPath().getName());
        }
        if (!found.isEmpty() || entry(absolute).directory()) {
          Collections.sort(found);
          names = Optional.of(List.copyOf(found));
        }
      } catch (FileNotFoundException | NoSuchFileException e) {
        // absent: recorded as such
      }
      children.put(text, names);
    }
    return names.orElseThrow(() -> new NoSuchFileException(dir.toString()));
  }

  /** Keeps the bytes of {@code file} just read whole for its next read (16 files at most). */
  synchronized void keepRecent(HadoopPath file, byte[] bytes) {
    recent.put(absolute(file).absoluteText(), bytes);
    if (recent.size() > RECENT_FILES) {
      recent.remove(recent.keySet().iterator().next()); // the oldest
    }
  }

  /** The bytes of {@code file} kept by {@link #keepRecent}, now no longer kept; or null. */
  synchronized byte[] takeRecent(HadoopPath file) {
    return recent.remove(absolute(file).absoluteText());
  }

  private static final int RECENT_FILES = 16;

  private static HadoopPath absolute(HadoopPath path) {
    return (HadoopPath) path.toAbsolutePath().normalize();
  }

  @Override
  public ReadOnlyHadoopProvider provider() {
    return provider;
  }

  @Override
  public void close() {
    // The Hadoop file system is Hadoop's shared cached instance: not ours to close.
  }

  @Override
  public boolean isOpen() {
    return true;
  }

  @Override
  public boolean isReadOnly() {
    return true;
  }

  @Override
  public String getSeparator() {
    return "/";
  }

  @Override
  public Iterable<Path> getRootDirectories() {
    return List.of(HadoopPath.parse(this, "/"));
  }

  @Override
  public Iterable<FileStore> getFileStores() {
    return List.of();
  }

  @Override
  public Set<String> supportedFileAttributeViews() {
    return Set.of("basic");
  }

  @Override
  public Path getPath(String first, String... more) {
    StringBuilder text = new StringBuilder(first);
    for (String m : more) {
      text.append('/').append(m);
    }
    return HadoopPath.parse(this, text.toString());
  }

  @Override
  public PathMatcher getPathMatcher(String syntaxAndPattern) {
    throw new UnsupportedOperationException("no path matchers on " + prefix());
  }

  @Override
  public UserPrincipalLookupService getUserPrincipalLookupService() {
    throw new UnsupportedOperationException("no user principals on " + prefix());
  }

  @Override
  public WatchService newWatchService() {
    throw new UnsupportedOperationException("no watch service on " + prefix());
  }
}
