package org.ctx4j.cli;

import picocli.CommandLine;

/**
 * Parses {@code --shard i/n} (0-based i) into a {@link Slice}. The option's type is a record, not
 * {@code int[]}: picocli treats an array-typed option as multi-valued and would hand the converter's
 * result to each element, which is the type mismatch that made every valid value fail.
 */
final class ShardConverter implements CommandLine.ITypeConverter<ShardConverter.Slice> {
  /** Slice {@code index} (0-based) of {@code count}. */
  record Slice(int index, int count) {}

  @Override
  public Slice convert(String value) {
    String[] parts = value.split("/", -1);
    try {
      if (parts.length == 2) {
        int i = Integer.parseInt(parts[0].trim());
        int n = Integer.parseInt(parts[1].trim());
        if (n >= 1 && i >= 0 && i < n) {
          return new Slice(i, n);
        }
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new CommandLine.TypeConversionException(
        "'" + value + "' is not a shard i/n with 0 <= i < n (e.g. 0/4 ... 3/4)");
  }
}
