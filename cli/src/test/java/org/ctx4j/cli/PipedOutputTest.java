package org.ctx4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Output piped to a file or CI log holds no ANSI escape codes and no carriage-return redraws:
 * progress comes as plain log lines. Run on this JVM and on JDK 25, where {@code System.console()}
 * is no longer null when output is piped.
 */
class PipedOutputTest {
  @TempDir Path dir;

  static Stream<Path> javaHomes() {
    List<Path> homes = new ArrayList<>();
    homes.add(Path.of(System.getProperty("java.home")));
    Path jdk25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    if (Files.isExecutable(jdk25.resolve("bin/java"))) {
      homes.add(jdk25);
    }
    return homes.stream();
  }

  @ParameterizedTest
  @MethodSource("javaHomes")
  void demoOutputThroughAPipeIsPlainText(Path javaHome) throws Exception {
    List<String> command =
        List.of(
            javaHome.resolve("bin/java").toString(),
            "-Dai.djl.offline=true",
            "-cp",
            System.getProperty("java.class.path"),
            Ctx4jCli.class.getName(),
            "demo",
            "--dir",
            dir.toString(),
            "--images",
            "4");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(output).isZero();
    assertThat(output)
        .as(output)
        .contains("built [CAPTION_DB, VISUAL, TEXTUAL]")
        .doesNotContain("\u001b")
        .doesNotContain("\r");
  }
}
