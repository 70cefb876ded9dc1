/**
 * One ctx4j build across an Apache Spark cluster, byte-identical to a one-machine build: {@link
 * org.ctx4j.spark.SparkContextBuilder} (Java API taking a SparkSession) and {@link
 * org.ctx4j.spark.SparkBuild} (the spark-submit entry). See docs/scale-out.md.
 */
package org.ctx4j.spark;
