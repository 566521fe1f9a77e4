// The shared Euclidean instance and the Euclidean test.
#include "manifold/manifold.hpp"

namespace lg::manifold {

std::shared_ptr<const Manifold> euclidean() {
  static const std::shared_ptr<const Manifold> instance = std::make_shared<const Euclidean>();
  return instance;
}

bool is_euclidean(const Manifold& manifold) { return dynamic_cast<const Euclidean*>(&manifold) != nullptr; }

}  // namespace lg::manifold
