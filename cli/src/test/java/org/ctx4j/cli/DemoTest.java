package org.ctx4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ctx4j.hdf5.CropResult;
import org.ctx4j.hdf5.TextualContextFile;
import org.ctx4j.hdf5.VisualContextFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo runs end to end, and h5py reads its files as the seed README's snippets do. */
class DemoTest {
  private static final String PYTHON = "/usr/bin/python3";

  @TempDir Path dir;

  @Test
  void demoBuildsFilesThatTheReadmeSnippetsRead() throws Exception {
    CliRun run = CliRun.of("demo", "--dir", dir.toString(), "--images", "12");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    Path out = dir.resolve("out");
    assertThat(run.out()).contains(out.resolve("vis_ctx.hdf5").toString()).contains("top 4 of five crop 2");

    long id;
    try (VisualContextFile vis = VisualContextFile.open(out.resolve("vis_ctx.hdf5"))) {
      assertThat(vis.ids()).hasSize(12);
      id = vis.ids()[5];
    }
    JsonNode h5py = readmeSnippets(out, id);
    try (VisualContextFile vis = VisualContextFile.open(out.resolve("vis_ctx.hdf5"));
        TextualContextFile txt = TextualContextFile.open(out.resolve("txt_ctx.hdf5"))) {
      float[] feature = vis.features(id);
      assertThat(h5py.get("vis_shape").get(0).asInt()).isEqualTo(feature.length);
      assertThat(h5py.get("fdim").asInt()).isEqualTo(feature.length);
      assertThat(h5py.get("vis_type").asText()).isEqualTo("ndarray");
      assertThat(h5py.get("vis_dtype").asText()).isEqualTo("float32");
      for (int i = 0; i < feature.length; i++) {
        assertThat((float) h5py.get("vis_values").get(i).asDouble()).isEqualTo(feature[i]);
      }
      CropResult r = txt.topK(id, "five", 2, 4);
      assertThat(h5py.get("features_shape").toString()).isEqualTo("[4," + txt.dim() + "]");
      assertThat(h5py.get("features_dtype").asText()).isEqualTo("float32");
      assertThat(h5py.get("scores_shape").toString()).isEqualTo("[4]");
      assertThat(h5py.get("texts_len").asInt()).isEqualTo(4);
      List<String> texts = new ArrayList<>();
      h5py.get("texts").forEach(t -> texts.add(t.asText()));
      assertThat(texts).isEqualTo(r.texts());
      for (int j = 0; j < 4; j++) {
        assertThat((float) h5py.get("scores").get(j).asDouble()).isEqualTo(r.scores()[j]);
        assertThat((float) h5py.get("features").get(j).get(0).asDouble())
            .isCloseTo(r.features()[j][0], within(0f));
      }
      assertThat(h5py.get("whole_features_shape").toString()).isEqualTo("[16," + txt.dim() + "]");
      assertThat(h5py.get("nine_features_shape").toString()).isEqualTo("[9,16," + txt.dim() + "]");
    }

    CliRun again = CliRun.of("demo", "--dir", dir.toString(), "--images", "12");
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(again.out()).contains("nothing to do");

    // A demo left by another version (other numerics) is rebuilt, not refused.
    Path manifest = dir.resolve("out/ctx4j-build.json");
    String current = Files.readString(manifest);
    Files.writeString(
        manifest, current.replaceFirst("\"image numerics\" : \"", "\"image numerics\" : \"older "));
    CliRun older = CliRun.of("demo", "--dir", dir.toString(), "--images", "12");
    assertThat(older.exitCode()).as(older.toString()).isZero();
    assertThat(older.out()).contains("made with other settings; building the demo again");
    assertThat(Files.readString(manifest)).isEqualTo(current);
  }

  private static JsonNode readmeSnippets(Path out, long id) throws IOException, InterruptedException {
    if (!Files.isExecutable(Path.of(PYTHON))) {
      throw new IllegalStateException(PYTHON + " is missing: install python3-h5py (CI does)");
    }
    Path script = Files.createTempFile("readme_snippets", ".py");
    try (var in = DemoTest.class.getResourceAsStream("/demo/readme_snippets.py")) {
      Files.write(script, in.readAllBytes());
    }
    Process p =
        new ProcessBuilder(PYTHON, script.toString(), out.toString(), Long.toString(id))
            .redirectErrorStream(false)
            .start();
    String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("h5py snippets failed: " + stderr).isZero();
    return new ObjectMapper().readTree(stdout);
  }
}
