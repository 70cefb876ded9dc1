/*
 * The FMA ceiling of one core: sixteen independent chains of 512-bit fused multiply-adds and
 * nothing else, so no kernel (ours in Java, MLAS, OpenBLAS) can beat its figure per core. Printed
 * as GFLOP/s (2 flops per lane per FMA). Built and run by benchmarks/peers/gemm_ceiling.sh.
 */
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

int main(void) {
  __m512 acc[16];
  __m512 b = _mm512_set1_ps(1.0001f);
  __m512 c = _mm512_set1_ps(1e-3f);
  for (int i = 0; i < 16; i++) acc[i] = _mm512_setzero_ps();
  for (int round = 0; round < 3; round++) {
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    long steps = 100000000L;
    for (long s = 0; s < steps; s++) {
#pragma GCC unroll 16
      for (int i = 0; i < 16; i++) acc[i] = _mm512_fmadd_ps(b, c, acc[i]);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("{\"peer\": \"fma-512 loop\", \"round\": %d, \"gflops\": %.1f}\n", round,
           steps * 16.0 * 32 / seconds / 1e9);
  }
  __m512 t = acc[0];
  for (int i = 1; i < 16; i++) t = _mm512_add_ps(t, acc[i]);
  float out[16];
  _mm512_storeu_ps(out, t);
  return out[0] < 0;  /* keeps the chains alive */
}
