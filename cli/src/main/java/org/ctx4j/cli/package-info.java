/**
 * The {@code ctx4j} command line ({@code demo}, {@code build}, {@code inspect}, {@code merge},
 * {@code export}): a thin layer over the public library API; see {@code docs/cli.md}.
 */
package org.ctx4j.cli;
