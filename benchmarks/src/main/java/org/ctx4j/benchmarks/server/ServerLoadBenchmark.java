package org.ctx4j.benchmarks.server;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.ctx4j.clip.ClipModel;
import org.ctx4j.core.ContextBuilder;
import org.ctx4j.core.TextualContext;
import org.ctx4j.core.dataset.CocoDataset;
import org.ctx4j.server.ContextServer;
import org.ctx4j.testing.DemoData;
import org.ctx4j.testing.TinyClipModels;
import org.ctx4j.testing.TinyClipSpec;

/**
 * A bounded load test of {@code ctx4j serve}'s JSON API on loopback: {@code clients} concurrent
 * clients (java.net.http, HTTP/1.1) request image contexts (every image × crop, k = 16, with
 * boxes) for {@code seconds}; every answer must equal the single-threaded one. Prints requests/s,
 * p50/p99 and errors. The peer, in the same run: the JDK's built-in HTTP server answering the
 * same paths with the same bytes precomputed in memory — the transport's ceiling on this machine,
 * so the ratio is what reading the context and writing its JSON cost.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.ctx4j.benchmarks.server.ServerLoadBenchmark \
 *     [work dir (/tmp/ctx4j-server-bench)] [images (200)] [clients (32)] [seconds (5)]
 * </pre>
 */
public final class ServerLoadBenchmark {
  private ServerLoadBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args.length > 0 ? args[0] : "/tmp/ctx4j-server-bench");
    int images = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int clients = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    double seconds = args.length > 3 ? Double.parseDouble(args[3]) : 5;
    Path data = work.resolve("data");
    Path out = work.resolve("out");
    DemoData.write(data, images, 3);
    Path model = TinyClipModels.write(work.resolve("model"), TinyClipSpec.tiny(), 3);
    try (ClipModel clip = ClipModel.load(model)) {
      ContextBuilder.forCoco(data.resolve("coco"))
          .visualGenome(data.resolve("visual_genome"))
          .imageEncoder(clip.imageEncoder())
          .textEncoder(clip.textEncoder())
          .preprocessor(clip.preprocessor())
          .output(out)
          .build();
    }
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try (TextualContext txt = TextualContext.open(out.resolve("txt_ctx.hdf5"));
        ContextServer server =
            ContextServer.builder(txt).images(CocoDataset.open(data.resolve("coco"))).start()) {
      List<String> paths = new ArrayList<>();
      for (long id : txt.ids()) {
        for (String crop : new String[] {"whole", "five", "nine"}) {
          paths.add("/api/images/" + id + "/context?crop=" + crop + "&k=16");
        }
      }
      URI base = server.uri();
      Map<String, byte[]> expected = new HashMap<>();
      for (String p : paths) {
        expected.put(p, get(http, base.resolve(p)).body());
      }
      System.out.printf(
          Locale.ROOT,
          "%d images, %d paths, %d clients, %.0f s each, java %s, %d cores%n",
          txt.ids().length, paths.size(), clients, seconds, System.getProperty("java.version"),
          Runtime.getRuntime().availableProcessors());
      run("warm-up ctx4j serve", http, base, paths, expected, clients, Math.min(2, seconds));
      run("ctx4j serve (Javalin 7 / Jetty 12)", http, base, paths, expected, clients, seconds);

      // Without TCP_NODELAY the JDK server waits out delayed ACKs (~40 ms a response).
      System.setProperty("sun.net.httpserver.nodelay", "true");
      HttpServer peer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      peer.createContext(
          "/",
          exchange -> {
            String p = exchange.getRequestURI().toString();
            byte[] body = expected.get(p);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
              exchange.getResponseBody().write(body);
            }
            exchange.close();
          });
      ExecutorService peerThreads = Executors.newFixedThreadPool(clients);
      peer.setExecutor(peerThreads);
      peer.start();
      try {
        URI peerBase = URI.create("http://127.0.0.1:" + peer.getAddress().getPort() + "/");
        run("warm-up peer", http, peerBase, paths, expected, clients, Math.min(2, seconds));
        run("peer: JDK HttpServer, precomputed bytes", http, peerBase, paths, expected, clients, seconds);
      } finally {
        peer.stop(0);
        peerThreads.shutdownNow();
      }
    }
  }

  private static HttpResponse<byte[]> get(HttpClient http, URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static void run(
      String name,
      HttpClient http,
      URI base,
      List<String> paths,
      Map<String, byte[]> expected,
      int clients,
      double seconds)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    AtomicLong errors = new AtomicLong();
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    List<Future<long[]>> futures = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      int client = c;
      futures.add(
          pool.submit(
              () -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                for (int i = client * 7; System.nanoTime() < deadline; i++) {
                  String p = paths.get(i % paths.size());
                  long t = System.nanoTime();
                  HttpResponse<byte[]> r = get(http, base.resolve(p));
                  long dt = System.nanoTime() - t;
                  if (r.statusCode() != 200 || !Arrays.equals(r.body(), expected.get(p))) {
                    errors.incrementAndGet();
                  }
                  if (n == lat.length) {
                    lat = Arrays.copyOf(lat, 2 * n);
                  }
                  lat[n++] = dt;
                }
                return Arrays.copyOf(lat, n);
              }));
    }
    List<long[]> all = new ArrayList<>();
    for (Future<long[]> f : futures) {
      all.add(f.get());
    }
    double wall = (System.nanoTime() - start) / 1e9;
    pool.shutdownNow();
    long[] lat = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    System.out.printf(
        Locale.ROOT,
        "%-40s %8d requests in %.1f s = %8.0f req/s, p50 %.2f ms, p99 %.2f ms, errors %d%n",
        name, lat.length, wall, lat.length / wall, lat[lat.length / 2] / 1e6,
        lat[(int) Math.min(lat.length - 1, Math.ceil(0.99 * lat.length) - 1)] / 1e6, errors.get());
    if (errors.get() > 0) {
      throw new IllegalStateException(name + ": " + errors.get() + " wrong or failed answers");
    }
  }
}
