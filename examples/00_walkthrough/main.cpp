// One training step of a tiny MLP, printed stage by stage: the tensors, the
// graph that the forward pass records (as Graphviz DOT, with the leaves w1, b1,
// w2 named, and as a PNG where Graphviz is installed), the gradients that
// backward computes, and the parameters after one SGD step. Read it next to
// docs/reading_order.md.
#include <cstdlib>
#include <fstream>
#include <iostream>

#include <latentgeo.hpp>

int main() {
  lg::manual_seed(0);
  lg::set_num_threads(1);

  std::cout << "== 1. data: 4 points in 3-d, and targets in 2-d ==\n";
  const lg::Tensor x = lg::randn({4, 3});
  const lg::Tensor target = lg::randn({4, 2});
  std::cout << x << "\n\n";

  std::cout << "== 2. parameters: leaves with requires_grad ==\n";
  lg::Tensor w1 = (lg::randn({3, 5}) * 0.5).requires_grad_();
  lg::Tensor b1 = lg::zeros({5}).requires_grad_();
  lg::Tensor w2 = (lg::randn({5, 2}) * 0.5).requires_grad_();
  std::cout << "w1 " << lg::shape_str(w1.shape()) << ", b1 " << lg::shape_str(b1.shape()) << ", w2 "
            << lg::shape_str(w2.shape()) << "\n\n";

  std::cout << "== 3. forward: every op records a node ==\n";
  const lg::Tensor hidden = lg::tanh(lg::matmul(x, w1) + b1);  // broadcasting adds b1 to every row
  const lg::Tensor prediction = lg::matmul(hidden, w2);
  const lg::Tensor error = prediction - target;
  const lg::Tensor loss = lg::mean(error * error);  // mean is sum * (1 / n): its node is a mul
  std::cout << "loss = " << loss.item() << ", made by node '" << loss.grad_fn()->name() << "'\n";
  std::cout << "live graph nodes: " << lg::debug::live_nodes() << "\n\n";

  std::cout << "== 4. the graph as DOT (also written to walkthrough_graph.dot) ==\n";
  // Leaves and ops are labelled with the names they have above; unnamed ones say "leaf" or the op.
  const std::string dot = lg::to_dot(
      loss, {{"w1", w1}, {"b1", b1}, {"w2", w2}, {"hidden", hidden}, {"prediction", prediction}, {"error", error}, {"loss", loss}});
  std::ofstream("walkthrough_graph.dot") << dot;
  std::cout << dot << "\n";
  // Drawn only where Graphviz's `dot` program is installed: the library does not depend on it.
  if (std::system("command -v dot > /dev/null 2>&1") == 0) {
    const bool drawn = std::system("dot -Tpng walkthrough_graph.dot -o walkthrough_graph.png") == 0;
    std::cout << (drawn ? "drew walkthrough_graph.png\n\n" : "dot failed to draw walkthrough_graph.png\n\n");
  } else {
    std::cout << "Graphviz's dot is not installed, so no walkthrough_graph.png (apt-get install graphviz)\n\n";
  }

  std::cout << "== 5. backward: gradients accumulate into the leaves ==\n";
  loss.backward();
  std::cout << "dloss/dw2 " << w2.grad() << "\n";
  std::cout << "live graph nodes after backward: " << lg::debug::live_nodes()
            << " (nodes live as long as tensors refer to them; their saved tensors were freed)\n\n";

  std::cout << "== 6. one SGD step, outside the graph ==\n";
  {
    lg::NoGradGuard no_grad;
    for (lg::Tensor* p : {&w1, &b1, &w2}) p->add_(p->grad(), -0.1);
  }
  const lg::Tensor new_loss = lg::mean(lg::pow(lg::matmul(lg::tanh(lg::matmul(x, w1) + b1), w2) - target, 2.0));
  std::cout << "loss before " << loss.item() << ", after one step " << new_loss.item() << "\n";
  return new_loss.item() < loss.item() ? 0 : 1;
}
