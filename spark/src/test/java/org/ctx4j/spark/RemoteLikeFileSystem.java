package org.ctx4j.spark;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * A Hadoop file system of scheme {@value #SCHEME} kept on local disk: for the build, a location
 * that is not a {@code file:} path, reached only through Hadoop's API like {@code hdfs://} or
 * {@code s3a://}, where starting a real HDFS ({@code SparkHdfsTest}) is not worth its time: the
 * standalone cluster's executor JVMs, the java.nio view's unit tests. Selected with {@code
 * spark.hadoop.fs.ctx4jremote.impl} (and {@link Fs} for {@code FileContext}).
 */
public final class RemoteLikeFileSystem extends RawLocalFileSystem {
  static final String SCHEME = "ctx4jremote";
  private static final URI NAME = URI.create(SCHEME + ":///");

  @Override
  public URI getUri() {
    return NAME;
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public void initialize(URI uri, Configuration conf) throws IOException {
    super.initialize(uri, conf);
    setConf(conf);
  }

  /** The {@code AbstractFileSystem} of the scheme, which {@code FileContext} renames go through. */
  public static final class Fs extends DelegateToFileSystem {
    public Fs(URI uri, Configuration conf) throws IOException, URISyntaxException {
      super(uri, new RemoteLikeFileSystem(), conf, SCHEME, false);
    }

    @Override
    public int getUriDefaultPort() {
      return -1;
    }
  }
}
