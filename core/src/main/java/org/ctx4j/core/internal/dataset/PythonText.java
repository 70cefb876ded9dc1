package org.ctx4j.core.internal.dataset;

import java.util.Locale;

/**
 * Python 3 string semantics that the original Visual Genome and COCO readers rely on: {@code
 * str.lower()}, {@code str.strip()} and deleting U+0000..U+001F with {@code str.translate}.
 *
 * <p>{@code String.toLowerCase(Locale.ROOT)} equals Python's {@code lower()} for every code point
 * that Java 17's Unicode 13 assigns, including the one-to-many 'İ' → "i̇" and the context-sensitive
 * final sigma (pinned against Debian's Python in the tests). Python 3.11 also lowercases the few
 * capitals added in Unicode 14; the original ran on Python 3.7 (Unicode 11), which did not either.
 * {@code String.strip()} is not Python's: Java's whitespace lacks U+0085, U+00A0, U+2007 and
 * U+202F, hence {@link #isPythonWhitespace}.
 */
public final class PythonText {
  private PythonText() {}

  /** {@code s.lower().strip().translate(delete U+0000..U+001F)}: the original's process_word. */
  public static String cleanWord(String s) {
    return deleteAsciiControls(strip(s.toLowerCase(Locale.ROOT)));
  }

  /** {@link #cleanWord} then the part before the first '.': the original's process_synset. */
  public static String cleanSynset(String s) {
    String word = cleanWord(s);
    int dot = word.indexOf('.');
    return dot < 0 ? word : word.substring(0, dot);
  }

  /** Python's {@code str.strip()} without arguments. */
  public static String strip(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isPythonWhitespace(s.charAt(start))) {
      start++;
    }
    while (end > start && isPythonWhitespace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  /**
   * Python's {@code str.isspace()} for one code point: bidirectional class WS, B or S, or category
   * Zs. All such code points are in the BMP.
   */
  public static boolean isPythonWhitespace(int c) {
    switch (c) {
      case '\t',
          '\n',
          0x0B,
          '\f',
          '\r',
          0x1C,
          0x1D,
          0x1E,
          0x1F,
          ' ',
          0x85,
          0xA0,
          0x1680,
          0x2028,
          0x2029,
          0x202F,
          0x205F,
          0x3000:
        return true;
      default:
        return c >= 0x2000 && c <= 0x200A;
    }
  }

  /** Deletes the characters U+0000..U+001F, as the original's {@code str.translate} table does. */
  public static String deleteAsciiControls(String s) {
    int first = 0;
    while (first < s.length() && s.charAt(first) >= 0x20) {
      first++;
    }
    if (first == s.length()) {
      return s;
    }
    StringBuilder kept = new StringBuilder(s.length()).append(s, 0, first);
    for (int i = first + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x20) {
        kept.append(c);
      }
    }
    return kept.toString();
  }
}
