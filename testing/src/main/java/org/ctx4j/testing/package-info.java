/**
 * Test tooling, never in the library jars: generators of synthetic data in the real schemas
 * (Visual Genome JSON, COCO captions JSON and images) and of tiny CLIP model directories in the
 * HuggingFace layout with random weights, for tests, benchmarks and the demo. Deterministic for a
 * seed. Depends on no other ctx4j module, so that every module's tests can use it.
 */
package org.ctx4j.testing;
