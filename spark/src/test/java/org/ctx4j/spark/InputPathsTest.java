package org.ctx4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the job reads its inputs: local paths as they are, a remote model as a local copy. */
class InputPathsTest {
  @TempDir Path tmp;
  private Path copy;

  private static Configuration remoteLike() {
    Configuration conf = new Configuration();
    conf.set("fs." + RemoteLikeFileSystem.SCHEME + ".impl", RemoteLikeFileSystem.class.getName());
    conf.setBoolean("fs." + RemoteLikeFileSystem.SCHEME + ".impl.disable.cache", true);
    return conf;
  }

  @AfterEach
  void removeCopies() {
    if (copy != null) {
      ImageParts.deleteTree(copy.getParent());
    }
  }

  @Test
  void localLocationsAreThePathsThemselves() {
    assertThat(InputPaths.resolve(tmp.toString(), remoteLike())).isEqualTo(tmp);
    assertThat(InputPaths.resolve(tmp.toUri().toString(), remoteLike())).isEqualTo(tmp);
    assertThat(InputPaths.localModel(tmp.toString(), remoteLike())).isEqualTo(tmp);
  }

  @Test
  void aRemoteModelIsCopiedOncePerVersionUnderItsOwnName() throws IOException {
    Path model = Files.createDirectories(tmp.resolve("clip-tiny"));
    Files.writeString(model.resolve("config.json"), "{\"a\": 1}");
    Files.createDirectories(model.resolve("onnx"));
    Files.write(model.resolve("onnx/vision.onnx"), new byte[] {1, 2, 3});
    String uri = RemoteLikeFileSystem.SCHEME + "://" + model;

    copy = InputPaths.localModel(uri, remoteLike());
    assertThat(copy.getFileName().toString()).as("the model's id").isEqualTo("clip-tiny");
    assertThat(copy).isNotEqualTo(model);
    assertThat(copy.resolve("config.json")).hasContent("{\"a\": 1}");
    assertThat(copy.resolve("onnx/vision.onnx")).hasBinaryContent(new byte[] {1, 2, 3});
    FileTime copied = Files.getLastModifiedTime(copy.resolve("config.json"));
    assertThat(InputPaths.localModel(uri, remoteLike())).as("found, not copied again")
        .isEqualTo(copy);
    assertThat(Files.getLastModifiedTime(copy.resolve("config.json"))).isEqualTo(copied);

    Files.writeString(model.resolve("config.json"), "{\"a\": 22}");
    Path second = InputPaths.localModel(uri, remoteLike());
    try {
      assertThat(second).as("another version, another copy").isNotEqualTo(copy);
      assertThat(second.resolve("config.json")).hasContent("{\"a\": 22}");
      assertThat(copy.resolve("config.json")).as("the first copy untouched")
          .hasContent("{\"a\": 1}");
    } finally {
      ImageParts.deleteTree(second.getParent());
    }
  }
}
