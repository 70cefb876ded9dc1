package org.ctx4j.core.internal.dataset;

import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * A set of longs in one open-addressing array (8 bytes a slot, at most half full): the packed word
 * ids of Visual Genome captions, millions of them, without a boxed {@code Long} and a hash node
 * (~48 bytes) per entry.
 */
final class LongHashSet {
  private static final long EMPTY = 0L;

  private long[] slots;
  private int size;
  private boolean containsEmpty;

  LongHashSet(int expected) {
    slots = new long[Math.max(16, Integer.highestOneBit(Math.max(1, expected) * 2 - 1) << 1)];
  }

  /** Adds {@code value}; returns true if it was not present. */
  boolean add(long value) {
    if (value == EMPTY) {
      boolean added = !containsEmpty;
      containsEmpty = true;
      return added;
    }
    int mask = slots.length - 1;
    int i = mix(value) & mask;
    while (true) {
      long slot = slots[i];
      if (slot == EMPTY) {
        slots[i] = value;
        if (++size * 2 > slots.length) {
          grow();
        }
        return true;
      }
      if (slot == value) {
        return false;
      }
      i = (i + 1) & mask;
    }
  }

  int size() {
    return size + (containsEmpty ? 1 : 0);
  }

  void forEach(LongConsumer action) {
    if (containsEmpty) {
      action.accept(EMPTY);
    }
    for (long slot : slots) {
      if (slot != EMPTY) {
        action.accept(slot);
      }
    }
  }

  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    int mask = slots.length - 1;
    for (long value : old) {
      if (value != EMPTY) {
        int i = mix(value) & mask;
        while (slots[i] != EMPTY) {
          i = (i + 1) & mask;
        }
        slots[i] = value;
      }
    }
  }

  /** The murmur3 64-bit finalizer: packed ids differ mostly in low bits of each field. */
  private static int mix(long value) {
    long h = value;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return (int) h;
  }

  @Override
  public String toString() {
    long[] values = new long[size()];
    int[] next = {0};
    forEach(v -> values[next[0]++] = v);
    Arrays.sort(values);
    return Arrays.toString(values);
  }
}
