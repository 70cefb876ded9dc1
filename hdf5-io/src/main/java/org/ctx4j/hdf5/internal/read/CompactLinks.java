package org.ctx4j.hdf5.internal.read;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ObjLongConsumer;

/**
 * A new-style group whose links are stored compactly as link messages in its object header (how
 * libhdf5 stores groups of up to 8 links, and how our writer stores the per-image and per-crop
 * groups). Dense storage (a fractal heap of links) throws {@link UnsupportedStructureException}.
 */
final class CompactLinks implements GroupMembers {
  private final Map<String, Long> members;

  private CompactLinks(Map<String, Long> members) {
    this.members = members;
  }

  static CompactLinks of(HdfStructure file, ObjectHeader header, String path) {
    ObjectHeader.Message info = header.find(ObjectHeader.LINK_INFO);
    if (info != null) {
      ByteBuffer b = info.body().duplicate().order(info.body().order());
      b.get(); // version
      int flags = Byte.toUnsignedInt(b.get());
      if ((flags & 1) != 0) {
        b.position(b.position() + 8); // max creation index
      }
      long fractalHeap = Fields.offset(b, file.offsetSize());
      if (fractalHeap != Fields.UNDEFINED) {
        throw new UnsupportedStructureException("dense link storage in " + path);
      }
    }
    Map<String, Long> members = new TreeMap<>();
    for (ObjectHeader.Message m : header.all(ObjectHeader.LINK)) {
      ByteBuffer b = m.body().duplicate().order(m.body().order());
      int version = Byte.toUnsignedInt(b.get());
      if (version != 1) {
        throw file.corrupt(path, "link message version " + version);
      }
      int flags = Byte.toUnsignedInt(b.get());
      int type = (flags & 0x08) != 0 ? Byte.toUnsignedInt(b.get()) : 0;
      if ((flags & 0x04) != 0) {
        b.position(b.position() + 8); // creation order
      }
      if ((flags & 0x10) != 0) {
        b.get(); // name character set
      }
      long nameLength = Fields.unsigned(b, 1 << (flags & 0x03));
      if (nameLength < 0 || nameLength > b.remaining()) {
        throw file.corrupt(path, "link name of " + nameLength + " bytes overruns its message");
      }
      byte[] name = new byte[(int) nameLength];
      b.get(name);
      if (type != 0) {
        throw new UnsupportedStructureException("soft or external link in " + path);
      }
      members.put(new String(name, StandardCharsets.UTF_8), Fields.offset(b, file.offsetSize()));
    }
    return new CompactLinks(members);
  }

  @Override
  public long find(String name) {
    return members.getOrDefault(name, -1L);
  }

  @Override
  public void forEach(ObjLongConsumer<String> action) {
    members.forEach(action::accept);
  }
}
