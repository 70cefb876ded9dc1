package org.ctx4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.ctx4j.core.dataset.CocoDataset;
import org.ctx4j.testing.DemoData;
import org.ctx4j.testing.TinyClipModels;
import org.ctx4j.testing.TinyClipSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java snippet, as written there, compiles and runs: it is extracted from README.md,
 * wrapped in a class with the library's imports, compiled with the JDK's compiler and run in a
 * child JVM whose working directory holds {@code datasets/coco_captions}, {@code
 * datasets/visual_genome} and {@code clip-vit-base-patch32} (demo data and a tiny model under the
 * names the snippet uses). The one change: the snippet's example COCO id becomes an id of the demo
 * data.
 */
class ReadmeSnippetTest {
  private static final String EXAMPLE_ID = "531912";

  @TempDir Path work;

  @Test
  void readmeJavaSnippetCompilesAndRuns() throws Exception {
    String readme = Files.readString(Path.of(System.getProperty("ctx4j.readme")));
    Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertThat(m.find()).as("README has a ```java block").isTrue();
    String snippet = m.group(1);
    assertThat(snippet).contains(EXAMPLE_ID);

    DemoData.write(work.resolve("datasets/demo"), 5, 51);
    Files.move(work.resolve("datasets/demo/coco"), work.resolve("datasets/coco_captions"));
    Files.move(work.resolve("datasets/demo/visual_genome"), work.resolve("datasets/visual_genome"));
    TinyClipModels.write(work.resolve("clip-vit-base-patch32"), TinyClipSpec.tiny(), 51);
    long id = CocoDataset.open(work.resolve("datasets/coco_captions")).images().get(0).id();

    Path src = Files.createDirectories(work.resolve("src"));
    String program =
        String.join("\n",
            "import java.nio.file.Path;",
            "import org.ctx4j.clip.ClipModel;",
            "import org.ctx4j.core.*;",
            "public class ReadmeSnippet {",
            "  public static void main(String[] args) {",
            snippet.replace(EXAMPLE_ID, Long.toString(id)),
            "  }",
            "}");
    // `top` lives inside the snippet's try block: print it right where it is declared.
    program = program.replaceFirst(
        "(TopKTexts top = [^;]*;)", "$1 System.out.println(\"snippet ran: \" + top.texts());");
    Files.writeString(src.resolve("ReadmeSnippet.java"), program, StandardCharsets.UTF_8);

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    String classpath = System.getProperty("java.class.path");
    int rc = javac.run(null, null, null, "-cp", classpath, "-d", src.toString(),
        src.resolve("ReadmeSnippet.java").toString());
    assertThat(rc).as("javac of%n%s", program).isZero();

    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true",
                "-cp", src + java.io.File.pathSeparator + classpath,
                "ReadmeSnippet")
            .directory(work.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(output).isZero();
    assertThat(output).contains("snippet ran: [");
    assertThat(work.resolve("outputs/txt_ctx.hdf5")).exists();
    List<String> printed = List.of(output.split("\n"));
    assertThat(printed).anyMatch(l -> l.startsWith("snippet ran: [") && l.split(",").length == 4);
  }
}
