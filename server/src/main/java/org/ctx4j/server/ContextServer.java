package org.ctx4j.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.base.Preconditions;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.ctx4j.ContextQueryException;
import org.ctx4j.Ctx4jException;
import org.ctx4j.ImageDecodeException;
import org.ctx4j.ImageTooSmallException;
import org.ctx4j.UnknownImageException;
import org.ctx4j.core.CropBox;
import org.ctx4j.core.CropStrategy;
import org.ctx4j.core.ImageDecoder;
import org.ctx4j.core.LiveContext;
import org.ctx4j.core.RgbImage;
import org.ctx4j.core.TextualContext;
import org.ctx4j.core.TopKTexts;
import org.ctx4j.core.dataset.ImageRecord;
import org.ctx4j.core.dataset.ImageSource;

/**
 * A local HTTP server over a build's textual context: a JSON API, the dataset's image files and a
 * web page that shows each crop's retrieved captions; with a {@link LiveContext}, also the context
 * of an uploaded image. Binds to 127.0.0.1 unless told otherwise.
 *
 * <pre>{@code
 * try (TextualContext txt = TextualContext.open(dir.resolve("txt_ctx.hdf5"));
 *     ContextServer server = ContextServer.builder(txt).images(CocoDataset.open(coco)).start()) {
 *   System.out.println(server.uri());
 * }
 * }</pre>
 *
 * <p>API (all JSON; errors are {@code {"error": "..."}} with 400, 404, 413 or 501):
 *
 * <ul>
 *   <li>{@code GET /api/build}: the crops stored (name, count, k), the number of images, whether
 *       image files and live contexts are available;
 *   <li>{@code GET /api/images?offset=&limit=&q=}: image ids ascending, paged, {@code q} keeps ids
 *       whose decimal form contains it;
 *   <li>{@code GET /api/images/{id}/context?crop=&index=&k=}: the image's size and, for one crop
 *       (default whole) and one index (default every one), the boxes and top-k captions with
 *       scores ({@code features=true} adds the text features);
 *   <li>{@code GET /api/images/{id}/file}: the image file;
 *   <li>{@code POST /api/live} with the image bytes as body: the live context of every view.
 * </ul>
 *
 * Does not close the textual context, image source or live context it is given.
 */
public final class ContextServer implements AutoCloseable {
  /** Default largest accepted upload. */
  public static final long DEFAULT_MAX_UPLOAD_BYTES = 20L << 20;
  static final int MAX_PAGE = 1000;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> WEB =
      Map.of(
          "/", "index.html",
          "/app.js", "app.js",
          "/app.css", "app.css");

  private final TextualContext textual;
  private final Map<Long, Path> files;
  private final long[] ids;
  private final LiveContext live;
  private final long maxUpload;
  private final String host;
  private final Map<Long, ImageSize> sizes = new ConcurrentHashMap<>();
  private final Javalin app;

  private ContextServer(Builder b) {
    this.textual = b.textual;
    this.ids = textual.ids();
    this.files = new LinkedHashMap<>();
    if (b.images != null) {
      for (ImageRecord r : b.images.images()) {
        files.put(r.id(), r.file());
      }
    }
    this.live = b.live;
    this.maxUpload = b.maxUploadBytes;
    this.host = b.host;
    this.app =
        Javalin.create(
            config -> {
              config.jetty.host = b.host;
              config.jetty.port = b.port;
              config.http.maxRequestSize = maxUpload;
              config.startup.showJavalinBanner = false;
              routes(config.routes);
            });
  }

  /** A server over a textual context (a build's {@code txt_ctx.hdf5}). */
  public static Builder builder(TextualContext textual) {
    return new Builder(textual);
  }

  /** Optional settings; {@link #start()} binds the port. */
  public static final class Builder {
    private final TextualContext textual;
    private ImageSource images;
    private LiveContext live;
    private String host = "127.0.0.1";
    private int port;
    private long maxUploadBytes = DEFAULT_MAX_UPLOAD_BYTES;

    private Builder(TextualContext textual) {
      this.textual = Preconditions.checkNotNull(textual, "textual");
    }

    /** The dataset the build read: its image files are served and drawn. */
    public Builder images(ImageSource images) {
      this.images = images;
      return this;
    }

    /** Live contexts of uploaded images (made with the build's model, crops and k). */
    public Builder live(LiveContext live) {
      this.live = live;
      return this;
    }

    /** The address to bind (default 127.0.0.1: this machine only). */
    public Builder host(String host) {
      this.host = Preconditions.checkNotNull(host, "host");
      return this;
    }

    /** The port (default 0: any free port; see {@link ContextServer#port()}). */
    public Builder port(int port) {
      Preconditions.checkArgument(port >= 0 && port <= 65535, "port (%s) is outside 0..65535", port);
      this.port = port;
      return this;
    }

    /** The largest upload accepted (default 20 MiB); larger ones get 413. */
    public Builder maxUploadBytes(long bytes) {
      Preconditions.checkArgument(bytes > 0, "maxUploadBytes (%s) must be positive", bytes);
      this.maxUploadBytes = bytes;
      return this;
    }

    /** Starts serving. */
    public ContextServer start() {
      ContextServer server = new ContextServer(this);
      server.app.start();
      return server;
    }
  }

  /** The bound port. */
  public int port() {
    return app.port();
  }

  /** The page's address. */
  public URI uri() {
    String h = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    return URI.create("http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port() + "/");
  }

  @Override
  public void close() {
    app.stop();
  }

  // ---- routes --------------------------------------------------------------------------------

  private void routes(io.javalin.config.RoutesConfig routes) {
    for (Map.Entry<String, String> e : WEB.entrySet()) {
      routes.get(e.getKey(), ctx -> resource(ctx, e.getValue()));
    }
    routes.get("/api/build", this::build);
    routes.get("/api/images", this::images);
    routes.get("/api/images/{id}/context", this::context);
    routes.get("/api/images/{id}/file", this::file);
    routes.post("/api/live", this::live);
    routes.exception(ApiError.class, (e, ctx) -> error(ctx, e.status, e.getMessage()));
    routes.exception(UnknownImageException.class, (e, ctx) -> error(ctx, 404, e.getMessage()));
    routes.exception(ContextQueryException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
    // Javalin's own refusals, e.g. 413 for a body without Content-Length past maxRequestSize.
    routes.exception(
        io.javalin.http.HttpResponseException.class,
        (e, ctx) -> error(ctx, e.getStatus(), e.getMessage()));
    routes.exception(
        Exception.class, (e, ctx) -> error(ctx, 500, "internal error: " + oneLine(e.toString())));
    routes.error(404, "*", ctx -> {
      if (ctx.result() == null) {
        error(ctx, 404, "no such page: " + ctx.path());
      }
    });
  }

  private static void resource(Context ctx, String name) throws IOException {
    try (InputStream in = ContextServer.class.getResourceAsStream("web/" + name)) {
      if (in == null) {
        throw new ApiError(404, "no such page: " + name);
      }
      String type =
          name.endsWith(".html")
              ? "text/html; charset=utf-8"
              : name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
      ctx.contentType(type).result(in.readAllBytes());
    }
  }

  private void build(Context ctx) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("file", textual.path().getFileName().toString());
    out.put("images", ids.length);
    List<Map<String, Object>> crops = new ArrayList<>();
    for (TextualContext.StoredCrop c : textual.crops()) {
      crops.add(ordered("name", c.name(), "count", c.count(), "k", c.k()));
    }
    out.put("crops", crops);
    out.put("imageFiles", !files.isEmpty());
    out.put("live", live != null);
    out.put("maxUploadBytes", maxUpload);
    json(ctx, 200, out);
  }

  private void images(Context ctx) {
    int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
    int limit = intParam(ctx, "limit", 100, 1, MAX_PAGE);
    String q = Optional.ofNullable(ctx.queryParam("q")).orElse("").trim();
    List<Long> page = new ArrayList<>();
    int total = 0;
    for (long id : ids) {
      if (q.isEmpty() || Long.toString(id).contains(q)) {
        if (total >= offset && page.size() < limit) {
          page.add(id);
        }
        total++;
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("total", total);
    out.put("offset", offset);
    out.put("limit", limit);
    out.put("ids", page);
    json(ctx, 200, out);
  }

  private void context(Context ctx) {
    long id = imageId(ctx);
    if (!textual.contains(id)) {
      throw new ApiError(404, "no image " + id + " in " + textual.path().getFileName());
    }
    String cropName = Optional.ofNullable(ctx.queryParam("crop")).orElse("whole");
    TextualContext.StoredCrop stored = storedCrop(cropName);
    int k = intParam(ctx, "k", stored.k(), 1, stored.k());
    String indexParam = ctx.queryParam("index");
    List<Integer> indices = new ArrayList<>();
    if (indexParam == null || indexParam.isEmpty()) {
      for (int i = 0; i < stored.count(); i++) {
        indices.add(i);
      }
    } else {
      indices.add(intParam(ctx, "index", 0, 0, stored.count() - 1));
    }
    boolean features = "true".equals(ctx.queryParam("features"));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", id);
    out.put("crop", stored.name());
    out.put("k", k);
    List<CropBox> boxes = null;
    Path file = files.get(id);
    if (file != null) {
      ImageSize size = size(id, file);
      out.put("width", size.width());
      out.put("height", size.height());
      boxes = boxes(stored.name(), size);
    }
    List<Map<String, Object>> views = new ArrayList<>();
    for (int index : indices) {
      TopKTexts t = textual.topK(id, stored.name(), index, k);
      views.add(view(stored.name(), index, boxes == null ? null : boxes.get(index), t, features));
    }
    out.put("views", views);
    json(ctx, 200, out);
  }

  private ImageSize size(long id, Path file) {
    ImageSize known = sizes.get(id);
    if (known == null) {
      RgbImage image;
      try {
        image = ImageDecoder.decode(file);
      } catch (ImageDecodeException e) {
        throw new ApiError(404, "image " + id + ": " + oneLine(e.getMessage()));
      }
      known = new ImageSize(image.width(), image.height());
      sizes.put(id, known);
    }
    return known;
  }

  /** An image's size as the build decoded it (which ignores EXIF orientation, as Pillow does). */
  record ImageSize(int width, int height) {}

  private static List<CropBox> boxes(String crop, ImageSize size) {
    try {
      return CropStrategy.fromKey(crop).boxes(size.width(), size.height());
    } catch (IllegalArgumentException | ImageTooSmallException e) {
      return null; // a crop the page cannot place (not one of ctx4j's, or the image is tiny)
    }
  }

  private void file(Context ctx) throws IOException {
    long id = imageId(ctx);
    Path file = files.get(id);
    if (file == null) {
      throw new ApiError(
          404,
          files.isEmpty()
              ? "no image files: the server was started without the dataset (--coco or --images)"
              : "no image " + id + " in the dataset");
    }
    if (!Files.isRegularFile(file)) {
      throw new ApiError(404, "image " + id + ": " + file + " is missing");
    }
    String type = Files.probeContentType(file);
    ctx.contentType(type == null ? "application/octet-stream" : type)
        .header("Cache-Control", "max-age=3600")
        .result(Files.readAllBytes(file));
  }

  private void live(Context ctx) {
    if (live == null) {
      throw new ApiError(501, "live context needs a model: start the server with --model");
    }
    long declared = ctx.contentLength();
    if (declared > maxUpload) {
      throw new ApiError(
          413, "upload of " + declared + " bytes is larger than the limit of " + maxUpload);
    }
    byte[] bytes = ctx.bodyAsBytes();
    if (bytes.length > maxUpload) {
      throw new ApiError(
          413, "upload of " + bytes.length + " bytes is larger than the limit of " + maxUpload);
    }
    if (bytes.length == 0) {
      throw new ApiError(400, "upload is empty: send the image file as the request body");
    }
    String name = Optional.ofNullable(ctx.queryParam("name")).orElse("upload");
    LiveContext.Result r;
    try {
      r = live.contextOf(bytes, name);
    } catch (ImageDecodeException | ImageTooSmallException e) {
      throw new ApiError(400, "not a usable image: " + oneLine(e.getMessage()));
    }
    boolean features = "true".equals(ctx.queryParam("features"));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("width", r.width());
    out.put("height", r.height());
    out.put("visualDim", r.visualFeature().length);
    if (features) {
      out.put("visualFeature", r.visualFeature());
    }
    List<Map<String, Object>> views = new ArrayList<>();
    for (LiveContext.View v : r.views()) {
      views.add(view(v.crop().key(), v.index(), v.box(), v.captions(), features));
    }
    out.put("views", views);
    json(ctx, 200, out);
  }

  // ---- helpers -------------------------------------------------------------------------------

  static Map<String, Object> view(
      String crop, int index, CropBox box, TopKTexts t, boolean features) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("crop", crop);
    v.put("index", index);
    if (box != null) {
      v.put(
          "box",
          ordered(
              "left", box.left(), "top", box.top(), "width", box.width(), "height", box.height()));
    }
    List<Map<String, Object>> captions = new ArrayList<>();
    for (int j = 0; j < t.k(); j++) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("text", t.texts().get(j));
      c.put("score", t.scores()[j]);
      if (features) {
        c.put("feature", t.features()[j]);
      }
      captions.add(c);
    }
    v.put("captions", captions);
    return v;
  }

  /** A JSON object with keys in the given order: key, value, key, value... */
  static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  private TextualContext.StoredCrop storedCrop(String name) {
    List<String> names = new ArrayList<>();
    for (TextualContext.StoredCrop c : textual.crops()) {
      if (c.name().equals(name)) {
        return c;
      }
      names.add(c.name());
    }
    throw new ApiError(400, "crop '" + name + "' is not one of " + String.join(", ", names));
  }

  private static long imageId(Context ctx) {
    String raw = ctx.pathParam("id");
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw new ApiError(400, "image id '" + raw + "' is not a number");
    }
  }

  private static int intParam(Context ctx, String name, int fallback, int min, int max) {
    String raw = ctx.queryParam(name);
    if (raw == null || raw.isEmpty()) {
      return fallback;
    }
    int value;
    try {
      value = Integer.parseInt(raw.trim());
    } catch (NumberFormatException e) {
      throw new ApiError(400, name + " '" + raw + "' is not a whole number");
    }
    if (value < min || value > max) {
      throw new ApiError(
          400,
          name + " " + value + " is outside " + min + ".."
              + (max == Integer.MAX_VALUE ? "" : Integer.toString(max)));
    }
    return value;
  }

  private static void json(Context ctx, int status, Object body) {
    try {
      ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void error(Context ctx, int status, String message) {
    json(ctx, status, Map.of("error", oneLine(message)));
  }

  private static String oneLine(String message) {
    return message == null ? "unknown error" : message.replaceAll("\\s+", " ").trim();
  }

  /** An error the client caused (or a missing feature): its status and one-line message. */
  static final class ApiError extends Ctx4jException {
    private static final long serialVersionUID = 1L;
    final int status;

    ApiError(int status, String message) {
      super(message);
      this.status = status;
    }
  }
}
