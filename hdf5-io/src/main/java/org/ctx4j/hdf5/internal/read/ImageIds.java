package org.ctx4j.hdf5.internal.read;

import java.util.Arrays;

/** The image ids of a context file: its decimal-named root members, ascending. */
public final class ImageIds {
  private ImageIds() {}

  /** Reads every root member name once; other names (none in our layouts) are skipped. */
  public static long[] of(ContextReader file) {
    long[][] buf = {new long[1024]};
    int[] n = {0};
    file.forEachRootName(
        name -> {
          if (FileKind.isImageId(name)) {
            if (n[0] == buf[0].length) {
              buf[0] = Arrays.copyOf(buf[0], n[0] * 2);
            }
            buf[0][n[0]++] = Long.parseLong(name);
          }
        });
    long[] ids = Arrays.copyOf(buf[0], n[0]);
    Arrays.sort(ids);
    return ids;
  }
}
