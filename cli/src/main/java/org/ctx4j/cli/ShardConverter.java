package org.ctx4j.cli;

import picocli.CommandLine;

/** Parses {@code --shard i/n} (0-based i). */
final class ShardConverter implements CommandLine.ITypeConverter<int[]> {
  @Override
  public int[] convert(String value) {
    String[] parts = value.split("/", -1);
    try {
      if (parts.length == 2) {
        int i = Integer.parseInt(parts[0].trim());
        int n = Integer.parseInt(parts[1].trim());
        if (n >= 1 && i >= 0 && i < n) {
          return new int[] {i, n};
        }
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new CommandLine.TypeConversionException(
        "'" + value + "' is not a shard i/n with 0 <= i < n (e.g. 0/4 ... 3/4)");
  }
}
