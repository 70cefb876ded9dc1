package org.ctx4j.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.ctx4j.core.internal.image.ImageHeader;
import org.ctx4j.core.internal.image.PillowRgbDecoding;

/**
 * Admits image decodes against a share of the heap, so that the decode workers together never
 * hold more decoded pixels than fit: each decode first reads the image header (size, pixel
 * layout), estimates the bytes its decoding, RGB conversion and cropping keep alive at once, and
 * takes that many bytes from a fair weighted semaphore until the image is preprocessed. A large
 * image waits until the smaller ones before it finish; images queued behind it wait for it (fair,
 * so it cannot starve). One legal 108-Mpx JPEG otherwise needs ~1 GB at once and, decoded next
 * to others on every worker, ends the JVM with {@code OutOfMemoryError}.
 *
 * <p>An image whose estimate exceeds the whole budget can never be decoded in this JVM: {@link
 * #admit} throws {@link ImageTooLargeException}, which the pass treats as a bad image (error, or
 * skipped under {@code skipBad}), naming the heap it needs. An image whose header cannot be read
 * takes the whole budget (decoding it alone is safe; it usually fails with a clear message).
 *
 * <p>Thread-safe.
 */
final class DecodeBudget {
  private static final long MIB = 1L << 20;

  /** Heap kept free besides the budget: encoder batches, writer buffers, JSON, the JIT's needs. */
  static long headroom(long maxHeap) {
    return Math.max(16 * MIB, maxHeap / 16);
  }

  private final long maxHeap;
  private final long heldBytes;
  private final long capacityBytes;
  private final int outputSize;
  /** Permits are KiB, so that terabytes fit an int. */
  private final Semaphore kib;

  /**
   * @param maxHeap the heap limit ({@link Runtime#maxMemory()})
   * @param heldBytes what the build holds besides decodes (pixel buffers, caches, caption texts)
   * @param outputSize the preprocessor's output side (crop temporaries scale with it)
   */
  DecodeBudget(long maxHeap, long heldBytes, int outputSize) {
    this.maxHeap = maxHeap;
    this.heldBytes = heldBytes;
    this.capacityBytes = Math.max(0, maxHeap - heldBytes - headroom(maxHeap));
    this.outputSize = outputSize;
    this.kib = new Semaphore(toKib(capacityBytes), true);
  }

  /**
   * A budget for this JVM: the heap in use now (which includes the pass's pixel buffers once they
   * are allocated, and some garbage, so it errs on the safe side) plus {@code reservedBytes} that
   * will fill later (the feature cache).
   */
  static DecodeBudget forThisJvm(long reservedBytes, int outputSize) {
    Runtime rt = Runtime.getRuntime();
    long used = rt.totalMemory() - rt.freeMemory();
    return new DecodeBudget(rt.maxMemory(), used + reservedBytes, outputSize);
  }

  long capacityBytes() {
    return capacityBytes;
  }

  /** Bytes held by admitted decodes now (for tests and diagnostics). */
  long inUseBytes() {
    return (long) (toKib(capacityBytes) - kib.availablePermits()) << 10;
  }

  /** Whether a decode waits for its share now (for tests). */
  boolean hasWaiters() {
    return kib.hasQueuedThreads();
  }

  /** A share of the budget; {@link #close} returns it. Close exactly once. */
  interface Lease extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Waits until decoding {@code file} fits the budget and reserves its estimate.
   *
   * @throws ImageTooLargeException if its estimate exceeds the whole budget
   * @throws InterruptedException if interrupted while waiting
   */
  Lease admit(Path file) throws InterruptedException {
    Optional<ImageHeader> header = ImageHeader.read(file);
    if (header.isEmpty() || header.get().pixels() > PillowRgbDecoding.MAX_PIXELS) {
      // Unreadable header, or an image the decoder refuses before allocating (decompression
      // bomb): alone, it is safe; the decoder gives the reason.
      return acquire(Math.min(capacityBytes, fileSize(file) * 2 + MIB));
    }
    ImageHeader h = header.get();
    long need = estimateBytes(h, fileSize(file), outputSize);
    if (need > capacityBytes) {
      throw new ImageTooLargeException(h, need, heapNeeded(need), maxHeap);
    }
    return acquire(need);
  }

  /** Reserves {@code bytes} (at most the capacity), waiting for earlier leases to close. */
  Lease acquire(long bytes) throws InterruptedException {
    if (bytes > capacityBytes) {
      throw new IllegalArgumentException(bytes + " bytes > budget " + capacityBytes);
    }
    int permits = Math.min(toKibRoundingUp(bytes), toKib(capacityBytes));
    kib.acquire(permits);
    return new Lease() {
      private boolean open = true;

      @Override
      public synchronized void close() {
        if (open) {
          open = false;
          kib.release(permits);
        }
      }
    };
  }

  /**
   * Bytes that decoding and preprocessing one image allocate, an upper bound of what they keep
   * alive at the peak: the file's bytes (read whole, and cached once more by the ImageIO stream),
   * the decoder's raster twice (TwelveMonkeys' JPEG reader converts colour into a second raster:
   * 9 bytes per pixel in all for colour JPEG, measured), the RGB copy, and the crop temporaries (a
   * resize pass over the whole image height, a window of the output side). Checked against the
   * bytes really allocated by {@code DecodeBudgetTest}.
   */
  static long estimateBytes(ImageHeader header, long fileBytes, int outputSize) {
    long pixels = header.pixels();
    long decoded = 2 * pixels * header.decodedBytesPerPixel();
    long rgb = 3 * pixels;
    long longSide = Math.max(header.width(), header.height());
    long crop = 3 * longSide * Math.max(outputSize, 1) * 2 + 3L * outputSize * outputSize;
    return 2 * fileBytes + decoded + rgb + crop + 64 * 1024;
  }

  /** The smallest heap limit with which an image needing {@code need} bytes would be admitted. */
  long heapNeeded(long need) {
    long base = heldBytes + need;
    // capacity = heap - held - max(16 MiB, heap/16) >= need
    return Math.max(base + 16 * MIB, (base * 16 + 14) / 15);
  }

  /** An {@code -Xmx} value at least {@code bytes}, rounded up to 64 MiB ("768m", "2g"). */
  static String xmx(long bytes) {
    long mib = (bytes + MIB - 1) / MIB;
    mib = (mib + 63) / 64 * 64;
    return mib % 1024 == 0 ? (mib / 1024) + "g" : mib + "m";
  }

  static String mib(long bytes) {
    return String.format(Locale.ROOT, "%,d MiB", (bytes + MIB - 1) / MIB);
  }

  private static long fileSize(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0; // decoding reports the unreadable file
    }
  }

  private static int toKib(long bytes) {
    return (int) Math.min(Integer.MAX_VALUE, bytes >> 10);
  }

  private static int toKibRoundingUp(long bytes) {
    return (int) Math.min(Integer.MAX_VALUE, (bytes + 1023) >> 10);
  }
}
