package org.ctx4j.clip.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Java CPU route's fixed set of worker threads, shared by both towers of a model and shut down
 * when the model closes. Work is split into contiguous ranges of independent units (rows, column
 * panels, attention heads); no unit's arithmetic depends on the split, so results do not depend
 * on the thread count.
 */
public final class CpuPool implements AutoCloseable {
  /** Work on a range {@code [from, to)} of units. */
  @FunctionalInterface
  public interface RangeTask {
    void run(int from, int to);
  }

  private static final AtomicInteger POOLS = new AtomicInteger();

  private final int threads;
  private final long inlineWork = Long.getLong("ctx4j.clip.inlineWork", INLINE_WORK);
  private final ExecutorService executor;

  /** A pool of {@code threads} workers (1: everything runs on the caller's thread). */
  public CpuPool(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads (" + threads + ") must be >= 1");
    }
    this.threads = threads;
    if (threads == 1) {
      executor = null;
    } else {
      int id = POOLS.incrementAndGet();
      AtomicInteger n = new AtomicInteger();
      executor =
          Executors.newFixedThreadPool(
              threads - 1,
              r -> {
                Thread t = new Thread(r, "ctx4j-clip-" + id + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
    }
  }

  /** Number of threads working (the caller's included). */
  public int threads() {
    return threads;
  }

  /**
   * Work (in elements touched, about a nanosecond each) below which a pass runs on the calling
   * thread alone: handing a range to a worker and waiting for it costs tens of microseconds, more
   * than small passes (a batch of 8 short texts' layer norms or attention) take. The system
   * property {@code ctx4j.clip.inlineWork} overrides it for pools created after it is set (tests
   * set 0 so that tiny models still split every pass between threads).
   */
  static final long INLINE_WORK = 64 * 1024;

  /**
   * As {@link #forRange(int, RangeTask)}, but on the calling thread alone when {@code work} is
   * below {@link #INLINE_WORK}. Results do not change: no unit's arithmetic depends on the split.
   */
  public void forRange(int units, long work, RangeTask task) {
    if (work < inlineWork) {
      if (units > 0) {
        task.run(0, units);
      }
      return;
    }
    forRange(units, task);
  }

  /**
   * Runs {@code task} over {@code [0, units)} split into at most {@link #threads()} contiguous
   * ranges, the first on the calling thread, and waits for all.
   */
  public void forRange(int units, RangeTask task) {
    int parts = Math.min(threads, units);
    if (parts <= 1) {
      if (units > 0) {
        task.run(0, units);
      }
      return;
    }
    if (executor.isShutdown()) {
      throw new IllegalStateException("the CLIP model's CPU threads are shut down");
    }
    List<Future<?>> futures = new ArrayList<>(parts - 1);
    for (int p = 1; p < parts; p++) {
      int from = (int) ((long) units * p / parts);
      int to = (int) ((long) units * (p + 1) / parts);
      futures.add(executor.submit(() -> task.run(from, to)));
    }
    RuntimeException failure = null;
    try {
      task.run(0, (int) ((long) units / parts));
    } catch (RuntimeException e) {
      failure = e;
    }
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while encoding", e);
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = e.getCause() instanceof RuntimeException re ? re
              : new IllegalStateException(e.getCause());
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Stops the workers. Idempotent. */
  @Override
  public void close() {
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}
