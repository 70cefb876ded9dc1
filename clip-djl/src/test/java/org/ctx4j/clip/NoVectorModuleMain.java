package org.ctx4j.clip;

import java.nio.file.Path;

/** Run by ClipBackendSelectionTest in a JVM without jdk.incubator.vector. */
final class NoVectorModuleMain {
  private NoVectorModuleMain() {}

  public static void main(String[] args) {
    Path model = Path.of(args[0]);
    try (ClipModel auto = ClipModel.load(model)) {
      System.out.println("AUTO -> " + auto.backend());
    }
    try (ClipModel java =
        ClipModel.load(model, ClipOptions.builder().backend(ClipOptions.Backend.JAVA).build())) {
      System.out.println("loaded " + java.backend());
    } catch (RuntimeException e) {
      System.out.println(e.getMessage());
    }
  }
}
