package org.ctx4j.core.internal.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.ctx4j.core.dataset.VisualGenomeCaptions;
import org.ctx4j.testing.VisualGenomeGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our build against the reference script's transcription of the original, on generated data. */
class VisualGenomeReferenceTest {
  @TempDir Path dir;

  @Test
  void matchesTheReferenceScriptOnGeneratedFiles() throws Exception {
    long seed = System.nanoTime();
    // A small vocabulary makes names meet often, so shared attribute sets matter.
    new VisualGenomeGenerator(VisualGenomeGenerator.Words.synthetic(300, 400, 50), seed, 12, 8)
        .write(dir.resolve("attributes.json"), dir.resolve("relationships.json"), 400);

    List<String> ours =
        VisualGenomeCaptions.build(
            dir.resolve("attributes.json"), dir.resolve("relationships.json"));

    Path script = Path.of("src/test/resources/golden/vg").toAbsolutePath();
    String python =
        ReferencePython.run(
            "import json, sys\nfrom pathlib import Path\nsys.path.insert(0, '"
                + script
                + "')\nimport make_golden\n"
                + "print(json.dumps(make_golden.parse_annotations(Path('"
                + dir
                + "'))))\n");
    List<String> expected =
        new ObjectMapper().readValue(python, new TypeReference<List<String>>() {});
    assertThat(expected).hasSizeGreaterThan(1000);
    assertThat(ours).as("seed %d", seed).isEqualTo(expected);
  }
}
