package org.ctx4j.core.internal.retrieval;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.ctx4j.Ctx4jException;

/**
 * A fixed pool of daemon threads owned by one index; with one thread, tasks run on the caller.
 * Results come back in task order, so callers merge deterministically.
 */
public final class SearchPool implements AutoCloseable {
  private static final AtomicInteger POOLS = new AtomicInteger();
  private final int threads;
  private final ExecutorService executor;

  public SearchPool(int threads) {
    this.threads = threads;
    if (threads == 1) {
      executor = null;
    } else {
      int pool = POOLS.incrementAndGet();
      AtomicInteger count = new AtomicInteger();
      executor = Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, "ctx4j-topk-" + pool + "-" + count.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
    }
  }

  public int threads() {
    return threads;
  }

  public <T> List<T> runAll(List<Callable<T>> tasks) {
    List<T> results = new ArrayList<>(tasks.size());
    try {
      if (executor == null) {
        for (Callable<T> task : tasks) {
          results.add(task.call());
        }
        return results;
      }
      List<Future<T>> futures = executor.invokeAll(tasks);
      for (Future<T> future : futures) {
        results.add(future.get());
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Ctx4jException("search interrupted", e);
    } catch (ExecutionException e) {
      throw rethrow(e.getCause());
    } catch (Exception e) {
      throw rethrow(e);
    }
  }

  private static RuntimeException rethrow(Throwable cause) {
    if (cause instanceof RuntimeException) {
      return (RuntimeException) cause;
    }
    if (cause instanceof Error) {
      throw (Error) cause;
    }
    return new Ctx4jException("search task failed: " + cause, cause);
  }

  @Override
  public void close() {
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}
