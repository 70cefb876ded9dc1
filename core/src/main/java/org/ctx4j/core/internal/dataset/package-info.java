/** Parsing and aggregation behind {@link org.ctx4j.core.dataset}; not a public API. */
package org.ctx4j.core.internal.dataset;
