/**
 * JMH benchmarks of ctx4j's hot paths. Each area has its own sub-package; peers (Pillow, faiss,
 * h5py, PyTorch) run from {@code benchmarks/peers/} in the same session, and results with machine
 * and flags go to {@code benchmarks/results/}.
 */
package org.ctx4j.benchmarks;
