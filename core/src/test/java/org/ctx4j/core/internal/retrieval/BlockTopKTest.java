package org.ctx4j.core.internal.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlockTopKTest {

  private static int[] drain(BlockTopK topK, int q, int k) {
    int[] ids = new int[k];
    float[] scores = new float[k];
    int written = topK.drainSorted(q, ids, scores, 0);
    int[] out = new int[written];
    System.arraycopy(ids, 0, out, 0, written);
    return out;
  }

  @Test
  void keepsFewerThanKWhenFewerOffered() {
    BlockTopK topK = new BlockTopK(1, 3, null);
    topK.offer(0, 5, 1f);
    assertThat(topK.thresholds()[0]).isEqualTo(Float.NEGATIVE_INFINITY);
    assertThat(drain(topK, 0, 3)).containsExactly(5);
  }

  @Test
  void equalScoresKeepLowerIdsWhateverTheOfferOrder() {
    BlockTopK forward = new BlockTopK(1, 2, null);
    BlockTopK backward = new BlockTopK(1, 2, null);
    for (int id = 0; id < 5; id++) {
      forward.offer(0, id, 1f);
      backward.offer(0, 4 - id, 1f);
    }
    assertThat(drain(forward, 0, 2)).containsExactly(0, 1);
    assertThat(drain(backward, 0, 2)).containsExactly(0, 1);
  }

  @Test
  void thresholdIsWorstKeptScoreOnceFull() {
    BlockTopK topK = new BlockTopK(1, 2, null);
    topK.offer(0, 0, 3f);
    topK.offer(0, 1, 1f);
    assertThat(topK.thresholds()[0]).isEqualTo(1f);
    topK.offer(0, 2, 2f);
    assertThat(topK.thresholds()[0]).isEqualTo(2f);
  }

  @Test
  void paddingQueriesHaveInfiniteThresholdAndIgnoreOffers() {
    BlockTopK topK = new BlockTopK(2, 1, null);
    assertThat(topK.thresholds()).hasSize(PanelLayout.QUERIES_PER_TILE);
    assertThat(topK.thresholds()[2]).isEqualTo(Float.POSITIVE_INFINITY);
    topK.offer(PanelLayout.QUERIES_PER_TILE - 1, 0, 1f); // padding: ignored
  }

  @Test
  void matchesSortingForAllPermutationsOfTinyInputsWithTies() {
    float[] scores = {2f, 1f, 2f, 0f, 1f};
    List<int[]> permutations = new ArrayList<>();
    permute(new int[] {0, 1, 2, 3, 4}, 0, permutations);
    for (int k = 1; k <= 5; k++) {
      int[] expected = sortedIds(scores, k);
      for (int[] order : permutations) {
        BlockTopK topK = new BlockTopK(1, k, null);
        for (int id : order) {
          topK.offer(0, id, scores[id]);
        }
        assertThat(drain(topK, 0, k)).as("k=%s", k).containsExactly(expected);
      }
    }
  }

  @Test
  void mergingShardsEqualsOneSelector() {
    long seed = TestData.seed("mergingShardsEqualsOneSelector");
    Random random = new Random(seed);
    float[] scores = TestData.integers(random, 500, 5);
    BlockTopK whole = new BlockTopK(1, 16, null);
    BlockTopK left = new BlockTopK(1, 16, null);
    BlockTopK right = new BlockTopK(1, 16, null);
    for (int id = 0; id < scores.length; id++) {
      whole.offer(0, id, scores[id]);
      (id < 200 ? left : right).offer(0, id, scores[id]);
    }
    left.mergeFrom(right);
    assertThat(drain(left, 0, 16)).as("seed %s", seed).containsExactly(drain(whole, 0, 16));
  }

  private static int[] sortedIds(float[] scores, int k) {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < scores.length; i++) {
      ids.add(i);
    }
    ids.sort(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i));
    return ids.subList(0, k).stream().mapToInt(Integer::intValue).toArray();
  }

  private static void permute(int[] a, int from, List<int[]> out) {
    if (from == a.length) {
      out.add(a.clone());
      return;
    }
    for (int i = from; i < a.length; i++) {
      int t = a[from];
      a[from] = a[i];
      a[i] = t;
      permute(a, from + 1, out);
      a[i] = a[from];
      a[from] = t;
    }
  }
}
