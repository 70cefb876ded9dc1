package org.ctx4j.hdf5;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.ctx4j.Hdf5FileException;
import org.ctx4j.hdf5.internal.read.ReadCounters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A txt_ctx with enough images that h5py's root group B-tree has several levels of nodes, read by
 * eight threads at once.
 */
class ManyImagesTest {
  private static final int IMAGES = 400;
  private static final int K = 16;

  @TempDir static Path dir;
  static Path file;

  @BeforeAll
  static void writeWithH5py() {
    file = dir.resolve("txt_ctx.hdf5");
    Fixtures.runScript("--scale", Integer.toString(IMAGES), "--k", Integer.toString(K), "--dim", "8", file.toString());
  }

  @Test
  void listsEveryImageIdInNumericOrder() {
    try (TextualContextFile f = TextualContextFile.open(file)) {
      assertThat(f.ids()).containsExactly(LongStream.rangeClosed(1, IMAGES).toArray());
      assertThat(f.crops()).extracting(CropSpec::k).containsOnly(K);
    }
  }

  @Test
  void agreesWithH5pyAcrossTheRootGroup() throws IOException {
    String[] queries = {"1,whole,0,16", "2,nine,8,3", "10,five,4,16", "99,nine,0,1", "100,five,2,4",
        "257,whole,0,7", "333,nine,5,9", "399,five,0,2", "400,nine,8,16"};
    List<String> args = new ArrayList<>();
    for (String q : queries) {
      args.add("--query");
      args.add(q);
    }
    args.add(file.toString());
    List<JsonNode> expected = new ArrayList<>();
    Process p = new ProcessBuilder(command(args)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        expected.add(new ObjectMapper().readTree(line));
      }
    }
    assertThat(expected).hasSize(queries.length);
    try (TextualContextFile f = TextualContextFile.open(file)) {
      for (JsonNode q : expected) {
        CropResult r = f.topK(q.get("id").asLong(), q.get("crop").asText(), q.get("cropIndex").asInt(), q.get("k").asInt());
        assertThat(r.texts()).as("%s", q).isEqualTo(Fixtures.strings(q.get("texts")));
        assertThat(r.scores()).as("%s", q).containsExactly(Fixtures.floats(q.get("scores")));
        assertThat(r.features()).as("%s", q).isDeepEqualTo(Fixtures.matrix(q.get("features")));
      }
    }
  }

  private static List<String> command(List<String> args) {
    List<String> cmd = new ArrayList<>(List.of(Fixtures.PYTHON, Fixtures.file("make_fixtures.py").toString()));
    cmd.addAll(args);
    return cmd;
  }

  @Test
  void openAndLookupReadSmallPiecesNotTheWholeFile() {
    long reads = ReadCounters.reads();
    long bytes = ReadCounters.bytesRead();
    try (TextualContextFile f = TextualContextFile.open(file)) {
      assertThat(ReadCounters.reads() - reads).as("reads at open").isLessThan(64);
      assertThat(ReadCounters.bytesRead() - bytes).as("bytes read at open").isLessThan(32 * 1024);
      reads = ReadCounters.reads();
      bytes = ReadCounters.bytesRead();
      f.topK(317, "nine", 4, 16);
      assertThat(ReadCounters.reads() - reads).as("reads per lookup").isLessThan(64);
      assertThat(ReadCounters.bytesRead() - bytes).as("bytes per lookup").isLessThan(64 * 1024);
    }
  }

  @Test
  void eightThreadsSeeWhatOneThreadSees() throws Exception {
    long seed = 42;
    try (TextualContextFile f = TextualContextFile.open(file)) {
      Random random = new Random(seed);
      int n = 2000;
      long[] ids = new long[n];
      String[] crops = new String[n];
      int[] index = new int[n];
      int[] ks = new int[n];
      List<CropResult> sequential = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        CropSpec c = f.crops().get(random.nextInt(3));
        ids[i] = 1 + random.nextInt(IMAGES);
        crops[i] = c.name();
        index[i] = random.nextInt(c.count());
        ks[i] = 1 + random.nextInt(K);
        sequential.add(f.topK(ids[i], crops[i], index[i], ks[i]));
      }
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          int first = t;
          futures.add(pool.submit(() -> {
            for (int i = first; i < n; i += 8) {
              CropResult r = f.topK(ids[i], crops[i], index[i], ks[i]);
              assertThat(r.texts()).as("seed %s query %s", seed, i).isEqualTo(sequential.get(i).texts());
              assertThat(r.scores()).isEqualTo(sequential.get(i).scores());
              assertThat(r.features()).isDeepEqualTo(sequential.get(i).features());
            }
          }));
        }
        for (Future<?> future : futures) {
          future.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void anInterruptedReaderDoesNotBreakTheOthers() throws Exception {
    try (TextualContextFile f = TextualContextFile.open(file)) {
      Thread.currentThread().interrupt();
      try {
        f.topK(5, "five", 1, 3);
      } catch (Hdf5FileException expected) {
        assertThat(expected).hasMessageContaining("interrupted");
      } finally {
        Thread.interrupted();
      }
      assertThat(f.topK(6, "nine", 2, 5).texts()).hasSize(5);
    }
  }
}
