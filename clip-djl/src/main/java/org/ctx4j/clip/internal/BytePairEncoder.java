package org.ctx4j.clip.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CLIP's byte-level BPE (OpenAI's {@code simple_tokenizer.py}): split the normalised text with
 * CLIP's pattern, map each piece's UTF-8 bytes to printable characters, mark the word end with
 * {@code </w>}, then merge the lowest-ranked adjacent pair until none is in the merge list.
 * Thread-safe; words are cached (bounded).
 */
public final class BytePairEncoder {

  /** The end-of-word marker appended to a word's last symbol. */
  static final String END_OF_WORD = "</w>";

  private static final Pattern PIECES =
      Pattern.compile(
          "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|\\p{L}+|\\p{N}"
              + "|[^\\s\\p{L}\\p{N}]+",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);

  /** Word cache bound: Visual Genome's vocabulary is far below it, arbitrary text is not. */
  private static final int MAX_CACHED_WORDS = 200_000;

  private static final char[] BYTE_TO_CHAR = byteToChar();

  private final Map<String, Integer> vocab;
  private final Map<String, Integer> mergeRanks;
  private final Map<String, int[]> cache = new ConcurrentHashMap<>();
  private final String source;

  /**
   * @param vocab token to id; must hold every symbol the merges can produce
   * @param merges merge pairs in rank order, each as "left right"
   * @param source names the vocabulary's file in messages
   */
  public BytePairEncoder(Map<String, Integer> vocab, List<String> merges, String source) {
    this.vocab = Map.copyOf(vocab);
    Map<String, Integer> ranks = new HashMap<>(merges.size() * 2);
    for (int i = 0; i < merges.size(); i++) {
      ranks.putIfAbsent(merges.get(i), i);
    }
    this.mergeRanks = ranks;
    this.source = source;
  }

  /** Id of a whole token such as {@code <|endoftext|>}, or -1 when the vocabulary lacks it. */
  public int idOf(String token) {
    return vocab.getOrDefault(token, -1);
  }

  /** Appends the ids of already-normalised {@code text} (no start/end tokens) to {@code out}. */
  public void encode(String text, List<Integer> out) {
    Matcher m = PIECES.matcher(text);
    while (m.find()) {
      String piece = m.group();
      int[] ids = cache.get(piece);
      if (ids == null) {
        ids = encodePiece(piece);
        if (cache.size() >= MAX_CACHED_WORDS) {
          cache.clear();
        }
        cache.put(piece, ids);
      }
      for (int id : ids) {
        out.add(id);
      }
    }
  }

  private int[] encodePiece(String piece) {
    if (piece.equals("<|startoftext|>") || piece.equals("<|endoftext|>")) {
      int special = vocab.getOrDefault(piece, -1);
      if (special >= 0) {
        return new int[] {special};
      }
    }
    byte[] utf8 = piece.getBytes(StandardCharsets.UTF_8);
    List<String> word = new ArrayList<>(utf8.length);
    for (byte b : utf8) {
      word.add(String.valueOf(BYTE_TO_CHAR[b & 0xff]));
    }
    int last = word.size() - 1;
    word.set(last, word.get(last) + END_OF_WORD);
    word = merge(word);
    int[] ids = new int[word.size()];
    for (int i = 0; i < ids.length; i++) {
      Integer id = vocab.get(word.get(i));
      if (id == null) {
        throw new IllegalStateException(
            "BPE symbol '" + word.get(i) + "' of '" + piece + "' is not in the vocabulary of "
                + source);
      }
      ids[i] = id;
    }
    return ids;
  }

  /** Repeatedly merges every occurrence of the best-ranked adjacent pair, as OpenAI's bpe() does. */
  private List<String> merge(List<String> word) {
    while (word.size() > 1) {
      int bestRank = Integer.MAX_VALUE;
      String bestLeft = null;
      String bestRight = null;
      for (int i = 0; i + 1 < word.size(); i++) {
        Integer rank = mergeRanks.get(word.get(i) + " " + word.get(i + 1));
        if (rank != null && rank < bestRank) {
          bestRank = rank;
          bestLeft = word.get(i);
          bestRight = word.get(i + 1);
        }
      }
      if (bestLeft == null) {
        break;
      }
      List<String> merged = new ArrayList<>(word.size());
      int i = 0;
      while (i < word.size()) {
        if (i + 1 < word.size() && word.get(i).equals(bestLeft)
            && word.get(i + 1).equals(bestRight)) {
          merged.add(bestLeft + bestRight);
          i += 2;
        } else {
          merged.add(word.get(i));
          i++;
        }
      }
      word = merged;
    }
    return word;
  }

  /**
   * GPT-2's reversible byte-to-character map: printable Latin-1 bytes map to themselves, the rest
   * to code points from 256 up, in byte order.
   */
  private static char[] byteToChar() {
    char[] map = new char[256];
    boolean[] printable = new boolean[256];
    for (int b = '!'; b <= '~'; b++) {
      printable[b] = true;
    }
    for (int b = 0xa1; b <= 0xac; b++) {
      printable[b] = true;
    }
    for (int b = 0xae; b <= 0xff; b++) {
      printable[b] = true;
    }
    int next = 256;
    for (int b = 0; b < 256; b++) {
      map[b] = printable[b] ? (char) b : (char) next++;
    }
    return map;
  }
}
