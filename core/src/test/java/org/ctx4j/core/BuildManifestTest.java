package org.ctx4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.ctx4j.BuildSettingsException;
import org.ctx4j.Ctx4jException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildManifestTest {
  @TempDir Path dir;

  @Test
  void remembersSettingsAndFinishedStagesAcrossLoads() {
    Path file = dir.resolve("ctx4j-build.json");
    BuildManifest m = BuildManifest.load(file);
    m.checkAndMerge(Map.of("image model", "tiny", "crops", "whole k=16"));
    m.markDone(Stage.VISUAL);

    BuildManifest again = BuildManifest.load(file);
    assertThat(again.isDone(Stage.VISUAL)).isTrue();
    assertThat(again.isDone(Stage.TEXTUAL)).isFalse();
    assertThat(again.settings()).containsEntry("image model", "tiny");
  }

  @Test
  void refusesDifferentSettingsNamingEachDifference() {
    Path file = dir.resolve("ctx4j-build.json");
    BuildManifest m = BuildManifest.load(file);
    m.checkAndMerge(Map.of("image model", "tiny", "crops", "whole k=16"));
    m.save();

    BuildManifest again = BuildManifest.load(file);
    assertThatThrownBy(
            () -> again.checkAndMerge(Map.of("image model", "other", "crops", "whole k=8")))
        .isInstanceOf(BuildSettingsException.class)
        .hasMessageContaining("image model tiny (this run: other)")
        .hasMessageContaining("crops whole k=16 (this run: whole k=8)");
  }

  @Test
  void acceptsSettingsOfStagesNotRecordedYet() {
    BuildManifest m = BuildManifest.load(dir.resolve("m.json"));
    m.checkAndMerge(Map.of("image model", "tiny"));
    m.checkAndMerge(Map.of("image model", "tiny", "text model", "tiny"));
    assertThat(m.settings()).containsOnlyKeys("image model", "text model");
  }

  @Test
  void rejectsAFileThatIsNotAManifest() throws Exception {
    Path file = dir.resolve("m.json");
    Files.writeString(file, "{\"hello\": 1}");
    assertThatThrownBy(() -> BuildManifest.load(file))
        .isInstanceOf(Ctx4jException.class)
        .hasMessageContaining("not a ctx4j build manifest")
        .hasMessageContaining(file.toString());
    Files.writeString(file, "{not json");
    assertThatThrownBy(() -> BuildManifest.load(file))
        .isInstanceOf(Ctx4jException.class)
        .hasMessageContaining("corrupt build manifest");
  }
}
