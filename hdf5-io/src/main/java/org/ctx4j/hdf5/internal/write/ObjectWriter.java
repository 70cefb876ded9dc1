package org.ctx4j.hdf5.internal.write;

import java.io.IOException;
import org.ctx4j.hdf5.internal.write.HeaderMessages.ElementType;

/**
 * Appends whole HDF5 objects: contiguous datasets (data first, then the header pointing back at
 * it) and small groups. Small groups (an image's crops, a crop's three datasets) are stored as
 * compact "new-style" groups, their links inside the group's own object header, as libhdf5 does
 * for groups of up to 8 links: about 150 bytes instead of the ~1 KB of a B-tree, symbol table
 * node and local heap.
 */
final class ObjectWriter {
  private ObjectWriter() {}

  private static ObjectHeader datasetHeader(ElementType type, long[] dims, long address, long size) {
    return new ObjectHeader()
        .add(HeaderMessages.DATASPACE, HeaderMessages.dataspace(dims))
        .addConstant(HeaderMessages.DATATYPE, HeaderMessages.datatype(type))
        .addConstant(HeaderMessages.FILL_VALUE, HeaderMessages.fillValue(type))
        .add(HeaderMessages.LAYOUT, HeaderMessages.contiguousLayout(address, size));
  }

  /**
   * Upper estimate of a dataset's or small group's object header (dataspace, datatype, fill value,
   * layout or links), with alignment: for disk-space estimates, not for addressing.
   */
  static final int ESTIMATED_HEADER_BYTES = 144;

  static long elements(long[] dims) {
    long n = 1;
    for (long d : dims) {
      n *= d;
    }
    return n;
  }

  static long floatDataset(FileSink sink, long[] dims, float[] values, int offset)
      throws IOException {
    int n = Math.toIntExact(elements(dims));
    sink.align(8);
    long address = sink.position();
    sink.putFloats(values, offset, n);
    return datasetHeader(ElementType.FLOAT32, dims, address, 4L * n).writeTo(sink);
  }

  static long intDataset(FileSink sink, long[] dims, int[] values, int offset) throws IOException {
    int n = Math.toIntExact(elements(dims));
    sink.align(8);
    long address = sink.position();
    sink.putInts(values, offset, n);
    return datasetHeader(ElementType.INT32, dims, address, 4L * n).writeTo(sink);
  }

  /** A string dataset whose elements are objects {@code first..first+n-1} of a written heap. */
  static long stringDataset(FileSink sink, long[] dims, GlobalHeapCollection heap, int first)
      throws IOException {
    int n = Math.toIntExact(elements(dims));
    sink.align(8);
    long address = sink.position();
    for (int i = 0; i < n; i++) {
      heap.putReference(sink, first + i);
    }
    return datasetHeader(ElementType.VLEN_UTF8, dims, address, 16L * n).writeTo(sink);
  }

  /** A compact group holding hard links {@code names[i] -> addresses[i]}. */
  static long compactGroup(FileSink sink, String[] names, long[] addresses) throws IOException {
    ObjectHeader header =
        new ObjectHeader()
            .add(HeaderMessages.LINK_INFO, HeaderMessages.linkInfo())
            .add(HeaderMessages.GROUP_INFO, HeaderMessages.groupInfo());
    for (int i = 0; i < names.length; i++) {
      header.add(HeaderMessages.LINK, HeaderMessages.hardLink(names[i], addresses[i]));
    }
    return header.writeTo(sink);
  }
}
