package org.ctx4j.core.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ctx4j.DatasetException;
import org.ctx4j.DatasetFormatException;
import org.ctx4j.MissingImageFilesException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CocoDatasetTest {
  @TempDir Path root;

  private static String captions(String images, String annotations) {
    return "{\"info\": {\"year\": 2014}, \"images\": ["
        + images
        + "], \"licenses\": [],"
        + " \"annotations\": ["
        + annotations
        + "]}";
  }

  private static String image(long id, String file) {
    return "{\"license\": 3, \"file_name\": \""
        + file
        + "\", \"height\": 480, \"width\": 640,"
        + " \"id\": "
        + id
        + "}";
  }

  private static String annotation(long imageId, long id, String caption) {
    return "{\"image_id\": " + imageId + ", \"id\": " + id + ", \"caption\": \"" + caption + "\"}";
  }

  private Path writeAnnotations(String name, String json) throws IOException {
    Files.createDirectories(root.resolve("annotations"));
    return Files.writeString(root.resolve("annotations").resolve(name), json);
  }

  @Test
  void readsBothSplitsSortedByIdWithStrippedCaptionsInFileOrder() throws IOException {
    writeAnnotations(
        "captions_train2014.json",
        captions(
            image(9, "COCO_train2014_000000000009.jpg")
                + ", "
                + image(3, "COCO_train2014_000000000003.jpg"),
            annotation(9, 1, " A dog. ")
                + ", "
                + annotation(3, 2, "a cat\\n")
                + ", "
                + annotation(9, 3, "Another dog")));
    writeAnnotations(
        "captions_val2014.json",
        captions(image(5, "COCO_val2014_000000000005.jpg"), annotation(5, 4, "a bird")));

    CocoDataset coco = CocoDataset.open(root);

    assertThat(coco.images())
        .containsExactly(
            new ImageRecord(
                3, root.resolve("train2014/COCO_train2014_000000000003.jpg"), List.of("a cat")),
            new ImageRecord(
                5, root.resolve("val2014/COCO_val2014_000000000005.jpg"), List.of("a bird")),
            new ImageRecord(
                9,
                root.resolve("train2014/COCO_train2014_000000000009.jpg"),
                List.of("A dog.", "Another dog")));
    assertThat(coco.description())
        .isEqualTo("COCO 2014 at " + root + " (3 images: 2 train2014, 1 val2014)");
  }

  @Test
  void eitherSplitAloneIsEnough() throws IOException {
    writeAnnotations("captions_val2014.json", captions(image(5, "b.jpg"), ""));
    assertThat(CocoDataset.open(root).images()).extracting(ImageRecord::id).containsExactly(5L);
  }

  @Test
  void annotationsBeforeImagesAndImagesWithoutCaptionsAreFine() throws IOException {
    writeAnnotations(
        "captions_train2014.json",
        "{\"annotations\": ["
            + annotation(2, 1, "x")
            + "], \"images\": ["
            + image(2, "a.jpg")
            + ", "
            + image(1, "b.jpg")
            + "]}");
    assertThat(CocoDataset.open(root).images())
        .extracting(ImageRecord::captions)
        .containsExactly(List.of(), List.of("x"));
  }

  @Test
  void rejectsRootWithoutAnnotationFilesNamingBoth() {
    assertThatThrownBy(() -> CocoDataset.open(root))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("captions_train2014.json")
        .hasMessageContaining("captions_val2014.json")
        .hasMessageContaining(root.resolve("annotations").toString());
  }

  @Test
  void rejectsIdInBothFilesNamingIdAndFiles() throws IOException {
    Path train = writeAnnotations("captions_train2014.json", captions(image(7, "a.jpg"), ""));
    Path val = writeAnnotations("captions_val2014.json", captions(image(7, "b.jpg"), ""));
    assertThatThrownBy(() -> CocoDataset.open(root))
        .isInstanceOf(DatasetException.class)
        .hasMessage("image id 7 is in both " + train + " and " + val);
  }

  @Test
  void rejectsIdTwiceInOneFile() throws IOException {
    Path train =
        writeAnnotations(
            "captions_train2014.json", captions(image(7, "a.jpg") + ",\n" + image(7, "b.jpg"), ""));
    assertThatThrownBy(() -> CocoDataset.open(root))
        .isInstanceOfSatisfying(
            DatasetFormatException.class,
            e -> {
              assertThat(e.file()).isEqualTo(train);
              assertThat(e.line()).isEqualTo(2);
              assertThat(e.getMessage()).contains("image id 7 listed twice");
            });
  }

  @Test
  void rejectsAnnotationOfUnknownImageWithLine() throws IOException {
    Path train =
        writeAnnotations(
            "captions_train2014.json", captions(image(1, "a.jpg"), "\n" + annotation(2, 1, "x")));
    assertThatThrownBy(() -> CocoDataset.open(root))
        .isInstanceOfSatisfying(
            DatasetFormatException.class,
            e -> {
              assertThat(e.file()).isEqualTo(train);
              assertThat(e.line()).isEqualTo(2);
              assertThat(e.field()).isEqualTo("annotations[].image_id");
              assertThat(e.getMessage()).contains("image id 2");
            });
  }

  @Test
  void rejectsNonIntegerIdNamingField() throws IOException {
    writeAnnotations(
        "captions_train2014.json", captions("{\"id\": \"12\", \"file_name\": \"a.jpg\"}", ""));
    assertThatThrownBy(() -> CocoDataset.open(root))
        .isInstanceOfSatisfying(
            DatasetFormatException.class,
            e -> {
              assertThat(e.field()).isEqualTo("images[].id");
              assertThat(e.getMessage()).contains("expected an integer but found a string");
            });
  }

  @Test
  void rejectsImageWithoutFileName() throws IOException {
    writeAnnotations("captions_train2014.json", captions("{\"id\": 12}", ""));
    assertThatThrownBy(() -> CocoDataset.open(root))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("file_name");
  }

  @Test
  void rejectsFileNameEscapingTheImageFolder() throws IOException {
    writeAnnotations("captions_train2014.json", captions(image(4, "../../etc/passwd"), ""));
    assertThatThrownBy(() -> CocoDataset.open(root))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("image id 4")
        .hasMessageContaining("../../etc/passwd");
  }

  @Test
  void rejectsMalformedJsonWithLocation() throws IOException {
    Path train = writeAnnotations("captions_train2014.json", "{\"images\": [\n{\"id\": 1,}]}");
    assertThatThrownBy(() -> CocoDataset.open(root))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageStartingWith(train + ":2:");
  }

  @Test
  void requireFilesExistReportsCountAndFirstFew() throws IOException {
    StringBuilder images = new StringBuilder();
    for (int id = 1; id <= 8; id++) {
      images.append(id > 1 ? ", " : "").append(image(id, "COCO_train2014_" + id + ".jpg"));
    }
    writeAnnotations("captions_train2014.json", captions(images.toString(), ""));
    Files.createDirectories(root.resolve("train2014"));
    Files.write(root.resolve("train2014/COCO_train2014_2.jpg"), new byte[] {1});
    CocoDataset coco = CocoDataset.open(root);

    assertThat(coco.missingFiles()).hasSize(7);
    assertThatThrownBy(coco::requireFilesExist)
        .isInstanceOfSatisfying(
            MissingImageFilesException.class,
            e -> {
              assertThat(e.missing().keySet()).containsExactly(1L, 3L, 4L, 5L, 6L, 7L, 8L);
              assertThat(e.getMessage())
                  .startsWith("7 of 8 image files of COCO 2014 at " + root)
                  .contains("COCO_train2014_1.jpg (id 1)")
                  .contains("COCO_train2014_6.jpg (id 6), ...")
                  .doesNotContain("COCO_train2014_7.jpg");
            });
  }
}
