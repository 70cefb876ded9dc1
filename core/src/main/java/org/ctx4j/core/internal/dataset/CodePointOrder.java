package org.ctx4j.core.internal.dataset;

import java.util.Comparator;

/**
 * Orders strings by Unicode code point, as numpy sorts str arrays (UCS4) and Python compares str.
 * {@link String#compareTo} compares UTF-16 units instead, which puts supplementary characters
 * (emoji, stored as surrogates D800..DFFF) before U+E000..U+FFFF.
 */
public final class CodePointOrder implements Comparator<String> {
  public static final CodePointOrder INSTANCE = new CodePointOrder();

  private CodePointOrder() {}

  @Override
  public int compare(String a, String b) {
    int length = Math.min(a.length(), b.length());
    for (int i = 0; i < length; i++) {
      char ca = a.charAt(i);
      char cb = b.charAt(i);
      if (ca != cb) {
        if (!Character.isSurrogate(ca) && !Character.isSurrogate(cb)) {
          return ca - cb;
        }
        // Compare whole code points. If either side differs in the low half of a pair, the equal
        // high half before it starts the code points to compare.
        boolean inPair =
            i > 0
                && Character.isHighSurrogate(a.charAt(i - 1))
                && (Character.isLowSurrogate(ca) || Character.isLowSurrogate(cb));
        int at = inPair ? i - 1 : i;
        return Integer.compare(a.codePointAt(at), b.codePointAt(at));
      }
    }
    return a.length() - b.length();
  }
}
