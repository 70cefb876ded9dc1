package org.ctx4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ctx4j} on a stock JVM (no {@code --add-modules}) still retrieves with the SIMD kernel: it
 * relaunches itself with the module. Without the relaunch, the library warns once, naming the flag.
 */
class VectorRelaunchTest {
  @TempDir Path dir;

  private String demo(boolean relaunch) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dai.djl.offline=true");
    command.add("-Dorg.slf4j.simpleLogger.log.org.ctx4j.core.internal.retrieval=debug");
    if (!relaunch) {
      command.add("-Dctx4j.relaunch=false");
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Ctx4jCli.class.getName());
    command.addAll(List.of("demo", "--dir", dir.resolve(relaunch ? "a" : "b").toString(),
        "--images", "3"));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(output).isZero();
    return output;
  }

  @Test
  void aStockJvmRelaunchesWithTheVectorModuleAndRetrievesWithSimd() throws Exception {
    String output = demo(true);
    assertThat(output).contains("ctx4j retrieval kernel: vector").doesNotContain("scalar kernel");
  }

  @Test
  void withoutTheModuleOneWarningNamesTheFlag() throws Exception {
    String output = demo(false);
    assertThat(output.lines().filter(l -> l.contains("WARN")).filter(l -> l.contains("kernel")))
        .singleElement()
        .asString()
        .contains("--add-modules jdk.incubator.vector", "15x slower");
  }
}
