package org.ctx4j.core.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ctx4j.DatasetException;
import org.ctx4j.DatasetFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VisualGenomeCaptionsTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden/vg");

  @TempDir Path dir;

  @Test
  void buildsExactlyTheReferenceCaptionsOfTheEdgeCaseFixture() throws IOException {
    List<String> expected =
        new ObjectMapper()
            .readValue(
                GOLDEN.resolve("expected_captions.json").toFile(),
                new TypeReference<List<String>>() {});

    List<String> captions =
        VisualGenomeCaptions.build(
            GOLDEN.resolve("attributes.json"), GOLDEN.resolve("relationships.json"));

    assertThat(captions).containsExactlyElementsOf(expected);
  }

  @Test
  void namesFirstSeenTogetherShareLaterAttributesAsInTheOriginal() throws IOException {
    Path attributes =
        write(
            "a.json",
            "[{\"attributes\": [{\"synsets\": [\"lamp.n.01\", \"light.n.01\"]},"
                + " {\"synsets\": [\"light.n.01\"], \"attributes\": [\"bright\"]},"
                + " {\"synsets\": [\"sun.n.01\"], \"attributes\": [\"hot\"]},"
                + " {\"synsets\": [\"sun.n.01\", \"star.n.01\"], \"attributes\": [\"far\"]},"
                + " {\"synsets\": [\"star.n.01\"], \"attributes\": [\"tiny\"]}]}]");
    Path relationships = write("r.json", "[]");

    assertThat(VisualGenomeCaptions.build(attributes, relationships))
        .containsExactly(
            "bright lamp", "bright light", "far star", "far sun", "hot sun", "tiny star");
  }

  @Test
  void emptyArraysGiveNoCaptions() throws IOException {
    assertThat(VisualGenomeCaptions.build(write("a.json", "[]"), write("r.json", "[]"))).isEmpty();
  }

  @Test
  void reportsProgressPerImageUpToTheFileSize() throws IOException {
    List<long[]> seen = new ArrayList<>();
    Path attributes = GOLDEN.resolve("attributes.json");
    VisualGenomeCaptions.build(
        attributes,
        GOLDEN.resolve("relationships.json"),
        (file, done, total) -> {
          if (file.equals(attributes)) {
            seen.add(new long[] {done, total});
          }
        });
    assertThat(seen).hasSize(3);
    assertThat(seen.get(2)[0]).isLessThanOrEqualTo(seen.get(2)[1]).isGreaterThan(seen.get(0)[0]);
  }

  @Test
  void rejectsMissingFileNamingIt() {
    Path absent = dir.resolve("attributes.json");
    assertThatThrownBy(() -> VisualGenomeCaptions.build(absent, absent))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining(absent.toString());
  }

  @Test
  void rejectsMalformedJsonWithLineAndColumn() throws IOException {
    Path attributes =
        write("a.json", "[\n {\"attributes\": [\n  {\"synsets\": [\"dog.n.01\",]}]}]");
    assertThatThrownBy(() -> VisualGenomeCaptions.build(attributes, attributes))
        .isInstanceOfSatisfying(
            DatasetFormatException.class,
            e -> {
              assertThat(e.file()).isEqualTo(attributes);
              assertThat(e.line()).isEqualTo(3);
              assertThat(e.getMessage()).startsWith(attributes + ":3:").contains("malformed JSON");
            });
  }

  @Test
  void rejectsTruncatedFile() throws IOException {
    Path attributes = write("a.json", "[{\"attributes\": [{\"synsets\": [\"dog.n.01\"]}");
    assertThatThrownBy(() -> VisualGenomeCaptions.build(attributes, attributes))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining(attributes.toString());
  }

  @Test
  void rejectsNonStringSynsetNamingField() throws IOException {
    Path attributes = write("a.json", "[{\"attributes\": [{\"synsets\": [\"dog.n.01\", 7]}]}]");
    assertThatThrownBy(() -> VisualGenomeCaptions.build(attributes, write("r.json", "[]")))
        .isInstanceOfSatisfying(
            DatasetFormatException.class,
            e -> {
              assertThat(e.field()).isEqualTo("attributes[].synsets[]");
              assertThat(e.line()).isEqualTo(1);
              assertThat(e.column()).isEqualTo(43);
              assertThat(e.getMessage()).contains("expected a string but found an integer");
            });
  }

  @Test
  void rejectsNullAttributesAsTheOriginalWould() throws IOException {
    Path attributes =
        write("a.json", "[{\"attributes\": [{\"synsets\": [], \"attributes\": null}]}]");
    assertThatThrownBy(() -> VisualGenomeCaptions.build(attributes, write("r.json", "[]")))
        .isInstanceOfSatisfying(
            DatasetFormatException.class,
            e -> assertThat(e.field()).isEqualTo("attributes[].attributes"));
  }

  @Test
  void rejectsImageWithoutAttributesList() throws IOException {
    Path attributes = write("a.json", "[{\"image_id\": 1}]");
    assertThatThrownBy(() -> VisualGenomeCaptions.build(attributes, write("r.json", "[]")))
        .isInstanceOfSatisfying(
            DatasetFormatException.class, e -> assertThat(e.field()).isEqualTo("attributes"));
  }

  @Test
  void rejectsRelationshipWithoutSubjectSynsets() throws IOException {
    Path relationships =
        write(
            "r.json",
            "[{\"relationships\": [{\"predicate\": \"on\", \"subject\": {\"name\": \"cup\"},"
                + " \"object\": {\"synsets\": []}}]}]");
    assertThatThrownBy(() -> VisualGenomeCaptions.build(write("a.json", "[]"), relationships))
        .isInstanceOfSatisfying(
            DatasetFormatException.class,
            e -> {
              assertThat(e.field()).isEqualTo("relationships[].subject.synsets");
              assertThat(e.getMessage()).contains(relationships.toString());
            });
  }

  @Test
  void rejectsRelationshipWithoutPredicate() throws IOException {
    Path relationships =
        write(
            "r.json",
            "[{\"relationships\": [{\"subject\": {\"synsets\": []}, \"object\": {\"synsets\":"
                + " []}}]}]");
    assertThatThrownBy(() -> VisualGenomeCaptions.build(write("a.json", "[]"), relationships))
        .isInstanceOfSatisfying(
            DatasetFormatException.class,
            e -> assertThat(e.field()).isEqualTo("relationships[].predicate"));
  }

  @Test
  void rejectsObjectWhereArrayOfImagesIsDue() throws IOException {
    Path attributes = write("a.json", "{\"attributes\": []}");
    assertThatThrownBy(() -> VisualGenomeCaptions.build(attributes, attributes))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("expected an array but found an object");
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }
}
