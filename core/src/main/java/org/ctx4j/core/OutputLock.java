package org.ctx4j.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.ctx4j.OutputInUseException;

/**
 * An exclusive lock on an output directory, held for the whole of a build or merge: an OS file lock
 * ({@link FileChannel#tryLock}) on {@code .ctx4j.lock}, which the OS releases if the process dies,
 * so a crashed build never leaves the directory locked. The file holds the holder's pid, host and
 * start time, which a refused second build reports. Deleted on release.
 */
final class OutputLock implements AutoCloseable {
  static final String FILE_NAME = ".ctx4j.lock";

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private OutputLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock on {@code dir} (which must exist) or throws {@link OutputInUseException}. */
  static OutputLock acquire(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    FileChannel channel = null;
    try {
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held by this JVM
      }
      if (lock == null) {
        String holder = readHolder(channel);
        channel.close();
        throw new OutputInUseException(dir, holder);
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(describeThisProcess().getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(false);
      return new OutputLock(file, channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("cannot lock the output directory " + dir, e);
    }
  }

  private static String readHolder(FileChannel channel) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(512);
    channel.read(b, 0);
    String text = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).trim();
    return text.isEmpty() ? "a process that is just starting" : text;
  }

  static String describeThisProcess() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "unknown host";
    }
    return "pid " + ProcessHandle.current().pid() + " on " + host + ", started "
        + Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
  }

  @Override
  public void close() {
    try {
      // Delete while still holding the lock: a build that opens the file meanwhile finds it
      // locked and refuses; one that comes after creates a fresh file.
      Files.deleteIfExists(file);
      lock.release();
    } catch (IOException e) {
      // the lock goes with the channel below
    } finally {
      closeQuietly(channel);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // nothing to do
      }
    }
  }
}
