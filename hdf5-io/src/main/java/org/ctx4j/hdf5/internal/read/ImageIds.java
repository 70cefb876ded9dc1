package org.ctx4j.hdf5.internal.read;

import java.util.Arrays;
import java.util.List;

/** The image ids of a context file: its decimal-named root members, ascending. */
public final class ImageIds {
  private ImageIds() {}

  /**
   * Reads every root member name once; other names (none in our layouts) are skipped. A file the
   * direct route reads shares the pass that also finds each image's header ({@code imageBlock}).
   */
  public static long[] of(ContextReader file) {
    if (file.isDirect()) {
      return file.rootImageIds();
    }
    List<String> names = file.rootNamesThroughJhdf();
    long[] ids = new long[names.size()];
    int n = 0;
    for (String name : names) {
      if (FileKind.isImageId(name)) {
        ids[n++] = Long.parseLong(name);
      }
    }
    ids = Arrays.copyOf(ids, n);
    Arrays.sort(ids);
    return ids;
  }
}
