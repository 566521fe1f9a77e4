// One training step of a tiny MLP, printed stage by stage: the tensors, the
// graph that the forward pass records (as Graphviz DOT), the gradients that
// backward computes, and the parameters after one SGD step. Read it next to
// docs/reading_order.md.
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
  const lg::Tensor loss = lg::mean((prediction - target) * (prediction - target));
  std::cout << "loss = " << loss.item() << ", made by node '" << loss.grad_fn()->name() << "'\n";
  std::cout << "live graph nodes: " << lg::debug::live_nodes() << "\n\n";

  std::cout << "== 4. the graph as DOT (also written to walkthrough_graph.dot) ==\n";
  const std::string dot = lg::to_dot(loss);
  std::ofstream("walkthrough_graph.dot") << dot;
  std::cout << dot << "\n";

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
