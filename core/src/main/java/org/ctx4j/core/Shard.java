package org.ctx4j.core;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.List;
import java.util.Locale;

/**
 * Slice {@code index} (0-based) of {@code count} of the image list: a contiguous block of the
 * id-sorted list, so the slices of the same list are disjoint, cover it and are balanced to within
 * one image.
 */
record Shard(int index, int count) {
  public static final Shard WHOLE = new Shard(0, 1);

  public Shard {
    checkArgument(count >= 1, "shard count (%s) must be >= 1", count);
    checkArgument(
        index >= 0 && index < count, "shard index (%s) must be in 0..%s", index, count - 1);
  }

  public boolean isWhole() {
    return count == 1;
  }

  /** This shard's part of {@code sortedItems}. */
  public <T> List<T> slice(List<T> sortedItems) {
    int n = sortedItems.size();
    int from = (int) ((long) n * index / count);
    int to = (int) ((long) n * (index + 1) / count);
    return sortedItems.subList(from, to);
  }

  /** The file name suffix inserted before the extension, e.g. {@code ".shard-1-of-4"}. */
  public String fileSuffix() {
    return isWhole() ? "" : String.format(Locale.ROOT, ".shard-%d-of-%d", index, count);
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}
