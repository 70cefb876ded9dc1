package org.ctx4j.hdf5.internal.write;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ctx4j.hdf5.internal.write.HeaderMessages.ElementType;

/**
 * Attributes of the root group, collected in insertion order. Strings become variable-length
 * UTF-8 scalars (h5py returns {@code str}), integers int64 scalars or 1-D arrays (h5py returns
 * numpy int64), as h5py itself stores Python {@code str} and {@code int}.
 */
final class RootAttributes {
  private final Map<String, Object> values = new LinkedHashMap<>();

  public RootAttributes putString(String name, String value) {
    values.put(name, value);
    return this;
  }

  public RootAttributes putLong(String name, long value) {
    values.put(name, value);
    return this;
  }

  public RootAttributes putLongs(String name, long[] value) {
    values.put(name, value.clone());
    return this;
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** Writes the strings' global heap collection and returns the attribute messages. */
  List<byte[]> writeMessages(FileSink sink) throws IOException {
    GlobalHeapCollection heap = new GlobalHeapCollection();
    Map<String, Integer> stringIndex = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : values.entrySet()) {
      if (e.getValue() instanceof String) {
        stringIndex.put(e.getKey(), heap.add((String) e.getValue()));
      }
    }
    if (heap.count() > 0) {
      heap.writeTo(sink);
    }
    List<byte[]> messages = new ArrayList<>();
    for (Map.Entry<String, Object> e : values.entrySet()) {
      Object v = e.getValue();
      if (v instanceof String) {
        int index = stringIndex.get(e.getKey());
        ByteBuffer data = HeaderMessages.little(16);
        data.putInt(heap.length(index)).putLong(heap.address()).putInt(index);
        messages.add(
            HeaderMessages.attribute(e.getKey(), ElementType.VLEN_UTF8, new long[0], data.array()));
      } else if (v instanceof Long) {
        ByteBuffer data = HeaderMessages.little(8).putLong((Long) v);
        messages.add(
            HeaderMessages.attribute(e.getKey(), ElementType.INT64, new long[0], data.array()));
      } else {
        long[] array = (long[]) v;
        ByteBuffer data = HeaderMessages.little(8 * array.length);
        for (long x : array) {
          data.putLong(x);
        }
        messages.add(
            HeaderMessages.attribute(
                e.getKey(), ElementType.INT64, new long[] {array.length}, data.array()));
      }
    }
    return messages;
  }
}
