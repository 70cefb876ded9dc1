package org.ctx4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.ctx4j.core.internal.image.ImageHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecodeBudgetTest {
  private static final long MIB = 1L << 20;

  @TempDir Path dir;

  @Test
  void concurrentLeasesNeverExceedTheBudget() throws Exception {
    DecodeBudget budget = new DecodeBudget(80 * MIB, 0, 224);
    long capacity = budget.capacityBytes();
    assertThat(capacity).isEqualTo(64 * MIB);
    AtomicLong inUse = new AtomicLong();
    AtomicLong peak = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      SplittableRandom random = new SplittableRandom(t);
      threads.add(
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 300; i++) {
                    // mostly small, sometimes up to the whole budget
                    long bytes =
                        random.nextInt(8) == 0
                            ? 1 + random.nextLong(capacity)
                            : 1 + random.nextLong(capacity / 8);
                    DecodeBudget.Lease lease = budget.acquire(bytes);
                    long now = inUse.addAndGet(bytes);
                    peak.accumulateAndGet(now, Math::max);
                    Thread.yield();
                    inUse.addAndGet(-bytes);
                    lease.close();
                  }
                } catch (Throwable e) {
                  failure.compareAndSet(null, e);
                }
              }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    assertThat(failure.get()).isNull();
    assertThat(peak.get()).isLessThanOrEqualTo(capacity);
    assertThat(budget.inUseBytes()).isZero();
  }

  @Test
  void smallLeasesAreHeldTogetherAndABigOneWaitsForThem() throws Exception {
    DecodeBudget budget = new DecodeBudget(80 * MIB, 0, 224);
    DecodeBudget.Lease a = budget.acquire(20 * MIB);
    DecodeBudget.Lease b = budget.acquire(20 * MIB); // both fit: no waiting
    assertThat(budget.inUseBytes()).isEqualTo(40 * MIB);
    AtomicReference<DecodeBudget.Lease> big = new AtomicReference<>();
    Thread waiter =
        new Thread(
            () -> {
              try {
                big.set(budget.acquire(50 * MIB));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    waiter.start();
    while (!budget.hasWaiters()) {
      Thread.onSpinWait();
    }
    assertThat(big.get()).isNull();
    a.close();
    a.close(); // closing twice returns the share once
    assertThat(budget.inUseBytes()).isEqualTo(20 * MIB); // 20 + 50 > 64: still waiting
    assertThat(big.get()).isNull();
    b.close();
    waiter.join();
    assertThat(budget.inUseBytes()).isEqualTo(50 * MIB);
    big.get().close();
    assertThat(budget.inUseBytes()).isZero();
  }

  @Test
  void anImageThatCanNeverFitIsRefusedNamingItsSizeAndTheHeapItNeeds() throws Exception {
    Path file = uniformJpeg(4000, 3000);
    DecodeBudget budget = new DecodeBudget(64 * MIB, 8 * MIB, 224);
    assertThatThrownBy(() -> budget.admit(file))
        .isInstanceOf(ImageTooLargeException.class)
        .hasMessageContaining("4000x3000 pixels (12.0 Mpx)")
        .hasMessageContaining("this JVM has 64 MiB")
        .hasMessageMatching(".*at least [0-9,]+ MiB \\(java -Xmx[0-9]+[mg]\\).*");
    assertThat(budget.inUseBytes()).isZero();

    // The heap it names is enough: a budget with that heap admits the image.
    long heap = ((ImageTooLargeException) catchFailure(() -> budget.admit(file))).heapNeeded();
    DecodeBudget enough = new DecodeBudget(heap, 8 * MIB, 224);
    DecodeBudget.Lease lease = enough.admit(file);
    assertThat(enough.inUseBytes()).isPositive();
    lease.close();
    assertThatThrownBy(() -> new DecodeBudget(heap - MIB, 8 * MIB, 224).admit(file))
        .isInstanceOf(ImageTooLargeException.class);
  }

  @Test
  void theEstimateCoversWhatDecodingAndTheLargestCropAllocate() throws Exception {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    ClipPreprocessor preprocessor = ClipPreprocessor.defaults();
    float[] out = new float[preprocessor.outputLength()];
    for (Path file :
        List.of(
            uniformJpeg(3000, 2000),
            texturedImage(1500, 2500, BufferedImage.TYPE_INT_RGB, "jpg"),
            texturedImage(1800, 1200, BufferedImage.TYPE_BYTE_GRAY, "jpg"),
            texturedImage(1600, 1200, BufferedImage.TYPE_INT_ARGB, "png"),
            texturedImage(1200, 1000, BufferedImage.TYPE_USHORT_GRAY, "png"))) {
      ImageHeader header = ImageHeader.read(file).orElseThrow();
      long estimate =
          DecodeBudget.estimateBytes(
              header, java.nio.file.Files.size(file), preprocessor.outputSize());
      long id = Thread.currentThread().getId();
      long before = threads.getThreadAllocatedBytes(id);
      RgbImage image = ImageDecoder.decode(file);
      for (CropBox box : CropStrategy.WHOLE.boxes(image.width(), image.height())) {
        preprocessor.preprocess(image, box, out, 0);
      }
      long allocated = threads.getThreadAllocatedBytes(id) - before;
      assertThat(estimate).as("%s, %s", file.getFileName(), header).isGreaterThanOrEqualTo(allocated);
      // ...and is not wildly pessimistic (it limits how many images decode at once)
      assertThat(estimate).as("%s, %s", file.getFileName(), header).isLessThan(3 * allocated);
    }
  }

  @Test
  void xmxIsRoundedUpToWholeSixtyFourMebibytes() {
    assertThat(DecodeBudget.xmx(1)).isEqualTo("64m");
    assertThat(DecodeBudget.xmx(700 * MIB)).isEqualTo("704m");
    assertThat(DecodeBudget.xmx(1000 * MIB)).isEqualTo("1g");
    assertThat(DecodeBudget.xmx(2049 * MIB)).isEqualTo("2112m");
  }

  private interface Failing {
    void run() throws Exception;
  }

  private static Throwable catchFailure(Failing f) {
    try {
      f.run();
    } catch (Throwable t) {
      return t;
    }
    throw new AssertionError("expected a failure");
  }

  private Path uniformJpeg(int width, int height) throws Exception {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(90, 140, 200));
    g.fillRect(0, 0, width, height);
    g.dispose();
    Path file = dir.resolve("uniform-" + width + "x" + height + ".jpg");
    assertThat(ImageIO.write(image, "jpg", file.toFile())).isTrue();
    return file;
  }

  private Path texturedImage(int width, int height, int type, String format) throws Exception {
    BufferedImage image = new BufferedImage(width, height, type);
    Graphics2D g = image.createGraphics();
    for (int y = 0; y < height; y += 50) {
      for (int x = 0; x < width; x += 50) {
        g.setColor(new Color((x * 7) & 255, (y * 3) & 255, (x + y) & 255, 255));
        g.fillRect(x, y, 50, 50);
      }
    }
    g.dispose();
    Path file = dir.resolve("textured-" + type + "-" + width + "x" + height + "." + format);
    assertThat(ImageIO.write(image, format, file.toFile())).isTrue();
    return file;
  }
}
