package org.ctx4j.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small CLIP-style BPE vocabulary in HuggingFace's order: the 256 byte symbols, the same with
 * {@code </w>}, one symbol per merge, then the start and end tokens. The merges spell a fixed list
 * of common Visual Genome words, so tokenisation of real phrases is not all single bytes; any text
 * tokenises because every byte has a symbol.
 */
public final class TinyVocabulary {
  private static final List<String> WORDS =
      List.of(
          "a", "the", "of", "on", "in", "with", "and", "photo", "cat", "dog", "man", "woman",
          "white", "black", "red", "blue", "green", "brown", "large", "small", "tall", "wooden",
          "riding", "horse", "sitting", "standing", "holding", "wearing", "table", "tree", "sky",
          "car", "street", "building", "window", "water", "grass", "shirt", "hair", "sign");

  private final Map<String, Integer> vocab;
  private final List<String> merges;

  private TinyVocabulary(Map<String, Integer> vocab, List<String> merges) {
    this.vocab = vocab;
    this.merges = merges;
  }

  /** Builds the vocabulary (deterministic). */
  public static TinyVocabulary generate() {
    Set<String> symbols = new LinkedHashSet<>();
    for (int b = 0; b < 256; b++) {
      symbols.add(String.valueOf(BYTE_TO_CHAR[b]));
    }
    for (int b = 0; b < 256; b++) {
      symbols.add(BYTE_TO_CHAR[b] + END_OF_WORD);
    }
    Set<String> merges = new LinkedHashSet<>();
    for (String word : WORDS) {
      // Merge left to right: "c a t</w>" -> "ca t</w>" -> "cat</w>".
      String left = word.length() == 1 ? word + END_OF_WORD : word.substring(0, 1);
      for (int i = 1; i < word.length(); i++) {
        String right = word.substring(i, i + 1);
        if (i == word.length() - 1) {
          right += END_OF_WORD;
        }
        merges.add(left + " " + right);
        left = left + right;
        symbols.add(left);
      }
    }
    Map<String, Integer> vocab = new LinkedHashMap<>();
    for (String s : symbols) {
      vocab.put(s, vocab.size());
    }
    vocab.put("<|startoftext|>", vocab.size());
    vocab.put("<|endoftext|>", vocab.size());
    return new TinyVocabulary(vocab, new ArrayList<>(merges));
  }

  /** Token to id, in id order. */
  public Map<String, Integer> vocab() {
    return vocab;
  }

  /** Merges in rank order, each "left right". */
  public List<String> merges() {
    return merges;
  }

  private static final String END_OF_WORD = "</w>";

  /**
   * GPT-2's reversible byte-to-character map that CLIP's BPE works on: printable Latin-1 bytes map
   * to themselves, the others to characters from U+0100 on, in byte order.
   */
  private static final char[] BYTE_TO_CHAR = byteToChar();

  private static char[] byteToChar() {
    char[] map = new char[256];
    int next = 256;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xa1 && b <= 0xac) || b >= 0xae;
      map[b] = printable ? (char) b : (char) next++;
    }
    return map;
  }
}
