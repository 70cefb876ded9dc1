package org.ctx4j.core.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ctx4j.DatasetException;
import org.ctx4j.DatasetFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderSourceTest {
  @TempDir Path dir;

  private void touch(String... names) throws IOException {
    for (String name : names) {
      Files.write(dir.resolve(name), new byte[] {1});
    }
  }

  @Test
  void idIsTheLastDigitRunOfTheStem() {
    assertThat(ImageFolderSource.lastDigitRun("COCO_val2014_000000531912"))
        .isEqualTo("000000531912");
    assertThat(ImageFolderSource.lastDigitRun("img_2014_07_b")).isEqualTo("07");
    assertThat(ImageFolderSource.lastDigitRun("42")).isEqualTo("42");
    assertThat(ImageFolderSource.lastDigitRun("cat")).isEmpty();
    assertThat(ImageFolderSource.lastDigitRun("\u0663\u0664")).isEmpty(); // Arabic-Indic digits
  }

  @Test
  void readsImagesSortedByIdIgnoringOtherFiles() throws IOException {
    touch(
        "COCO_val2014_000000531912.jpg",
        "b_7.PNG",
        "c10.jpeg",
        "notes.txt",
        ".hidden_3.jpg",
        "x5.webp");
    Files.createDirectories(dir.resolve("sub_99.jpg"));

    ImageFolderSource source = ImageFolderSource.of(dir);

    assertThat(source.images())
        .extracting(ImageRecord::id, image -> image.file().getFileName().toString())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(5L, "x5.webp"),
            org.assertj.core.groups.Tuple.tuple(7L, "b_7.PNG"),
            org.assertj.core.groups.Tuple.tuple(10L, "c10.jpeg"),
            org.assertj.core.groups.Tuple.tuple(531912L, "COCO_val2014_000000531912.jpg"));
    assertThat(source.images()).allSatisfy(image -> assertThat(image.captions()).isEmpty());
    assertThat(source.description()).isEqualTo("image folder " + dir + " (4 images)");
  }

  @Test
  void rejectsNamesWithoutDigitsListingAFew() throws IOException {
    touch("a.jpg", "b.jpg", "c.jpg", "d.jpg", "e.jpg", "f.jpg", "g_1.jpg");
    assertThatThrownBy(() -> ImageFolderSource.of(dir))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("6 image files in " + dir + " have no digits")
        .hasMessageContaining("a.jpg, b.jpg, c.jpg, d.jpg, e.jpg, ...")
        .hasMessageContaining("fromMappingFile");
  }

  @Test
  void rejectsTwoFilesWithTheSameId() throws IOException {
    touch("a_1.jpg", "b_001.png");
    assertThatThrownBy(() -> ImageFolderSource.of(dir))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("image id 1 from both a_1.jpg and b_001.png");
  }

  @Test
  void rejectsIdTooLargeForLong() throws IOException {
    touch("img_99999999999999999999.jpg");
    assertThatThrownBy(() -> ImageFolderSource.of(dir))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("99999999999999999999");
  }

  @Test
  void rejectsAbsentOrEmptyFolder() {
    assertThatThrownBy(() -> ImageFolderSource.of(dir.resolve("nope")))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("no such image folder");
    assertThatThrownBy(() -> ImageFolderSource.of(dir))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("no image files");
  }

  @Test
  void userMappingResolvesRelativePaths() {
    Path absolute = dir.resolve("elsewhere/x.png").toAbsolutePath();
    ImageFolderSource source =
        ImageFolderSource.of(dir, Map.of(20L, Path.of("cat.jpg"), 10L, absolute));
    assertThat(source.images())
        .containsExactly(
            new ImageRecord(10, absolute, List.of()),
            new ImageRecord(20, dir.resolve("cat.jpg"), List.of()));
  }

  @Test
  void mappingFromCsvWithHeader() throws IOException {
    Path csv =
        Files.writeString(dir.resolve("ids.csv"), "id,file\n3, cat, black.jpg\n\n1,dog.png\n");
    assertThat(ImageFolderSource.fromMappingFile(dir, csv).images())
        .containsExactly(
            new ImageRecord(1, dir.resolve("dog.png"), List.of()),
            new ImageRecord(3, dir.resolve("cat, black.jpg"), List.of()));
  }

  @Test
  void mappingFromJsonObject() throws IOException {
    Path json = Files.writeString(dir.resolve("ids.json"), "{\"12\": \"a.jpg\", \"4\": \"b.jpg\"}");
    assertThat(ImageFolderSource.fromMappingFile(dir, json).images())
        .extracting(ImageRecord::id)
        .containsExactly(4L, 12L);
  }

  @Test
  void rejectsBadCsvLineNamingIt() throws IOException {
    Path csv = Files.writeString(dir.resolve("ids.csv"), "1,a.jpg\nx2,b.jpg\n");
    assertThatThrownBy(() -> ImageFolderSource.fromMappingFile(dir, csv))
        .isInstanceOfSatisfying(
            DatasetFormatException.class,
            e -> {
              assertThat(e.line()).isEqualTo(2);
              assertThat(e.getMessage()).startsWith(csv + ":2:1:").contains("\"x2\"");
            });
  }

  @Test
  void rejectsNonNumericJsonKey() throws IOException {
    Path json =
        Files.writeString(dir.resolve("ids.json"), "{\"12\": \"a.jpg\",\n \"cat\": \"b.jpg\"}");
    assertThatThrownBy(() -> ImageFolderSource.fromMappingFile(dir, json))
        .isInstanceOfSatisfying(
            DatasetFormatException.class,
            e -> {
              assertThat(e.line()).isEqualTo(2);
              assertThat(e.field()).isEqualTo("cat");
            });
  }

  @Test
  void rejectsRepeatedIdInMapping() throws IOException {
    Path csv = Files.writeString(dir.resolve("ids.csv"), "1,a.jpg\n1,b.jpg\n");
    assertThatThrownBy(() -> ImageFolderSource.fromMappingFile(dir, csv))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("image id 1 mapped twice");
  }
}
