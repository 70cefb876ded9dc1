/**
 * Top-k retrieval of caption keys by inner product: {@link org.ctx4j.core.retrieval.TopKIndexes}
 * opens an exact index (a fused SIMD kernel when {@code jdk.incubator.vector} is present) or an
 * IVF index ({@link org.ctx4j.core.retrieval.IvfOptions}); {@link
 * org.ctx4j.core.retrieval.TopKSelector} keeps the k best of a stream of scores with the
 * pipeline's tie rule (higher score, then lower row).
 */
package org.ctx4j.core.retrieval;
