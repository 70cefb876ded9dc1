/** Small runnable programs to copy from; the test suite compiles and runs each. */
package org.ctx4j.examples;
