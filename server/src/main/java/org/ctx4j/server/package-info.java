/**
 * A local HTTP server over a build's contexts ({@link org.ctx4j.server.ContextServer}: JSON API,
 * the dataset's image files, a web page, live contexts of uploads through {@link
 * org.ctx4j.core.LiveContext}) and the same picture rendered to PNG ({@link
 * org.ctx4j.server.ContextPicture}). See {@code docs/server.md}.
 */
package org.ctx4j.server;
