package org.ctx4j.core;

import java.util.Locale;
import org.ctx4j.Ctx4jException;
import org.ctx4j.core.internal.image.ImageHeader;

/**
 * An image whose decoding needs more heap than this JVM can ever give it (see {@link
 * DecodeBudget}). The image pass reports it as a bad image ({@code BadImageException}, or a line of
 * {@code skipped.tsv} under {@code skipBad}); the message says the image size and the heap needed.
 */
final class ImageTooLargeException extends Ctx4jException {
  private static final long serialVersionUID = 1L;

  private final long heapNeeded;

  ImageTooLargeException(ImageHeader header, long decodeBytes, long heapNeeded, long maxHeap) {
    super(
        String.format(
            Locale.ROOT,
            "image of %dx%d pixels (%.1f Mpx) needs about %s of heap to decode and crop; with what"
                + " the build already holds, that takes a heap of at least %s (java -Xmx%s), but"
                + " this JVM has %s",
            header.width(),
            header.height(),
            header.pixels() / 1e6,
            DecodeBudget.mib(decodeBytes),
            DecodeBudget.mib(heapNeeded),
            DecodeBudget.xmx(heapNeeded),
            DecodeBudget.mib(maxHeap)));
    this.heapNeeded = heapNeeded;
  }

  /** The smallest heap limit with which this image would be decoded. */
  long heapNeeded() {
    return heapNeeded;
  }
}
