package org.ctx4j.hdf5.internal.read;

import java.util.function.ObjLongConsumer;

/** The members of a group: name → object header address. */
interface GroupMembers {
  /** The object header address of member {@code name}, or -1. */
  long find(String name);

  /** Every member name and object header address, in name order. */
  void forEach(ObjLongConsumer<String> action);
}
