/**
 * Top-k retrieval on a DJL device ({@link org.ctx4j.clip.retrieval.DjlTopKIndex}): the keys held
 * as one tensor on a GPU (or the CPU), queries scored by one matrix product per batch.
 */
package org.ctx4j.clip.retrieval;
