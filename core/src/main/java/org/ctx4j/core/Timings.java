package org.ctx4j.core;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Busy nanoseconds per pipeline step, added from any thread, reported in first-use order. */
final class Timings {
  private final Map<String, LongAdder> nanos = new ConcurrentHashMap<>();
  private final Map<String, Integer> order = new ConcurrentHashMap<>();

  /** Adds the time since {@code startNanos} (a {@link System#nanoTime()} value) to {@code step}. */
  public long addSince(String step, long startNanos) {
    long now = System.nanoTime();
    add(step, now - startNanos);
    return now;
  }

  public void add(String step, long elapsedNanos) {
    nanos
        .computeIfAbsent(
            step,
            s -> {
              order.putIfAbsent(s, order.size());
              return new LongAdder();
            })
        .add(elapsedNanos);
  }

  public Map<String, Duration> snapshot() {
    Map<String, Duration> out = new LinkedHashMap<>();
    nanos.entrySet().stream()
        .sorted(Map.Entry.comparingByKey((a, b) -> Integer.compare(order.get(a), order.get(b))))
        .forEach(e -> out.put(e.getKey(), Duration.ofNanos(e.getValue().sum())));
    return out;
  }
}
