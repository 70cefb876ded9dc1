package org.ctx4j.hdf5.internal.write;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Caller-supplied provenance attributes: checked, sorted, and folded into a run descriptor. */
public final class Provenance {
  /** Attribute names the writers set themselves (the API's {@code WRITER_ATTRIBUTES}). */
  public static final Set<String> RESERVED =
      Set.of("ctx4j_format", "ctx4j_version", "fdim", "dim", "k", "crops");

  private Provenance() {}

  static TreeMap<String, String> checked(Map<String, String> provenance) {
    checkNotNull(provenance, "provenance");
    TreeMap<String, String> sorted = new TreeMap<>();
    for (Map.Entry<String, String> e : provenance.entrySet()) {
      String key = e.getKey();
      checkArgument(key != null && !key.isEmpty(), "provenance key must be non-empty: %s", key);
      checkArgument(
          key.chars().allMatch(c -> c > 0x20 && c < 0x7f),
          "provenance key (%s) must be printable ASCII without spaces",
          key);
      checkArgument(
          !RESERVED.contains(key), "provenance key (%s) is set by the writer itself", key);
      checkArgument(e.getValue() != null, "provenance value of %s is null", key);
      sorted.put(key, e.getValue());
    }
    return sorted;
  }

  /** A canonical text naming everything that must match to resume a run. */
  static String descriptor(String format, String shape, TreeMap<String, String> provenance) {
    StringBuilder b = new StringBuilder();
    b.append("format=").append(format).append('\n').append(shape).append('\n');
    provenance.forEach((k, v) -> b.append(k).append('=').append(v.replace("\n", "\\n")).append('\n'));
    return b.toString();
  }

  /**
   * Whether a file with these root attributes was written by this version of the writers: then
   * its images are laid out byte for byte as these writers lay them out.
   */
  public static boolean writtenByThisVersion(Map<String, String> rootAttributes) {
    return rootAttributes.containsKey("ctx4j_format")
        && writerVersion().equals(rootAttributes.get("ctx4j_version"));
  }

  static String writerVersion() {
    String v = Provenance.class.getPackage().getImplementationVersion();
    return v != null ? v : "0.1.0-SNAPSHOT";
  }

  static RootAttributes attributes(String format, TreeMap<String, String> provenance) {
    RootAttributes a = new RootAttributes();
    a.putString("ctx4j_format", format);
    a.putString("ctx4j_version", writerVersion());
    if (!provenance.containsKey("model")) {
      a.putString("model", "unspecified");
    }
    provenance.forEach(a::putString);
    return a;
  }
}
