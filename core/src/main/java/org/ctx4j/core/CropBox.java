package org.ctx4j.core;

/** A crop rectangle in pixel coordinates of the source image. */
public record CropBox(int left, int top, int width, int height) {}
