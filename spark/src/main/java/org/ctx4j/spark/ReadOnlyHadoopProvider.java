package org.ctx4j.spark;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.spi.FileSystemProvider;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FSDataInputStream;

/**
 * The provider of {@link ReadOnlyHadoopFileSystem}s: reads, attributes and directory listings
 * through Hadoop's API; every write is refused ({@link ReadOnlyFileSystemException}). Not
 * installed: its paths are made by {@link InputPaths}, never looked up by URI scheme.
 */
final class ReadOnlyHadoopProvider extends FileSystemProvider {
  private static final Set<OpenOption> READ_OPTIONS =
      Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);

  @Override
  public String getScheme() {
    return "ctx4j-hadoop-read-only";
  }

  @Override
  public java.nio.file.FileSystem newFileSystem(URI uri, Map<String, ?> env) {
    throw new UnsupportedOperationException("made by InputPaths, not by URI");
  }

  @Override
  public java.nio.file.FileSystem getFileSystem(URI uri) {
    throw new UnsupportedOperationException("made by InputPaths, not by URI");
  }

  @Override
  public Path getPath(URI uri) {
    throw new UnsupportedOperationException("made by InputPaths, not by URI");
  }

  /**
   * A file of at most {@value #WHOLE_READ_BYTES} bytes is read whole, at one open, and its bytes
   * are kept for the next {@link #newByteChannel} of it: the build reads an image's header
   * through a stream ({@code DecodeBudget}), then the whole file ({@code Files.readAllBytes}),
   * and each open of a file on HDFS is a round trip to the name node and a data node.
   */
  @Override
  public InputStream newInputStream(Path path, OpenOption... options) throws IOException {
    HadoopPath p = own(path);
    ReadOnlyHadoopFileSystem.Entry e = p.getFileSystem().entry(p);
    if (e.directory() || e.length() > WHOLE_READ_BYTES) {
      return open(p, options);
    }
    byte[] bytes;
    try (FSDataInputStream in = open(p, options)) {
      bytes = in.readAllBytes();
    }
    p.getFileSystem().keepRecent(p, bytes);
    return new ByteArrayInputStream(bytes);
  }

  /** Files read whole by {@link #newInputStream}; at most 16 of them are kept at a time. */
  static final int WHOLE_READ_BYTES = 4 << 20;

  @Override
  public SeekableByteChannel newByteChannel(
      Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
    HadoopPath p = own(path);
    OpenOption[] opts = options.toArray(OpenOption[]::new);
    byte[] kept = p.getFileSystem().takeRecent(p);
    if (kept != null) {
      checkReadOnly(opts);
      return new BytesChannel(kept);
    }
    FSDataInputStream in = open(p, opts);
    return new ReadChannel(in, p.getFileSystem().entry(p).length());
  }

  private static void checkReadOnly(OpenOption... options) {
    for (OpenOption o : options) {
      if (!READ_OPTIONS.contains(o)) {
        throw new ReadOnlyFileSystemException();
      }
    }
  }

  private static FSDataInputStream open(Path path, OpenOption... options) throws IOException {
    HadoopPath p = own(path);
    checkReadOnly(options);
    try {
      return p.getFileSystem().hadoop().open(p.hadoopPath());
    } catch (FileNotFoundException e) {
      throw new NoSuchFileException(p.toString());
    }
  }

  @Override
  public DirectoryStream<Path> newDirectoryStream(
      Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
    HadoopPath d = own(dir);
    List<Path> accepted = new java.util.ArrayList<>();
    for (String name : d.getFileSystem().childNames(d)) {
      Path child = d.resolve(name);
      if (filter.accept(child)) {
        accepted.add(child);
      }
    }
    return new DirectoryStream<>() {
      @Override
      public Iterator<Path> iterator() {
        return accepted.iterator();
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public void createDirectory(Path dir, FileAttribute<?>... attrs) {
    throw new ReadOnlyFileSystemException();
  }

  @Override
  public void delete(Path path) {
    throw new ReadOnlyFileSystemException();
  }

  @Override
  public void copy(Path source, Path target, CopyOption... options) {
    throw new ReadOnlyFileSystemException();
  }

  @Override
  public void move(Path source, Path target, CopyOption... options) {
    throw new ReadOnlyFileSystemException();
  }

  @Override
  public boolean isSameFile(Path path, Path path2) {
    return own(path).toAbsolutePath().normalize().equals(own(path2).toAbsolutePath().normalize());
  }

  @Override
  public boolean isHidden(Path path) {
    return false;
  }

  @Override
  public FileStore getFileStore(Path path) {
    throw new UnsupportedOperationException(
        "no file stores on " + own(path).getFileSystem().prefix());
  }

  /** Existence from the directory listing; read access is found out by reading. */
  @Override
  public void checkAccess(Path path, AccessMode... modes) throws IOException {
    HadoopPath p = own(path);
    p.getFileSystem().entry(p);
    for (AccessMode m : modes) {
      if (m == AccessMode.WRITE) {
        throw new AccessDeniedException(p.toString(), null, "read-only");
      }
    }
  }

  @Override
  public <V extends FileAttributeView> V getFileAttributeView(
      Path path, Class<V> type, LinkOption... options) {
    return null; // attributes are read, never set
  }

  @Override
  @SuppressWarnings("unchecked")
  public <A extends BasicFileAttributes> A readAttributes(
      Path path, Class<A> type, LinkOption... options) throws IOException {
    if (!type.isAssignableFrom(Attributes.class)) {
      throw new UnsupportedOperationException(type.getName() + " on " + path);
    }
    HadoopPath p = own(path);
    return (A) new Attributes(p.getFileSystem().entry(p));
  }

  @Override
  public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) {
    throw new UnsupportedOperationException("attributes by name on " + path);
  }

  @Override
  public void setAttribute(Path path, String attribute, Object value, LinkOption... options) {
    throw new ReadOnlyFileSystemException();
  }

  private static HadoopPath own(Path path) {
    if (!(path instanceof HadoopPath p)) {
      throw new ProviderMismatchException(path + " is not on a Hadoop file system");
    }
    return p;
  }

  /** Basic attributes of a listing entry (Hadoop keeps no creation time: the modification's). */
  private record Attributes(ReadOnlyHadoopFileSystem.Entry entry) implements BasicFileAttributes {
    @Override
    public FileTime lastModifiedTime() {
      return FileTime.fromMillis(entry.modifiedMillis());
    }

    @Override
    public FileTime lastAccessTime() {
      return lastModifiedTime();
    }

    @Override
    public FileTime creationTime() {
      return lastModifiedTime();
    }

    @Override
    public boolean isRegularFile() {
      return !entry.directory();
    }

    @Override
    public boolean isDirectory() {
      return entry.directory();
    }

    @Override
    public boolean isSymbolicLink() {
      return false;
    }

    @Override
    public boolean isOther() {
      return false;
    }

    @Override
    public long size() {
      return entry.length();
    }

    @Override
    public Object fileKey() {
      return null;
    }
  }

  /** A channel that refuses writes. */
  private abstract static class ReadOnlyChannel implements SeekableByteChannel {
    boolean open = true;

    @Override
    public int write(ByteBuffer src) {
      throw new NonWritableChannelException();
    }

    @Override
    public SeekableByteChannel truncate(long size) {
      throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
      return open;
    }
  }

  /** A read-only channel over bytes read before. */
  private static final class BytesChannel extends ReadOnlyChannel {
    private final byte[] bytes;
    private int position;

    BytesChannel(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public int read(ByteBuffer dst) {
      if (position >= bytes.length) {
        return -1;
      }
      int n = Math.min(dst.remaining(), bytes.length - position);
      dst.put(bytes, position, n);
      position += n;
      return n;
    }


    @Override
    public long position() {
      return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) {
      position = (int) Math.min(newPosition, bytes.length);
      return this;
    }

    @Override
    public long size() {
      return bytes.length;
    }


    @Override
    public void close() {
      open = false;
    }
  }

  /** A read-only channel over a Hadoop stream; its size is the listed length. */
  private static final class ReadChannel extends ReadOnlyChannel {
    private final FSDataInputStream in;
    private final long size;

    ReadChannel(FSDataInputStream in, long size) {
      this.in = in;
      this.size = size;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      if (!dst.hasRemaining()) {
        return 0;
      }
      if (dst.hasArray()) {
        int n = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
        if (n > 0) {
          dst.position(dst.position() + n);
        }
        return n;
      }
      byte[] chunk = new byte[Math.min(dst.remaining(), 1 << 16)];
      int n = in.read(chunk, 0, chunk.length);
      if (n > 0) {
        dst.put(chunk, 0, n);
      }
      return n;
    }


    @Override
    public long position() throws IOException {
      return in.getPos();
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
      in.seek(newPosition);
      return this;
    }

    @Override
    public long size() {
      return size;
    }


    @Override
    public void close() throws IOException {
      open = false;
      in.close();
    }
  }
}
