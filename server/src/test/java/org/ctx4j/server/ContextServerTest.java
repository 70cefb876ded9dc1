package org.ctx4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ctx4j.core.CropBox;
import org.ctx4j.core.CropStrategy;
import org.ctx4j.core.ImageDecoder;
import org.ctx4j.core.RgbImage;
import org.ctx4j.core.TopKTexts;
import org.ctx4j.core.dataset.ImageRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON API over real HTTP (java.net.http) on a real demo build, tiny CLIP and live context. */
class ContextServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_UPLOAD = 200_000;

  @TempDir static Path dir;
  private static DemoServer demo;
  private static HttpClient http;

  @BeforeAll
  static void start() {
    demo = DemoServer.start(dir, 9, MAX_UPLOAD);
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stop() {
    demo.close();
  }

  private record Reply(int status, String contentType, JsonNode json, byte[] bytes) {}

  private static Reply get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(demo.url(path))).GET().build());
  }

  private static Reply post(String path, byte[] body) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(demo.url(path)))
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build());
  }

  private static Reply send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    String type = r.headers().firstValue("Content-Type").orElse("");
    JsonNode json = type.startsWith("application/json") ? JSON.readTree(r.body()) : null;
    return new Reply(r.statusCode(), type, json, r.body());
  }

  @Test
  void bindsToLoopbackByDefault() {
    assertThat(demo.server.uri().getHost()).isEqualTo("127.0.0.1");
  }

  @Test
  void buildDescribesTheStoredCrops() throws Exception {
    Reply r = get("/api/build");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("images").asInt()).isEqualTo(9);
    assertThat(r.json().get("crops").toString())
        .isEqualTo(
            "[{\"name\":\"whole\",\"count\":1,\"k\":6},{\"name\":\"five\",\"count\":5,\"k\":6},"
                + "{\"name\":\"nine\",\"count\":9,\"k\":4}]");
    assertThat(r.json().get("live").asBoolean()).isTrue();
  }

  @Test
  void imageIdsArePagedAndSearchable() throws Exception {
    long[] ids = demo.textual.ids();
    Reply all = get("/api/images?limit=4&offset=2");
    assertThat(all.json().get("total").asInt()).isEqualTo(ids.length);
    List<Long> page = new ArrayList<>();
    all.json().get("ids").forEach(n -> page.add(n.asLong()));
    assertThat(page).containsExactly(ids[2], ids[3], ids[4], ids[5]);
    String q = Long.toString(ids[7]);
    Reply found = get("/api/images?q=" + q);
    assertThat(found.json().get("ids").toString()).contains(q);
    assertThat(get("/api/images?limit=0").status()).isEqualTo(400);
  }

  @Test
  void contextOfAStoredImageIsWhatTheFileHoldsWithBoxes() throws Exception {
    ImageRecord record = demo.coco.images().get(3);
    RgbImage image = ImageDecoder.decode(record.file());
    Reply r = get("/api/images/" + record.id() + "/context?crop=five&k=3");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("width").asInt()).isEqualTo(image.width());
    JsonNode views = r.json().get("views");
    assertThat(views).hasSize(5);
    List<CropBox> boxes = CropStrategy.FIVE.boxes(image.width(), image.height());
    for (int i = 0; i < 5; i++) {
      JsonNode v = views.get(i);
      TopKTexts stored = demo.textual.topK(record.id(), "five", i, 3);
      assertThat(v.get("index").asInt()).isEqualTo(i);
      assertThat(v.get("captions")).hasSize(3);
      for (int j = 0; j < 3; j++) {
        assertThat(v.get("captions").get(j).get("text").asText()).isEqualTo(stored.texts().get(j));
        assertThat((float) v.get("captions").get(j).get("score").asDouble())
            .isEqualTo(stored.scores()[j]);
      }
      JsonNode box = v.get("box");
      assertThat(new CropBox(box.get("left").asInt(), box.get("top").asInt(),
              box.get("width").asInt(), box.get("height").asInt()))
          .isEqualTo(boxes.get(i));
    }
    Reply one = get("/api/images/" + record.id() + "/context?crop=nine&index=8&features=true");
    assertThat(one.json().get("views")).hasSize(1);
    assertThat(one.json().get("k").asInt()).isEqualTo(DemoServer.NINE_K);
    assertThat(one.json().get("views").get(0).get("captions").get(0).get("feature").size())
        .isEqualTo(demo.db.featureDim());
  }

  @Test
  void badRequestsAreClearJsonErrorsAndTheServerKeepsServing() throws Exception {
    long id = demo.textual.ids()[0];
    Reply unknown = get("/api/images/999999999/context");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("error").asText()).contains("999999999");
    assertThat(get("/api/images/abc/context").json().get("error").asText()).contains("'abc'");
    Reply crop = get("/api/images/" + id + "/context?crop=ten");
    assertThat(crop.status()).isEqualTo(400);
    assertThat(crop.json().get("error").asText()).contains("'ten'", "whole, five, nine");
    Reply index = get("/api/images/" + id + "/context?crop=five&index=5");
    assertThat(index.status()).isEqualTo(400);
    assertThat(index.json().get("error").asText()).isEqualTo("index 5 is outside 0..4");
    Reply k = get("/api/images/" + id + "/context?crop=nine&k=5");
    assertThat(k.status()).isEqualTo(400);
    assertThat(k.json().get("error").asText()).isEqualTo("k 5 is outside 1..4");
    Reply notImage = post("/api/live?name=notes.txt", "hello".getBytes());
    assertThat(notImage.status()).isEqualTo(400);
    assertThat(notImage.json().get("error").asText()).contains("notes.txt");
    Reply tooLarge = post("/api/live", new byte[(int) MAX_UPLOAD + 1]);
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.json().get("error").asText()).contains("larger than the limit");
    // Streamed without Content-Length: Javalin's own limit, still a JSON 413.
    Reply streamed =
        send(
            HttpRequest.newBuilder(URI.create(demo.url("/api/live")))
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(new byte[(int) MAX_UPLOAD * 2])))
                .build());
    assertThat(streamed.status()).isEqualTo(413);
    assertThat(streamed.json().get("error").asText()).isNotEmpty();
    assertThat(get("/nothing/here").status()).isEqualTo(404);
    assertThat(get("/api/images/" + id + "/context").status()).isEqualTo(200);
  }

  @Test
  void servesTheImageFilesAndThePage() throws Exception {
    ImageRecord record = demo.coco.images().get(0);
    Reply file = get("/api/images/" + record.id() + "/file");
    assertThat(file.status()).isEqualTo(200);
    assertThat(file.bytes()).isEqualTo(Files.readAllBytes(record.file()));
    Reply page = get("/");
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(new String(page.bytes(), java.nio.charset.StandardCharsets.UTF_8))
        .contains("app.js")
        .doesNotContain("https://");
    assertThat(get("/app.js").status()).isEqualTo(200);
  }

  @Test
  void liveContextOfAnUploadedImageEqualsTheBuilt() throws Exception {
    ImageRecord record = demo.coco.images().get(5);
    Reply r = post("/api/live?name=x.jpg", Files.readAllBytes(record.file()));
    assertThat(r.status()).isEqualTo(200);
    JsonNode views = r.json().get("views");
    assertThat(views).hasSize(15);
    for (JsonNode v : views) {
      String crop = v.get("crop").asText();
      TopKTexts stored =
          demo.textual.topK(record.id(), crop, v.get("index").asInt(), demo.textual.k(crop));
      for (int j = 0; j < stored.k(); j++) {
        assertThat(v.get("captions").get(j).get("text").asText()).isEqualTo(stored.texts().get(j));
      }
    }
  }

  /** 32 clients at once: no errors, every answer equal to the single-threaded one. */
  @Test
  void concurrentClientsGetTheSingleThreadedAnswers() throws Exception {
    long[] ids = demo.textual.ids();
    String[] crops = {"whole", "five", "nine"};
    List<String> paths = new ArrayList<>();
    for (long id : ids) {
      for (String c : crops) {
        paths.add("/api/images/" + id + "/context?crop=" + c);
      }
    }
    List<String> expected = new ArrayList<>();
    for (String p : paths) {
      expected.add(new String(get(p).bytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
    ExecutorService pool = Executors.newFixedThreadPool(32);
    try {
      List<Future<Boolean>> futures = new ArrayList<>();
      for (int c = 0; c < 32; c++) {
        int client = c;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < paths.size(); i++) {
                    int n = (i + client) % paths.size();
                    Reply r = get(paths.get(n));
                    if (r.status() != 200
                        || !new String(r.bytes(), java.nio.charset.StandardCharsets.UTF_8)
                            .equals(expected.get(n))) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      for (Future<Boolean> f : futures) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
