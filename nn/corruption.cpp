// The three corruptions as masks and noise from lg's random factories: a
// Bernoulli mask keeps each pixel, and salt-and-pepper adds a second fair coin
// for the value of each replaced pixel.
#include "nn/corruption.hpp"

#include <cmath>

#include "autograd/error.hpp"
#include "autograd/factory.hpp"
#include "autograd/ops/ops.hpp"

namespace lg::nn {

const char* corruption_name(CorruptionKind kind) {
  switch (kind) {
    case CorruptionKind::none: return "none";
    case CorruptionKind::gaussian: return "gaussian";
    case CorruptionKind::masking: return "masking";
    case CorruptionKind::salt_and_pepper: return "salt_and_pepper";
  }
  return "unknown";
}

void check_corruption(const CorruptionOptions& options, std::string_view owner) {
  check<ValueError>(std::isfinite(options.level), owner, "the ", corruption_name(options.kind),
                    " level must be finite, got ", options.level);
  if (options.kind == CorruptionKind::gaussian)
    check<ValueError>(options.level >= 0.0, owner, "gaussian noise sigma (level) must be non-negative, got ",
                      options.level);
  if (options.kind == CorruptionKind::masking || options.kind == CorruptionKind::salt_and_pepper)
    check<ValueError>(options.level >= 0.0 && options.level <= 1.0, owner, corruption_name(options.kind),
                      " fraction p (level) must be in [0, 1], got ", options.level);
}

Tensor corrupt(const Tensor& x, const CorruptionOptions& options, Generator& generator) {
  check<ValueError>(x.defined(), "corrupt", "input is undefined");
  check_corruption(options);
  switch (options.kind) {
    case CorruptionKind::none: return x;
    case CorruptionKind::gaussian: return x + normal(x.shape(), 0.0, options.level, x.dtype(), &generator);
    case CorruptionKind::masking: return x * bernoulli(x.shape(), 1.0 - options.level, x.dtype(), &generator);
    case CorruptionKind::salt_and_pepper: {
      const Tensor replaced = bernoulli(x.shape(), options.level, x.dtype(), &generator);
      const Tensor salt = bernoulli(x.shape(), 0.5, x.dtype(), &generator);  // 1 = salt (white), 0 = pepper
      return x * (1.0 - replaced) + replaced * salt;
    }
  }
  return x;
}

}  // namespace lg::nn
