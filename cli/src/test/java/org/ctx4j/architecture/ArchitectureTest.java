package org.ctx4j.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries of docs/architecture.md, checked on the compiled classes of every library
 * module, the command line and the examples (this module's test classpath holds them all). A rule
 * broken by new code fails the build, naming the class and the dependency.
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.ctx4j");
  }

  @Test
  void internalPackagesAreUsedOnlyInsideTheirModule() {
    for (String module : new String[] {"hdf5", "core", "clip"}) {
      noClasses()
          .that().resideOutsideOfPackage("org.ctx4j." + module + "..")
          .should().dependOnClassesThat().resideInAPackage("org.ctx4j." + module + ".internal..")
          .because("internal packages of " + module + " may change without notice")
          .check(classes);
    }
  }

  @Test
  void theCommandLineAndTheExamplesUseThePublicSurfaceOnly() {
    noClasses()
        .that().resideInAnyPackage("org.ctx4j.cli..", "org.ctx4j.server..", "org.ctx4j.examples..")
        .should().dependOnClassesThat().resideInAnyPackage("..internal..", "org.ctx4j.hdf5..")
        .because("users read files through core's TextualContext / VisualContext / CaptionDb")
        .check(classes);
  }

  @Test
  void modulesDependOnlyDownwards() {
    noClasses().that().resideInAPackage("org.ctx4j.hdf5..")
        .should().dependOnClassesThat()
        .resideInAnyPackage(
            "org.ctx4j.core..", "org.ctx4j.clip..", "org.ctx4j.server..", "org.ctx4j.cli..")
        .check(classes);
    noClasses().that().resideInAPackage("org.ctx4j.core..")
        .should().dependOnClassesThat()
        .resideInAnyPackage("org.ctx4j.clip..", "org.ctx4j.server..", "org.ctx4j.cli..")
        .check(classes);
    noClasses().that().resideInAPackage("org.ctx4j.clip..")
        .should().dependOnClassesThat().resideInAnyPackage("org.ctx4j.server..", "org.ctx4j.cli..")
        .check(classes);
    noClasses().that().resideInAPackage("org.ctx4j.server..")
        .should().dependOnClassesThat().resideInAnyPackage("org.ctx4j.cli..")
        .check(classes);
  }

  @Test
  void libraryModulesNeverReachTestTooling() {
    noClasses()
        .that().resideInAnyPackage("org.ctx4j", "org.ctx4j.hdf5..", "org.ctx4j.core..",
            "org.ctx4j.clip..", "org.ctx4j.server..", "org.ctx4j.examples..")
        .should().dependOnClassesThat().resideInAPackage("org.ctx4j.testing..")
        .check(classes);
  }

  @Test
  void noCyclesBetweenModules() {
    slices().matching("org.ctx4j.(hdf5|core|clip|server|cli|examples)..").should().beFreeOfCycles()
        .check(classes);
  }

  @Test
  void noCyclesBetweenPackages() {
    slices().matching("org.ctx4j.(**)").namingSlices("package org.ctx4j.$1")
        .should().beFreeOfCycles()
        .because("an API package uses its internal packages, never the other way round: internal "
            + "code takes plain values, and what needs the API types lives in the API package")
        .check(classes);
  }
}
