// A ten-line program using an installed latentgeo.
#include <latentgeo.hpp>

int main() {
  auto w = lg::tensor({1.0, 2.0}, lg::float64).requires_grad_();
  auto loss = (w * w).sum();
  loss.backward();
  const auto g = w.grad().to_vector<double>();
  // Device discovery links the CUDA part of a CUDA build (0 devices elsewhere).
  return (g[0] == 2.0 && g[1] == 4.0 && lg::cuda_device_count() >= 0) ? 0 : 1;
}
