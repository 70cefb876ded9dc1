package org.ctx4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessMode;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The java.nio view of a Hadoop file system that the Spark job reads its inputs through: paths
 * behave as Unix paths of the same text, reads and attributes are those of the files, writes are
 * refused, and each directory is listed once per view. Run on a Hadoop file system of another
 * scheme kept on local disk ({@link RemoteLikeFileSystem}); {@code SparkHdfsTest} builds from HDFS.
 */
class ReadOnlyHadoopFileSystemTest {
  /** Not the empty path (on Unix one empty name; here none): no input location is empty. */
  private static final List<String> PATHS =
      List.of("/", "/a", "/a/b/c", "/a/./b/../c", "/../a", "/a/b/", "a", "a/b", "../a/b",
          "a/../..", "./a", "a/b/c/d", "b/c", "c");

  @TempDir Path tmp;

  private Path view(String path) {
    Configuration conf = new Configuration();
    conf.set("fs." + RemoteLikeFileSystem.SCHEME + ".impl", RemoteLikeFileSystem.class.getName());
    conf.setBoolean("fs." + RemoteLikeFileSystem.SCHEME + ".impl.disable.cache", true);
    return InputPaths.resolve(RemoteLikeFileSystem.SCHEME + "://" + path, conf);
  }

  /** The text of {@code p} as a Unix path would print it (no scheme prefix). */
  private static String text(Path p) {
    if (p == null) {
      return null;
    }
    return p instanceof HadoopPath h && h.isAbsolute() ? h.absoluteText() : p.toString();
  }

  /** {@code b} relative to {@code a}, or "refused" where there is no such path. */
  private static String relativized(Path a, Path b) {
    try {
      return text(a.relativize(b));
    } catch (IllegalArgumentException e) {
      return "refused";
    }
  }

  @Test
  void pathsBehaveAsUnixPathsOfTheSameText() {
    Path root = view("/");
    for (String a : PATHS) {
      Path unix = Path.of(a);
      Path ours = root.getFileSystem().getPath(a);
      String what = "'" + a + "'";
      assertThat(ours.isAbsolute()).as(what).isEqualTo(unix.isAbsolute());
      assertThat(ours.getNameCount()).as(what).isEqualTo(unix.getNameCount());
      for (UnaryOperator<Path> op :
          List.<UnaryOperator<Path>>of(Path::normalize, Path::getParent, Path::getFileName,
              Path::getRoot)) {
        assertThat(text(op.apply(ours))).as(what).isEqualTo(text(op.apply(unix)));
      }
      for (String b : PATHS) {
        Path unixB = Path.of(b);
        Path oursB = root.getFileSystem().getPath(b);
        String pair = what + ", '" + b + "'";
        assertThat(text(ours.resolve(oursB))).as("resolve " + pair)
            .isEqualTo(text(unix.resolve(unixB)));
        assertThat(ours.startsWith(oursB)).as("startsWith " + pair)
            .isEqualTo(unix.startsWith(unixB));
        assertThat(ours.endsWith(oursB)).as("endsWith " + pair).isEqualTo(unix.endsWith(unixB));
        if (unix.isAbsolute() == unixB.isAbsolute()) {
          assertThat(relativized(ours, oursB)).as("relativize " + pair)
              .isEqualTo(relativized(unix, unixB));
        }
      }
    }
    assertThat(root.getFileSystem().getPath("/coco/x y.jpg").toUri().toString())
        .isEqualTo(RemoteLikeFileSystem.SCHEME + ":/coco/x%20y.jpg");
  }

  @Test
  void readsFilesAndAttributesAndRefusesWrites() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("in/sub"));
    byte[] bytes = new byte[200_000];
    new java.util.Random(3).nextBytes(bytes);
    Files.write(dir.resolve("b.bin"), bytes);
    Files.writeString(dir.resolve("a.txt"), "hello");
    Files.setLastModifiedTime(dir.resolve("b.bin"), FileTime.fromMillis(1_700_000_000_123L));

    Path sub = view(dir.toString());
    Path b = sub.resolve("b.bin");
    assertThat(b.toString()).isEqualTo(RemoteLikeFileSystem.SCHEME + "://" + dir + "/b.bin");
    assertThat(Files.readAllBytes(b)).isEqualTo(bytes);
    try (InputStream in = Files.newInputStream(sub.resolve("a.txt"))) {
      assertThat(in.readAllBytes()).asString().isEqualTo("hello");
    }
    assertThat(Files.size(b)).isEqualTo(bytes.length);
    assertThat(Files.getLastModifiedTime(b).toMillis()).isEqualTo(1_700_000_000_123L);
    assertThat(Files.isRegularFile(b)).isTrue();
    assertThat(Files.isDirectory(sub)).isTrue();
    assertThat(Files.isDirectory(b)).isFalse();
    assertThat(Files.isReadable(b)).isTrue();
    try (Stream<Path> list = Files.list(sub)) {
      assertThat(list.map(p -> p.getFileName().toString())).containsExactly("a.txt", "b.bin");
    }
    try (Stream<Path> walk = Files.walk(sub.getParent())) {
      assertThat(walk.filter(Files::isRegularFile).map(p -> sub.getParent().relativize(p)
          .toString())).containsExactlyInAnyOrder("sub/a.txt", "sub/b.bin");
    }
    org.ctx4j.core.ContentDigest.ofFile(b); // reads through a byte channel

    Path missing = sub.resolve("missing.jpg");
    assertThat(Files.exists(missing)).isFalse();
    assertThatThrownBy(() -> Files.readAllBytes(missing))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessage(missing.toString());
    assertThat(Files.exists(sub.resolve("nowhere/x.jpg"))).isFalse();

    assertThatThrownBy(() -> Files.writeString(sub.resolve("c.txt"), "x"))
        .isInstanceOf(ReadOnlyFileSystemException.class);
    assertThatThrownBy(() -> Files.delete(b)).isInstanceOf(ReadOnlyFileSystemException.class);
    assertThatThrownBy(() -> b.getFileSystem().provider().checkAccess(b, AccessMode.WRITE))
        .isInstanceOf(java.nio.file.AccessDeniedException.class);
    assertThat(Files.notExists(tmp.resolve("in/sub/c.txt"))).isTrue();
  }

  /**
   * The build reads an image's header through a stream, then the whole file: a small file is read
   * whole at the first open and its bytes serve the read that follows (one round trip on HDFS).
   */
  @Test
  void aSmallFileReadThroughAStreamServesTheWholeReadThatFollowsFromOneOpen() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("images"));
    Files.writeString(dir.resolve("1.jpg"), "first");
    Path image = view(dir.toString()).resolve("1.jpg");
    try (InputStream header = Files.newInputStream(image)) {
      assertThat(header.readNBytes(2)).asString().isEqualTo("fi");
    }
    Files.writeString(dir.resolve("1.jpg"), "FIRST"); // changed after the first open
    assertThat(Files.readAllBytes(image)).asString().as("the bytes of the first open")
        .isEqualTo("first");
    assertThat(Files.readAllBytes(image)).asString().as("kept for one read only")
        .isEqualTo("FIRST");
  }

  @Test
  void aViewListsEachDirectoryOnceAndSeesItAsItWasThen() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("images"));
    Files.writeString(dir.resolve("1.jpg"), "one");
    Path images = view(dir.toString());
    assertThat(Files.size(images.resolve("1.jpg"))).isEqualTo(3);

    Files.writeString(dir.resolve("2.jpg"), "two!");
    Files.writeString(dir.resolve("1.jpg"), "one, longer");
    assertThat(Files.exists(images.resolve("2.jpg"))).as("listed before it was added").isFalse();
    assertThat(Files.size(images.resolve("1.jpg"))).as("the size listed").isEqualTo(3);

    Path fresh = view(dir.toString());
    assertThat(Files.size(fresh.resolve("2.jpg"))).isEqualTo(4);
    assertThat(Files.size(fresh.resolve("1.jpg"))).isEqualTo(11);
  }
}
