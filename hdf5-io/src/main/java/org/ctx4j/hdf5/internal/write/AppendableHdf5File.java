package org.ctx4j.hdf5.internal.write;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.ctx4j.DuplicateImageException;
import org.ctx4j.Hdf5WriteException;
import org.ctx4j.IncompatibleContextFileException;

/**
 * The crash-safe, append-only HDF5 file behind the context writers. Bytes go to {@code
 * <file>.partial}, whose superblock stays zeroed (no HDF5 reader accepts it) until {@link #finish}.
 * Completed images are recorded in {@code <file>.journal} after their bytes are forced to disk, at
 * most every {@code syncIntervalNanos}; {@code open} on a leftover partial file truncates it to the
 * last recorded image and continues from there. {@link #finish} appends a writer trailer, the
 * root group (attributes, symbol table over all images), writes the superblock, forces, and renames
 * the partial file to {@code <file>} atomically. {@code open} on a finished file turns it back into
 * an interrupted run (see {@link FinishedFileReopener}).
 *
 * <p>Not thread-safe: the public writers synchronise.
 */
final class AppendableHdf5File implements AutoCloseable {
  /** Default time between forced commits: what a kill -9 or power loss can cost at most. */
  public static final long DEFAULT_SYNC_INTERVAL_NANOS = 5_000_000_000L;


  private final Path file;
  private final Path partial;
  private final Path journalPath;
  private final FileChannel channel;
  private final FileSink sink;
  private final WriteJournal journal;
  private final RootIndex index;
  private final long syncIntervalNanos;
  private final String descriptor;

  private long[] pendingIds = new long[1024];
  private long[] pendingAddresses = new long[1024];
  private long[] pendingEnds = new long[1024];
  private int pending;
  private long lastSync = System.nanoTime();
  private boolean closed;
  private boolean broken;

  private AppendableHdf5File(
      Path file,
      String descriptor,
      FileChannel channel,
      long end,
      WriteJournal journal,
      RootIndex index,
      long sync) {
    this.file = file;
    this.descriptor = descriptor;
    this.partial = partialOf(file);
    this.journalPath = journalOf(file);
    this.channel = channel;
    this.sink = new FileSink(channel, end);
    this.journal = journal;
    this.index = index;
    this.syncIntervalNanos = sync;
  }

  public static Path partialOf(Path file) {
    return file.resolveSibling(file.getFileName() + ".partial");
  }

  public static Path journalOf(Path file) {
    return file.resolveSibling(file.getFileName() + ".journal");
  }

  /**
   * Starts writing {@code file}, or resumes an interrupted or finished run of it that carries the
   * same {@code descriptor}.
   *
   * @throws IncompatibleContextFileException if the existing run has another descriptor or was
   *     not written by ctx4j
   */
  public static AppendableHdf5File open(Path file, String descriptor, long syncIntervalNanos) {
    Path partial = partialOf(file);
    Path journalPath = journalOf(file);
    try {
      if (Files.exists(file)) {
        if (Files.exists(partial)) {
          throw new IncompatibleContextFileException(
              file, "both " + file + " and " + partial + " exist; remove the one you don't want");
        }
        reopenFinished(file, descriptor);
      }
      if (Files.exists(partial) && Files.exists(journalPath)) {
        WriteJournal.Contents c = WriteJournal.read(journalPath);
        if (c.descriptor() != null) {
          checkSameDescriptor(file, partial, c.descriptor(), descriptor);
          return resume(file, c, descriptor, syncIntervalNanos);
        }
      }
      // Nothing resumable: a partial without a readable journal never recorded an image.
      Files.deleteIfExists(partial);
      FileChannel ch =
          FileChannel.open(
              partial,
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE,
              StandardOpenOption.READ);
      ch.write(Superblock.blank(), 0);
      WriteJournal journal = WriteJournal.create(journalPath, descriptor);
      return new AppendableHdf5File(
          file, descriptor, ch, Superblock.SIZE, journal, new RootIndex(), syncIntervalNanos);
    } catch (IOException e) {
      throw new Hdf5WriteException(file, "cannot open " + partial + " for writing: " + e, e);
    }
  }

  private static void checkSameDescriptor(Path file, Path existing, String found, String wanted) {
    if (!found.equals(wanted)) {
      throw new IncompatibleContextFileException(
          file,
          "cannot resume "
              + existing
              + ": it was written with ["
              + found.replace('\n', ' ').trim()
              + "] but this writer has ["
              + wanted.replace('\n', ' ').trim()
              + "]; delete "
              + existing
              + " (and "
              + journalOf(file).getFileName()
              + ") to start over");
    }
  }

  /**
   * Makes a finished file an interrupted run again: journal of its images first (durable), then
   * the atomic rename back to {@code .partial}; a crash in between leaves the finished file, which
   * the next open reopens the same way.
   */
  private static void reopenFinished(Path file, String descriptor) throws IOException {
    FinishedFileReopener.State s = FinishedFileReopener.read(file);
    checkSameDescriptor(file, file, s.descriptor(), descriptor);
    long[] ends = new long[s.ids().length];
    Arrays.fill(ends, s.dataEnd());
    try (WriteJournal j = WriteJournal.create(journalOf(file), descriptor)) {
      j.append(s.ids(), s.addresses(), ends, s.ids().length);
    }
    try {
      Files.move(file, partialOf(file), StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(file, partialOf(file));
    }
  }

  private static AppendableHdf5File resume(
      Path file, WriteJournal.Contents c, String descriptor, long sync) throws IOException {
    RootIndex index = new RootIndex();
    long end = Superblock.SIZE;
    for (int i = 0; i < c.ids().length; i++) {
      index.add(c.ids()[i], c.addresses()[i]);
      end = Math.max(end, c.ends()[i]);
    }
    FileChannel ch =
        FileChannel.open(partialOf(file), StandardOpenOption.WRITE, StandardOpenOption.READ);
    if (ch.size() < end) {
      ch.close();
      throw new Hdf5WriteException(
          file,
          partialOf(file)
              + " is shorter ("
              + Files.size(partialOf(file))
              + " bytes) than its journal says ("
              + end
              + "); delete it and its .journal to start over");
    }
    ch.truncate(end);
    ch.write(Superblock.blank(), 0); // a crash during an earlier finish may have left one
    WriteJournal journal = WriteJournal.reopen(journalOf(file), c.validBytes());
    return new AppendableHdf5File(file, descriptor, ch, end, journal, index, sync);
  }

  public Path file() {
    return file;
  }

  FileSink sink() {
    return sink;
  }

  public boolean isComplete(long id) {
    return index.contains(id);
  }

  public int completedCount() {
    return index.size();
  }

  /**
   * Images whose bytes are on disk and journalled: what a later {@link #open} resumes with. Images
   * appended since the last commit, or lost to a failed one, are not.
   */
  public int durableCount() {
    return index.size() - pending;
  }

  /** Fails if the file is closed or broken, or {@code id} was written already. */
  public void checkWritable(long id) {
    if (closed) {
      throw new IllegalStateException("writer of " + file + " is closed; cannot write image " + id);
    }
    if (broken) {
      throw new IllegalStateException(
          "writer of " + file + " failed earlier; reopen it to resume (image " + id + ")");
    }
    if (index.contains(id)) {
      throw new DuplicateImageException(file, id);
    }
  }

  /** Runs an append of one image; on I/O failure marks the writer broken and wraps the error. */
  public void append(long id, ImageAppender appender) {
    try {
      long address = appender.appendTo(sink);
      index.add(id, address);
      if (pending == pendingIds.length) {
        pendingIds = Arrays.copyOf(pendingIds, pending * 2);
        pendingAddresses = Arrays.copyOf(pendingAddresses, pending * 2);
        pendingEnds = Arrays.copyOf(pendingEnds, pending * 2);
      }
      pendingIds[pending] = id;
      pendingAddresses[pending] = address;
      pendingEnds[pending] = sink.position();
      pending++;
      if (System.nanoTime() - lastSync >= syncIntervalNanos) {
        commit();
      }
    } catch (IOException | UncheckedIOException e) {
      broken = true;
      throw new Hdf5WriteException(
          file, "writing image " + id + " to " + partial + " failed: " + reason(e), e);
    }
  }

  /**
   * Appends image {@code id} as a run of bytes taken from another file ctx4j wrote (see {@code
   * ImageBlock}): at the next 8-byte aligned position, every address at {@code addressFields}
   * (offsets into {@code run}) shifted by the distance the run moves; {@code run} is changed in
   * place. The run's structures are 8-byte aligned relative to its {@code start}, so the bytes are
   * those the writer would produce for the same image here.
   */
  public void appendMoved(long id, long start, ByteBuffer run, int[] addressFields, long header) {
    checkArgument(
        start % 8 == 0, "image %s: a run must start 8-byte aligned, not at %s", id, start);
    append(
        id,
        sink -> {
          sink.align(8);
          long delta = sink.position() - start;
          ByteBuffer moved = run.duplicate().order(ByteOrder.LITTLE_ENDIAN);
          for (int at : addressFields) {
            moved.putLong(at, moved.getLong(at) + delta);
          }
          sink.putBytes(moved);
          return header + delta;
        });
  }

  /** Appends one image's objects and returns the address of its top object header. */
  @FunctionalInterface
  interface ImageAppender {
    long appendTo(FileSink sink) throws IOException;
  }

  /** Makes every image written so far durable and journalled. */
  public void commit() throws IOException {
    sink.flush();
    if (pending > 0) {
      channel.force(false);
      journal.append(pendingIds, pendingAddresses, pendingEnds, pending);
      pending = 0;
    }
    lastSync = System.nanoTime();
  }

  /** Writes the root group with {@code attributes}, the superblock, and renames into place. */
  public void finish(RootAttributes attributes) {
    if (closed) {
      return;
    }
    if (broken) {
      closeQuietly();
      throw new Hdf5WriteException(file, "not finalising " + file + ": an earlier write failed");
    }
    try {
      commit();
      long dataEnd = sink.position();
      sink.align(8);
      FinishedFileReopener.writeTrailer(sink, descriptor, dataEnd);
      RootIndex.Location root = index.writeSymbolTable(sink);
      ObjectHeader header = new ObjectHeader();
      header.add(HeaderMessages.SYMBOL_TABLE, HeaderMessages.symbolTable(root.btreeAddress(),
          root.localHeapAddress()));
      for (byte[] message : attributes.writeMessages(sink)) {
        header.add(HeaderMessages.ATTRIBUTE, message);
      }
      long rootAddress = header.writeTo(sink);
      sink.align(8);
      long eof = sink.position();
      sink.flush();
      sink.writeAt(0, Superblock.encode(eof, rootAddress, root));
      channel.force(true);
      channel.close();
      journal.close();
      closed = true;
      try {
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(partial, file);
      }
      Files.deleteIfExists(journalPath);
      forceDirectory(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      broken = true;
      closeQuietly();
      throw new Hdf5WriteException(file, "finalising " + file + " failed: " + reason(e), e);
    }
  }

  /** The operating system's words ("No space left on device"), which the user must see. */
  private static String reason(Exception e) {
    Throwable t = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Some file systems cannot open directories; the rename itself has happened.
    }
  }

  /** Leaves the partial file and journal for a later resume. */
  public void abandon() {
    if (!closed && !broken) {
      try {
        commit();
      } catch (IOException e) {
        broken = true;
      }
    }
    closeQuietly();
  }

  private void closeQuietly() {
    closed = true;
    try {
      channel.close();
    } catch (IOException e) {
      // nothing more to lose: the journal only vouches for forced bytes
    }
    try {
      journal.close();
    } catch (IOException e) {
      // as above
    }
  }

  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    abandon();
  }

  /** Ids in write order (for tests and diagnostics). */
  long[] ids() {
    long[] out = new long[index.size()];
    Arrays.setAll(out, index::id);
    return out;
  }
}
