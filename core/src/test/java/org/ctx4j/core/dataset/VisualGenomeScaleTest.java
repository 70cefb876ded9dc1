package org.ctx4j.core.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ctx4j.testing.VisualGenomeGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real-size Visual Genome files (~1.2 GB, generated) build in a JVM limited to 1 GB of heap. */
@Tag("slow")
class VisualGenomeScaleTest {
  @TempDir Path dir;

  @Test
  void buildsRealSizeFilesWithin1GbOfHeap() throws IOException, InterruptedException {
    Path attributes = dir.resolve("attributes.json");
    Path relationships = dir.resolve("relationships.json");
    VisualGenomeGenerator.realSize(1)
        .write(attributes, relationships, VisualGenomeGenerator.REAL_IMAGE_COUNT);
    assertThat(Files.size(attributes) + Files.size(relationships)).isGreaterThan(1_100_000_000L);

    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process run =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-Xmx1g",
                    "-cp",
                    System.getProperty("java.class.path"),
                    VisualGenomeBuildRun.class.getName(),
                    attributes.toString(),
                    relationships.toString()))
            .redirectErrorStream(true)
            .start();
    String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = run.waitFor();
    System.out.println("VisualGenomeScaleTest: " + output.strip());

    assertThat(exit).as(output).isZero();
    assertThat(output).containsPattern("captions=2\\d{6} ");
  }
}
