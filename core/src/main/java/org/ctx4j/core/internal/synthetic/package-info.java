/**
 * Generators of synthetic data in the real schemas (Visual Genome JSON, COCO captions JSON and
 * images) for tests, benchmarks and the demo. Deterministic for a seed; not a public API.
 */
package org.ctx4j.core.internal.synthetic;
