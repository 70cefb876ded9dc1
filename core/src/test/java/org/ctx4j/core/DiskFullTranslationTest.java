package org.ctx4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.List;
import org.ctx4j.Hdf5WriteException;
import org.ctx4j.OutOfDiskSpaceException;
import org.junit.jupiter.api.Test;

/** Recognising a full disk however it is wrapped; the end-to-end test is examples DiskFullTest, on a real full tmpfs. */
class DiskFullTranslationTest {
  private static final Path OUT = Path.of("/data/out");

  @Test
  void aFullDiskIsFoundInCausesAndSuppressedExceptionsInTheOperatingSystemsWords() {
    IOException enospc = new IOException("No space left on device");
    RuntimeException wrapped = new IllegalStateException("outer", new UncheckedIOException(enospc));
    RuntimeException suppressing = new IllegalStateException("pipeline stopped");
    suppressing.addSuppressed(new UncheckedIOException(new IOException("Disk quota exceeded")));
    FileSystemException nio =
        new FileSystemException("/data/out/x.tmp", null, "No space left on device");

    assertThat(DiskFull.diskFullReason(wrapped)).contains("No space left on device");
    assertThat(DiskFull.diskFullReason(suppressing)).contains("Disk quota exceeded");
    assertThat(DiskFull.diskFullReason(new UncheckedIOException(nio)))
        .contains("No space left on device");
    assertThat(DiskFull.diskFullReason(new UncheckedIOException(new IOException("Broken pipe"))))
        .isEmpty();
    assertThat(DiskFull.diskFullReason(new IllegalStateException("No space left on device")))
        .as("only an I/O error means the disk")
        .isEmpty();
  }

  @Test
  void otherFailuresPassThroughUnchanged() {
    RuntimeException other = new Hdf5WriteException(OUT, "x", new IOException("Input/output error"));
    assertThat(DiskFull.translate(other, OUT, () -> DiskFull.Estimate.UNKNOWN)).isSameAs(other);
  }

  @Test
  void theMessageNamesTheFileTheSpaceNeededAndWhatTheRerunDoes() {
    Path db = OUT.resolve("caption_db.hdf5");
    RuntimeException failure =
        new Hdf5WriteException(db, "x", new IOException("No space left on device"));
    RuntimeException e =
        DiskFull.translate(
            failure, OUT, DiskFull.captionDbWork(db, List.of("white dog", "dog on grass"), 4, 8));

    assertThat(e).isInstanceOf(OutOfDiskSpaceException.class).hasCause(failure);
    OutOfDiskSpaceException full = (OutOfDiskSpaceException) e;
    assertThat(full.path()).isEqualTo(db);
    // 2 captions × (4·(4+8) + 32 + 16) bytes
    assertThat(full.neededBytes()).hasValue(2 * (48 + 32 + 16));
    assertThat(full.getMessage())
        .isEqualTo(
            "no space left on device writing /data/out/caption_db.hdf5: the rest of the build"
                + " needs about 192 B more for caption_db.hdf5 (2 captions), and the context files"
                + " on top; free space in /data/out and rerun the same build: it builds the caption"
                + " db again, then goes on");
  }

  @Test
  void sizesUseBinaryUnits() {
    assertThat(DiskFull.size(512)).isEqualTo("512 B");
    assertThat(DiskFull.size(1536)).isEqualTo("1.5 KiB");
    assertThat(DiskFull.size(3L << 30)).isEqualTo("3.0 GiB");
  }
}
