package org.ctx4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
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
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real browser: Debian's headless Chromium driven through its chromedriver by
 * Selenium, against a real server on a real demo build. Loads the page, picks an image, switches
 * crops, uploads an image, and checks what is shown against the build's files; keeps a screenshot
 * in {@code target/screenshots/}. {@code .ci/run} installs Chromium where it is missing.
 */
class PageBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  @TempDir static Path dir;
  private static DemoServer demo;
  private static WebDriver browser;
  private static WebDriverWait wait;

  @BeforeAll
  static void start() {
    assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "needs Debian's chromium and chromium-driver (.ci/run installs them)");
    demo = DemoServer.start(dir, 7, ContextServer.DEFAULT_MAX_UPLOAD_BYTES);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900");
    // Debian's driver, never one that Selenium Manager would download.
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    browser = new ChromeDriver(options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  void pickAnImageSwitchCropsAndUpload() throws Exception {
    browser.get(demo.server.uri().toString());
    wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-ready")));
    List<WebElement> ids = browser.findElements(By.cssSelector("#ids li"));
    assertThat(ids).hasSize(7);

    ImageRecord record = demo.coco.images().get(2);
    RgbImage image = ImageDecoder.decode(record.file());
    browser.findElement(By.cssSelector("#ids li[data-id='" + record.id() + "']")).click();
    waitForViews(1);
    assertThat(browser.findElement(By.id("source")).getText()).isEqualTo("image " + record.id());
    assertShown(record.id(), CropStrategy.WHOLE, image, 5);
    wait.until(d -> ((Number) ((org.openqa.selenium.JavascriptExecutor) d)
            .executeScript("return document.getElementById('image').naturalWidth")).intValue()
        == image.width());

    browser.findElement(By.id("crop-five")).click();
    waitForViews(5);
    assertShown(record.id(), CropStrategy.FIVE, image, 5);
    browser.findElement(By.id("crop-nine")).click();
    waitForViews(9);
    assertShown(record.id(), CropStrategy.NINE, image, DemoServer.NINE_K);
    browser.findElements(By.cssSelector("#views .view")).get(4).click();
    assertThat(browser.findElement(By.cssSelector("#boxes rect.active")).getDomAttribute("data-index"))
        .isEqualTo("4");
    screenshot("page.png");

    // Upload another image of the build: its live context is what the build stored for it.
    ImageRecord other = demo.coco.images().get(5);
    Path upload = dir.resolve("upload-" + other.file().getFileName());
    Files.copy(other.file(), upload, StandardCopyOption.REPLACE_EXISTING);
    browser.findElement(By.id("upload")).sendKeys(upload.toAbsolutePath().toString());
    wait.until(d -> d.findElement(By.id("source")).getText().endsWith("(live)"));
    waitForViews(9);
    assertShown(other.id(), CropStrategy.NINE, ImageDecoder.decode(other.file()), DemoServer.NINE_K);
    browser.findElement(By.id("crop-five")).click();
    waitForViews(5);
    assertShown(other.id(), CropStrategy.FIVE, ImageDecoder.decode(other.file()), 5);
    screenshot("live.png");

    // A file that is not an image: the page says why, and keeps working.
    Path text = dir.resolve("notes.txt");
    Files.writeString(text, "not an image");
    browser.findElement(By.id("upload")).sendKeys(text.toAbsolutePath().toString());
    wait.until(d -> d.findElement(By.id("error")).isDisplayed());
    assertThat(browser.findElement(By.id("error")).getText()).contains("not a usable image");
    browser.findElement(By.cssSelector("#ids li[data-id='" + record.id() + "']")).click();
    waitForViews(5);
    assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();
  }

  private static void waitForViews(int count) {
    wait.until(
        d -> d.findElements(By.cssSelector("#views .view")).size() == count
            && d.findElements(By.cssSelector("#boxes rect")).size() == count);
  }

  /** The boxes drawn and each box's captions and scores are the build's. */
  private static void assertShown(long id, CropStrategy crop, RgbImage image, int k) {
    List<CropBox> boxes = crop.boxes(image.width(), image.height());
    List<WebElement> rects = browser.findElements(By.cssSelector("#boxes rect"));
    List<WebElement> views = browser.findElements(By.cssSelector("#views .view"));
    assertThat(browser.findElement(By.id("boxes")).getDomAttribute("viewBox"))
        .isEqualTo("0 0 " + image.width() + " " + image.height());
    for (int i = 0; i < boxes.size(); i++) {
      CropBox b = boxes.get(i);
      WebElement r = rects.get(i);
      assertThat(r.getDomAttribute("x")).isEqualTo(Integer.toString(b.left() + 1));
      assertThat(r.getDomAttribute("y")).isEqualTo(Integer.toString(b.top() + 1));
      assertThat(r.getDomAttribute("width")).isEqualTo(Integer.toString(Math.max(1, b.width() - 2)));
      TopKTexts stored = demo.textual.topK(id, crop, i, k);
      List<WebElement> captions = views.get(i).findElements(By.cssSelector("li.caption"));
      assertThat(views.get(i).findElement(By.tagName("h3")).getText())
          .isEqualTo(crop.key() + " " + i);
      assertThat(captions).hasSize(k);
      for (int j = 0; j < k; j++) {
        assertThat(captions.get(j).findElement(By.className("text")).getText())
            .isEqualTo(stored.texts().get(j));
        assertThat(captions.get(j).findElement(By.className("score")).getText())
            .isEqualTo(String.format(java.util.Locale.ROOT, "%.4f", stored.scores()[j]));
      }
    }
  }

  private static void screenshot(String name) throws Exception {
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.createDirectories(SCREENSHOTS);
    Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }
}
