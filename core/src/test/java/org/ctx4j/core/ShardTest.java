package org.ctx4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShardTest {

  @Test
  void slicesAreDisjointCoverTheListInOrderAndAreBalanced() {
    for (int n = 0; n <= 23; n++) {
      List<Integer> items = IntStream.range(0, n).boxed().toList();
      for (int count = 1; count <= 7; count++) {
        List<Integer> joined = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          List<Integer> slice = new Shard(i, count).slice(items);
          assertThat(slice.size()).isBetween(n / count, n / count + 1);
          joined.addAll(slice);
        }
        assertThat(joined).isEqualTo(items);
      }
    }
  }

  @Test
  void wholeShardHasNoFileSuffix() {
    assertThat(Shard.WHOLE.fileSuffix()).isEmpty();
    assertThat(new Shard(1, 4).fileSuffix()).isEqualTo(".shard-1-of-4");
  }

  @Test
  void rejectsIndexOutsideCount() {
    assertThatThrownBy(() -> new Shard(4, 4)).hasMessageContaining("shard index (4) must be in 0..3");
    assertThatThrownBy(() -> new Shard(0, 0)).hasMessageContaining("shard count (0)");
  }
}
