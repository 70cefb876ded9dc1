package org.ctx4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.ctx4j.core.retrieval.RetrievalOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The part commit protocol on Hadoop's local FileSystem: the first attempt's rename wins, a second
 * (retried or speculative) attempt of the same part commits nothing and leaves no attempt
 * directory behind; the session's Hadoop settings reach the file system an executor opens.
 */
class PartCommitTest {
  @TempDir Path tmp;

  private Path file(String dir, String name, String text) throws IOException {
    Path f = tmp.resolve(dir).resolve(name);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text, StandardCharsets.UTF_8);
    return f;
  }

  @Test
  void firstAttemptWinsAndASecondAttemptIsANoOp() throws IOException {
    Path out = tmp.resolve("out");
    OutputStore store = OutputStore.open(out.toUri().toString(), new Configuration());
    String part = OutputStore.partDir("images", "shard-0-of-2");
    Path committed = out.resolve(part);

    assertThat(store.commit(part, List.of(file("a1", "vis_ctx.shard-0-of-2.hdf5", "first"))))
        .isTrue();
    assertThat(store.exists(part)).isTrue();

    assertThat(store.commit(part, List.of(file("a2", "vis_ctx.shard-0-of-2.hdf5", "second"))))
        .as("a second attempt of a committed part")
        .isFalse();
    assertThat(Files.readString(committed.resolve("vis_ctx.shard-0-of-2.hdf5")))
        .isEqualTo("first");
    try (Stream<Path> s = Files.list(committed)) {
      assertThat(s.toList()).hasSize(1);
    }
    Path attempts = out.resolve(OutputStore.WORK_DIR).resolve("attempts");
    try (Stream<Path> s = Files.list(attempts)) {
      assertThat(s.toList()).as("no attempt directory left behind").isEmpty();
    }
  }

  @Test
  void aLosingRenameDeletesItsCopyAndKeepsTheWinner() throws IOException {
    Path out = tmp.resolve("out");
    OutputStore store = OutputStore.open(out.toString(), new Configuration());
    String part = OutputStore.partDir("captions", "part-00000-of-00001");
    // The winner committed between the loser's existence check and its rename.
    Files.createDirectories(out.resolve(part));
    Files.writeString(out.resolve(part).resolve("part.f32"), "winner");
    Path attempt = out.resolve(OutputStore.WORK_DIR).resolve("attempts");
    assertThat(store.commitAfterCheck(part, List.of(file("b", "part.f32", "loser")))).isFalse();
    assertThat(Files.readString(out.resolve(part).resolve("part.f32"))).isEqualTo("winner");
    try (Stream<Path> s = Files.list(out.resolve(part))) {
      assertThat(s.toList()).as("the rename did not move into the winner").hasSize(1);
    }
    try (Stream<Path> s = Files.list(attempt)) {
      assertThat(s.toList()).isEmpty();
    }
  }

  /**
   * Hadoop caches one file system per scheme and authority: one made earlier in the JVM with
   * other settings (here without the scheme's {@code AbstractFileSystem}, which renames need) must
   * not stand in for the job's settings.
   */
  @Test
  void renamesUseTheJobsSettingsWhateverFileSystemHadoopHasCached() throws IOException {
    Path out = tmp.resolve("remote");
    String uri = RemoteLikeFileSystem.SCHEME + "://" + out;
    Configuration other = new Configuration();
    other.set("fs." + RemoteLikeFileSystem.SCHEME + ".impl", RemoteLikeFileSystem.class.getName());
    FileSystem cached = FileSystem.get(URI.create(uri), other);
    try {
      Configuration job = new Configuration(other);
      job.set("fs.AbstractFileSystem." + RemoteLikeFileSystem.SCHEME + ".impl",
          RemoteLikeFileSystem.Fs.class.getName());
      OutputStore store = OutputStore.open(uri, job);
      assertThat(store.fs()).as("Hadoop's cached instance").isSameAs(cached);
      String part = OutputStore.partDir("captions", "part-00000-of-00001");
      assertThat(store.commitAfterCheck(part, List.of(file("a", "part.f32", "bytes")))).isTrue();
      assertThat(out.resolve(part).resolve("part.f32")).hasContent("bytes");
      store.upload(file("b", "job.properties", "k=v"), "_ctx4j_spark/job.properties");
      assertThat(out.resolve("_ctx4j_spark/job.properties")).hasContent("k=v");
    } finally {
      cached.close(); // out of Hadoop's cache: later tests make their own
    }
  }

  /** A local file system that only a setting can select. */
  public static final class SelectedLocalFileSystem extends LocalFileSystem {}

  @Test
  void theSessionsHadoopSettingsTravelWithTheJobToTheExecutorsFileSystem() throws Exception {
    Map<String, String> settings =
        Map.of("fs.file.impl", SelectedLocalFileSystem.class.getName(),
            "fs.file.impl.disable.cache", "true");
    JobSpec spec =
        new JobSpec(null, tmp.toString(), null, null, tmp.toString(), "KEEP_END_TOKEN", "AUTO",
            tmp.resolve("out").toString(), 16, Map.of(), List.of("whole"), false, false,
            RetrievalSpec.of(RetrievalOptions.exact()), false, 1, 1, 8,
            256, 1, settings);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
      o.writeObject(spec);
    }
    JobSpec shipped;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      shipped = (JobSpec) in.readObject();
    }
    OutputStore store = OutputStore.open(shipped.out(), shipped.hadoopConfiguration());
    assertThat(store.fs()).isInstanceOf(SelectedLocalFileSystem.class);
    assertThat(OutputStore.open(spec.out(), new Configuration()).fs())
        .isNotInstanceOf(SelectedLocalFileSystem.class);
  }
}
