package org.ctx4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Spark standalone cluster on this machine for tests: a Master and {@code n} Workers, each its
 * own JVM started from Spark's own classes on the test class path, bound to 127.0.0.1 on free
 * ports. Start-up waits on the daemons' log lines (the master's URL, each worker's registration),
 * never on sleeps. Executors the workers launch get the test class path as {@code
 * spark.executor.extraClassPath}. {@link #close()} kills every daemon and executor JVM.
 */
final class StandaloneCluster implements AutoCloseable {
  private static final Pattern MASTER_URL =
      Pattern.compile("Starting Spark master at (spark://127\\.0\\.0\\.1:\\d+)");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final Path dir;
  private final List<Process> daemons = new ArrayList<>();
  private final List<Process> workers = new ArrayList<>();
  private String masterUrl;

  private StandaloneCluster(Path dir) {
    this.dir = dir;
  }

  /** The test JVM's class path (surefire's, not its manifest-only booter jar). */
  static String testClassPath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }

  /** The JVM flags Spark 4 needs on Java 17 and the Vector API module (as the test JVM has). */
  static List<String> jvmFlags() {
    List<String> flags = new ArrayList<>();
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens") || arg.startsWith("--add-modules")
          || arg.startsWith("-Djdk.reflect") || arg.startsWith("-Dio.netty")
          || arg.equals("-XX:+IgnoreUnrecognizedVMOptions")) {
        flags.add(arg);
      }
    }
    return flags;
  }

  /** Starts a Master and {@code workers} Workers of one core and {@code workerMemory} each. */
  static StandaloneCluster start(Path dir, int workers, String workerMemory) {
    StandaloneCluster c = new StandaloneCluster(dir);
    try {
      Path sparkHome = dir.resolve("spark-home");
      // The worker's executor command builder wants SPARK_HOME/jars; the classes come from
      // spark.executor.extraClassPath.
      Files.createDirectories(sparkHome.resolve("jars"));
      Path masterLog = dir.resolve("master.log");
      c.daemons.add(
          c.launch(sparkHome, masterLog, List.of(
              "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", "0",
              "--webui-port", "0")));
      Matcher m = awaitLog(masterLog, MASTER_URL, c.daemons.get(0));
      c.masterUrl = m.group(1);
      for (int i = 0; i < workers; i++) {
        Path work = dir.resolve("worker-" + i);
        Files.createDirectories(work);
        Process p =
            c.launch(sparkHome, dir.resolve("worker-" + i + ".log"), List.of(
                "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--port", "0",
                "--webui-port", "0", "--cores", "1", "--memory", workerMemory,
                "--work-dir", work.toString(), c.masterUrl));
        c.daemons.add(p);
        c.workers.add(p);
      }
      for (int i = 0; i < workers; i++) {
        awaitLog(dir.resolve("worker-" + i + ".log"),
            Pattern.compile("Successfully registered with master"), c.workers.get(i));
      }
      return c;
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  private Process launch(Path sparkHome, Path log, List<String> mainAndArgs) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx192m");
    cmd.addAll(jvmFlags());
    cmd.add("-Dspark.ui.enabled=false");
    cmd.add("-Dspark.log.structuredLogging.enabled=false");
    cmd.add("-cp");
    cmd.add(testClassPath());
    cmd.addAll(mainAndArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.environment().put("SPARK_HOME", sparkHome.toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().remove("SPARK_CONF_DIR");
    return pb.start();
  }

  /** Waits until {@code log} has a line matching {@code pattern}; fails if {@code p} exits. */
  static Matcher awaitLog(Path log, Pattern pattern, Process p) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        if (Files.exists(log)) {
          Matcher m = pattern.matcher(Files.readString(log, StandardCharsets.UTF_8));
          if (m.find()) {
            return m;
          }
        }
        if (!p.isAlive()) {
          throw new IllegalStateException(
              "daemon exited (" + p.exitValue() + ") before '" + pattern + "' in " + log + ":\n"
                  + tail(log));
        }
        // Poll the log the daemon writes; there is no other notification to wait on.
        p.waitFor(100, TimeUnit.MILLISECONDS);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    throw new IllegalStateException("no '" + pattern + "' in " + log + " after " + START_TIMEOUT
        + ":\n" + tail(log));
  }

  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  String masterUrl() {
    return masterUrl;
  }

  /** The settings a driver needs to run on this cluster with the test classes on executors. */
  Map<String, String> driverConf() {
    String opts = String.join(" ", jvmFlags());
    return Map.of(
        "spark.driver.host", "127.0.0.1",
        "spark.driver.bindAddress", "127.0.0.1",
        "spark.executor.extraClassPath", testClassPath(),
        "spark.executor.extraJavaOptions", opts + " -Dai.djl.offline=true",
        "spark.executor.memory", "512m",
        "spark.executor.cores", "1",
        "spark.ui.enabled", "false");
  }

  /** The executor JVMs running now (children of the workers). */
  List<ProcessHandle> executors() {
    List<ProcessHandle> all = new ArrayList<>();
    for (Process w : workers) {
      w.toHandle().descendants().filter(ProcessHandle::isAlive).forEach(all::add);
    }
    return all;
  }

  @Override
  public void close() {
    for (Process d : daemons) {
      d.descendants().forEach(ProcessHandle::destroyForcibly);
      d.destroyForcibly();
    }
    for (Process d : daemons) {
      try {
        d.waitFor(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  Path dir() {
    return dir;
  }
}
